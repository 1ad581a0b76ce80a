/**
 * Starts a real `skiff server` process for integration and e2e tests, on a
 * temporary data directory and a free loopback port, and ends it by PID.
 * `kill9()` simulates a crash; `restart()` starts a new process on the same
 * data directory (and store), as an operator would after a crash.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const entry = join(repoRoot, "packages/core/src/bin/skiff.ts");

export interface SkiffServer {
  url: string;
  kubeconfig: string;
  dataDir: string;
  pid: number;
  /** Graceful stop (SIGTERM), then removes the data dir unless keepData. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** SIGKILL, no cleanup: simulates a crash. */
  kill9(): Promise<void>;
  /** Starts a fresh process on the same data dir and store. */
  restart(): Promise<void>;
  /** Everything the process wrote to stderr (logs). */
  logs(): string;
}

export interface StartOptions {
  store?: string;
  dataDir?: string;
  args?: string[];
  logLevel?: string;
}

export async function startSkiffServer(options: StartOptions = {}): Promise<SkiffServer> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "skiff-test-")));
  let child: ChildProcess;
  let url = "";
  let stderr = "";

  const launch = async (port: number) => {
    const args = ["--import", "tsx", entry, "server", "--data-dir", dataDir, "--listen", `127.0.0.1:${port}`];
    if (options.store) args.push("--store", options.store);
    args.push(...(options.args ?? []));
    child = spawn(process.execPath, args, {
      cwd: repoRoot,
      env: { ...process.env, SKIFF_LOG_LEVEL: options.logLevel ?? "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    url = await new Promise<string>((resolveUrl, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`skiff server did not start in 60 s:\n${stderr}`)), 60_000);
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /running at (\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolveUrl(m[1]!);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`skiff server exited with ${code}:\n${stderr}`));
      });
    });
  };

  await launch(0);
  const port = Number(new URL(url).port);
  const exited = () =>
    new Promise<void>((r) => {
      if (child.exitCode !== null || child.signalCode !== null) r();
      else child.once("exit", () => r());
    });

  const server: SkiffServer = {
    get url() {
      return url;
    },
    kubeconfig: join(dataDir, "admin.kubeconfig"),
    dataDir,
    get pid() {
      return child.pid!;
    },
    async stop(opts = {}) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited();
        clearTimeout(timer);
      }
      if (!opts.keepData && !options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
    async kill9() {
      child.kill("SIGKILL");
      await exited();
    },
    async restart() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await exited();
      }
      await launch(port);
    },
    logs: () => stderr,
  };
  return server;
}
