#!/usr/bin/env node
// Runs every test of the repository with node's built-in test runner, in
// three phases:
//
//   unit         packages/*/src/**/*.test.ts and bench/*.test.ts: files run concurrently (each
//                                               file is its own process)
//   integration  test/integration/**/*.test.ts one file at a time
//   e2e          test/e2e/**/*.test.ts         one file at a time
//
// Integration and e2e files start servers, nodes and containers, so they run
// serially and only after the unit tests. A phase with no files is skipped.
//
// Each phase prints node's spec report, ending with its own summary
// (`ℹ pass N`, `ℹ fail N`, ...). The last line of output is always
// `N passed, M failed` over all phases, where failed counts failed and
// cancelled (timed out) tests; skipped and todo tests count as neither. The
// exit status is non-zero when anything failed.
//
// Usage: node scripts/run-tests.mjs [--failed-check=NAME...] [FILE_OR_DIR...]
// With paths, only the test files at or under them run (each in the phase
// its location gives it). --failed-check names a check that already failed
// before the tests (scripts/test.sh passes typecheck or lint): it is listed
// before the final line and counts as one failure there.

import { spawn } from "node:child_process";
import { readdirSync, statSync, existsSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(new URL(".", import.meta.url)), "..");

/**
 * Per-test time limits are a safety net against a hung test, not a speed
 * goal: a test that needs minutes is a bug to find, not to fail silently on.
 * `--test-force-exit` ends a file's process once its tests are done, so a
 * leaked server or timer cannot keep the run open forever.
 */
const phases = [
  { name: "unit", roots: ["packages", "bench"], within: "", concurrency: undefined, timeoutMs: 300_000 },
  { name: "integration", roots: ["test/integration"], within: "", concurrency: 1, timeoutMs: 600_000 },
  { name: "e2e", roots: ["test/e2e"], within: "", concurrency: 1, timeoutMs: 600_000 },
];

const skippedDirs = new Set(["node_modules", "dist", ".git"]);

function findTestFiles(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return dir.endsWith(".test.ts") ? [dir] : [];
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skippedDirs.has(entry.name)) found.push(...findTestFiles(path));
    } else if (entry.isFile() && entry.name.endsWith(".test.ts")) {
      found.push(path);
    }
  }
  return found;
}

function phaseFiles(phase, selected) {
  const files = phase.roots
    .flatMap((r) => findTestFiles(join(root, r)))
    .filter((f) => f.includes(phase.within))
    .filter((f) => selected.length === 0 || selected.some((s) => f === s || f.startsWith(s + sep)));
  return [...new Set(files)].sort();
}

/** Runs one phase; resolves to its counts, read from the spec summary. */
function runPhase(phase, files) {
  const args = [
    "--import",
    "tsx",
    "--test",
    "--test-force-exit",
    "--test-reporter=spec",
    "--test-reporter-destination=stdout",
    `--test-timeout=${phase.timeoutMs}`,
    ...(phase.concurrency === undefined ? [] : [`--test-concurrency=${phase.concurrency}`]),
    ...files.map((f) => relative(root, f)),
  ];
  // The report goes through a pipe so it can be read; keep its colours when
  // a person is watching.
  const env = { ...process.env };
  if (process.stdout.isTTY && env.FORCE_COLOR === undefined && env.NO_COLOR === undefined) env.FORCE_COLOR = "1";

  return new Promise((resolvePhase) => {
    const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "inherit"] });
    const counts = {};
    let pending = "";
    const scan = (line) => {
      // The summary is the runner's own `ℹ <name> <number>` block at the end.
      // eslint-disable-next-line no-control-regex
      const match = /^ℹ (tests|pass|fail|cancelled|skipped|todo) (\d+)$/.exec(line.replace(/\x1b\[[0-9;]*m/g, ""));
      if (match) counts[match[1]] = Number(match[2]);
    };
    child.stdout.on("data", (chunk) => {
      process.stdout.write(chunk);
      pending += chunk.toString("utf8");
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      lines.forEach(scan);
    });
    child.on("close", (code, signal) => {
      scan(pending);
      resolvePhase({ code: code ?? 1, signal, counts });
    });
    child.on("error", (err) => {
      console.error(`run-tests: cannot start node: ${err.message}`);
      resolvePhase({ code: 1, signal: null, counts });
    });
  });
}

async function main() {
  const args = process.argv.slice(2);
  const failedChecks = args.filter((a) => a.startsWith("--failed-check=")).map((a) => a.slice("--failed-check=".length));
  const selected = args
    .filter((a) => !a.startsWith("--failed-check="))
    .map((p) => resolve(p).replace(/\/+$/, ""));
  let passed = 0;
  let failed = failedChecks.length;
  let ok = true;
  let ran = 0;

  for (const phase of phases) {
    const files = phaseFiles(phase, selected);
    if (files.length === 0) continue;
    ran += files.length;
    console.log(`\n=== ${phase.name} tests: ${files.length} file${files.length === 1 ? "" : "s"} ===\n`);
    const { code, signal, counts } = await runPhase(phase, files);
    if (counts.pass === undefined) {
      // The runner died before its summary: count the phase as one failure.
      console.error(`run-tests: ${phase.name} phase ended (${signal ?? `exit ${code}`}) without a summary`);
      failed += 1;
      ok = false;
      continue;
    }
    passed += counts.pass;
    failed += (counts.fail ?? 0) + (counts.cancelled ?? 0);
    if (code !== 0) ok = false;
  }

  if (ran === 0) {
    console.error("run-tests: no test files found");
    ok = false;
  }
  if (failed > 0) ok = false;
  console.log("");
  for (const check of failedChecks) console.log(`✖ ${check} failed (see its output above)`);
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = ok ? 0 : 1;
}

await main();
