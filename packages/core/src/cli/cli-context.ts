/**
 * What every client verb shares: where output goes, how a kubeconfig turns
 * into a connected `RestClient`, how failures become one stderr line and an
 * exit code. `bin/` passes real streams and paths; tests pass buffers and a
 * fake transport. Nothing here reads `process.env`.
 */
import type { Command } from "commander";
import type { ClientConfig, Transport } from "../client/index.js";
import { Discovery, RestClient } from "../client/index.js";
import { loadKubeconfig, NodeTransport } from "../client/node.js";
import { formatError } from "./format-error.js";

/** The part of a writable stream the CLI uses. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface ClientCommandsOptions {
  /** Kubeconfig used when `--kubeconfig` is not given (bin/ decides: $KUBECONFIG, the data dir, ~/.kube/config). */
  defaultKubeconfig: string;
  /** Data dir used by `skiff kubeconfig` when `--data-dir` is not given. */
  defaultDataDir?: string;
  /** Builds the transport for a resolved kubeconfig. @default NodeTransport */
  transportFactory?: (config: ClientConfig) => Transport;
  /** @default process.stdout */
  stdout?: OutputStream;
  /** @default process.stderr */
  stderr?: OutputStream;
  /** Reads all of stdin (for `-f -`). @default reads process.stdin */
  readStdin?: () => Promise<string>;
  /** Receives the command's exit code. @default sets process.exitCode */
  setExitCode?: (code: number) => void;
  /** Milliseconds since the epoch, for ages. @default Date.now */
  now?: () => number;
}

export interface GlobalFlags {
  kubeconfig?: string;
  namespace?: string;
  context?: string;
}

export interface Connection {
  client: RestClient;
  discovery: Discovery;
  /** `-n`, else the context's namespace, else `default`. */
  namespace: string;
  /** True when `-n` was given (apply refuses objects of another namespace then). */
  namespaceFromFlag: boolean;
  close(): void;
}

export class CliContext {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly now: () => number;
  private readonly connections: Connection[] = [];

  constructor(readonly options: ClientCommandsOptions) {
    this.stdout = options.stdout ?? process.stdout;
    this.stderr = options.stderr ?? process.stderr;
    this.now = options.now ?? Date.now;
  }

  out(text: string): void {
    this.stdout.write(text);
  }

  err(text: string): void {
    this.stderr.write(text);
  }

  /** Progress for long waits, only when a person is watching stderr. */
  progress(text: string): void {
    if (this.stderr.isTTY) this.stderr.write(text);
  }

  readStdin(): Promise<string> {
    if (this.options.readStdin) return this.options.readStdin();
    return new Promise((resolve, reject) => {
      let data = "";
      process.stdin.setEncoding("utf8");
      process.stdin.on("data", (d) => (data += d));
      process.stdin.on("end", () => resolve(data));
      process.stdin.on("error", reject);
    });
  }

  async connect(flags: GlobalFlags): Promise<Connection> {
    const config = await loadKubeconfig(flags.kubeconfig ?? this.options.defaultKubeconfig, {
      ...(flags.context ? { context: flags.context } : {}),
    });
    const transport = this.options.transportFactory?.(config) ?? new NodeTransport(config);
    const client = new RestClient(transport);
    const connection: Connection = {
      client,
      discovery: new Discovery(client),
      namespace: flags.namespace || config.namespace,
      namespaceFromFlag: !!flags.namespace,
      close: () => (transport as { destroy?: () => void }).destroy?.(),
    };
    this.connections.push(connection);
    return connection;
  }

  /**
   * Wraps a verb: its result is the exit code (default 0); a thrown error
   * prints one line and exits 1. Connections are closed afterwards so the
   * process can end.
   */
  action<A extends unknown[]>(run: (...args: A) => Promise<number | void>): (...args: A) => Promise<void> {
    return async (...args: A) => {
      let code = 0;
      try {
        code = (await run(...args)) ?? 0;
      } catch (err) {
        this.err(formatError(err) + "\n");
        code = 1;
      } finally {
        for (const c of this.connections.splice(0)) c.close();
      }
      if (this.options.setExitCode) this.options.setExitCode(code);
      else if (code !== 0) process.exitCode = code;
    };
  }
}

/** `--kubeconfig`, `-n/--namespace`, `--context` on a verb. */
export function withGlobalOptions(command: Command): Command {
  return command
    .option("--kubeconfig <file>", "path to the kubeconfig file to use")
    .option("-n, --namespace <namespace>", "the namespace scope for this request")
    .option("--context <name>", "the kubeconfig context to use");
}
