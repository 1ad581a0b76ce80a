/**
 * Runs the stock kubectl 1.32 against a test server with a fresh cache dir
 * (kubectl caches discovery per host:port for hours) and a temp kubeconfig.
 */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const kubectlPath = "/usr/lib/google-cloud-sdk/bin/kubectl.1.32";

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function kubectlFor(kubeconfig: string) {
  const cacheDir = mkdtempSync(join(tmpdir(), "kubectl-cache-"));
  return function kubectl(
    args: string[],
    options: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<KubectlResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(kubectlPath, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], {
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: cacheDir, ...options.env },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
      child.on("error", reject);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, stdout, stderr });
      });
      child.stdin.end(options.input ?? "");
    });
  };
}
