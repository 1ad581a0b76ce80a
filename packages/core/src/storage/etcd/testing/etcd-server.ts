/**
 * A throwaway etcd for tests: the real `etcd` binary on free loopback ports
 * with a temporary data directory. `stop` kills that process (by its PID,
 * never by name) and removes the directory.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface EtcdServer {
  /** The client URL, `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export interface StartEtcdOptions {
  /** The etcd binary. @default `etcd` as the shell finds it, else /usr/bin/etcd */
  binary?: string;
  /** How long to wait for etcd to answer, in milliseconds. @default 30_000 */
  readyTimeoutMs?: number;
}

/** Finds the etcd binary or explains how to get one. */
export function findEtcdBinary(): string {
  const onPath = spawnSync("sh", ["-c", "command -v etcd"], { encoding: "utf8" }).stdout?.trim();
  const candidates = [...(onPath ? [onPath] : []), "/usr/bin/etcd"];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(
    "the etcd binary was not found on PATH or at /usr/bin/etcd; install it (Debian/Ubuntu: apt-get install -y etcd-server) to run the etcd store tests",
  );
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdServer> {
  const binary = options.binary ?? findEtcdBinary();
  const [clientPort, peerPort] = await Promise.all([freePort(), freePort()]);
  const dataDir = mkdtempSync(join(tmpdir(), "skiff-etcd-"));
  const url = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  let output = "";
  const child: ChildProcess = spawn(
    binary,
    [
      "--name=default",
      `--data-dir=${dataDir}`,
      `--listen-client-urls=${url}`,
      `--advertise-client-urls=${url}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=default=${peerUrl}`,
      "--initial-cluster-state=new",
      "--logger=zap",
      "--log-level=error",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", (err) => {
      output += `\n${err.message}`;
      resolve();
    });
  });
  let running = true;
  void exited.then(() => {
    running = false;
  });

  const stop = async (): Promise<void> => {
    if (running && child.pid !== undefined) {
      child.kill("SIGTERM");
      const killed = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(killed);
    }
    rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilHealthy(url, options.readyTimeoutMs ?? 30_000, () => running);
  } catch (err) {
    await stop();
    throw new Error(`etcd did not start: ${(err as Error).message}\n${output}`);
  }
  return { url, pid: child.pid!, stop };
}

async function waitUntilHealthy(url: string, timeoutMs: number, running: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!running()) throw new Error("the etcd process exited");
    try {
      const response = await fetch(`${url}/health`);
      const body = (await response.json()) as { health?: string };
      if (body.health === "true") return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`no healthy answer from ${url} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A port that was free on 127.0.0.1 a moment ago. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
