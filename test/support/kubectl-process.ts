/**
 * Runs the stock kubectl as a long-lived background process (`get -w`,
 * `wait`), for tests that must act while it runs and then read what it
 * printed. Each process gets its own fresh cache dir, like `kubectlFor`.
 * The test ends it by PID with `stop()`; a process that outlives its
 * `timeoutMs` is killed so that a hung watch cannot keep a test run open.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { kubectlPath, type KubectlResult } from "./kubectl.js";

export interface KubectlProcess {
  pid: number;
  stdout(): string;
  stderr(): string;
  /**
   * Resolves once `stream` (default stdout) matches `pattern`; rejects, with
   * the output so far, after `timeoutMs` or when kubectl exits first.
   */
  waitForOutput(pattern: RegExp, timeoutMs?: number, stream?: "stdout" | "stderr"): Promise<string>;
  /** Settles when the process exits, with what it printed. */
  exited: Promise<KubectlResult>;
  /** SIGTERM by PID (if still running), then waits for the exit. */
  stop(): Promise<KubectlResult>;
}

export function spawnKubectl(
  kubeconfig: string,
  args: string[],
  options: { env?: Record<string, string>; timeoutMs?: number } = {},
): KubectlProcess {
  const cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  const child = spawn(kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], {
    env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cacheDir, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
    notify();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
    notify();
  });
  const killTimer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 120_000);
  const exited = new Promise<KubectlResult>((resolve) => {
    child.on("error", (err) => {
      stderr += String(err);
    });
    child.on("close", (code, signal) => {
      clearTimeout(killTimer);
      resolve({ code: code ?? (signal ? 128 : -1), stdout, stderr });
      notify();
    });
  });
  let done = false;
  void exited.then(() => (done = true));

  return {
    pid: child.pid ?? -1,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitForOutput(pattern, timeoutMs = 20_000, stream = "stdout") {
      return new Promise((resolve, reject) => {
        const check = () => {
          const text = stream === "stdout" ? stdout : stderr;
          if (pattern.test(text)) {
            finish();
            resolve(text);
          } else if (done) {
            finish();
            reject(new Error(`kubectl exited before printing ${pattern} on ${stream}:\nstdout:\n${stdout}\nstderr:\n${stderr}`));
          }
        };
        const timer = setTimeout(() => {
          finish();
          reject(new Error(`kubectl did not print ${pattern} on ${stream} in ${timeoutMs} ms:\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }, timeoutMs);
        const finish = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (!done && child.pid !== undefined) process.kill(child.pid, "SIGTERM");
      return exited;
    },
  };
}
