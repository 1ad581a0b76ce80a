#!/usr/bin/env node
/**
 * The `skiff` command: cluster roles (`server`) and the kubectl-like client
 * verbs. argv and the environment become typed options here and nowhere else.
 */
import { Command, Option } from "commander";
import { configureLogging, logger } from "../util/logger.js";
import { startControlPlane, runControllerManager, runScheduler } from "../roles/index.js";
import { registerClientCommands } from "../cli/index.js";
import { defaultDataDir, defaultKubeconfig, logLevel, parseListen } from "./config.js";

configureLogging({ level: logLevel() });
const log = logger("skiff");

const program = new Command();
program.name("skiff").description("A small, real Kubernetes.").showHelpAfterError();

program
  .command("server")
  .description("Run the control plane (API server on the embedded SQLite store by default).")
  .option("--data-dir <dir>", "state, certificates and the admin kubeconfig", defaultDataDir())
  .option("--listen <host:port>", "address of the API server", "0.0.0.0:6443")
  .option("--store <url>", "store URL: sqlite:///path/state.db or etcd://host:port (default: sqlite in the data dir)")
  .option("--tls-san <name...>", "extra DNS names or IPs for the serving certificate", [])
  .addOption(new Option("--insecure-http", "serve plain HTTP (local debugging only)").default(false))
  .option("--no-controllers", "do not run the controllers in this process (run `skiff controller-manager` elsewhere)")
  .option("--no-scheduler", "do not run the scheduler in this process (run `skiff scheduler` elsewhere)")
  .option("--compaction-interval <seconds>", "how often to compact store history (0 = never)", "300")
  .option("--compaction-retain <revisions>", "revisions of history kept behind the head at compaction", "10000")
  .action(async (opts: {
    dataDir: string;
    listen: string;
    store?: string;
    tlsSan: string[];
    insecureHttp: boolean;
    compactionInterval: string;
    compactionRetain: string;
    controllers: boolean;
    scheduler: boolean;
  }) => {
    const { host, port } = parseListen(opts.listen);
    const sans = opts.tlsSan;
    const isIp = (s: string) => /^[\d.]+$/.test(s) || s.includes(":");
    const cp = await startControlPlane({
      dataDir: opts.dataDir,
      storeUrl: opts.store,
      apiServer: {
        host,
        port,
        tls: !opts.insecureHttp,
        compactIntervalMs: nonNegative("--compaction-interval", opts.compactionInterval) * 1000,
        compactRetainRevisions: nonNegative("--compaction-retain", opts.compactionRetain),
      },
      controllers: opts.controllers,
      scheduler: opts.scheduler,
      certHosts: sans.filter((s) => !isIp(s)),
      certIps: [...sans.filter(isIp), ...(host !== "0.0.0.0" && host !== "::" ? [host] : [])],
    });
    process.stdout.write(
      `Skiff API server running at ${cp.url}\n` +
        `Admin kubeconfig: ${cp.kubeconfigPath}\n` +
        `Try: kubectl --kubeconfig ${cp.kubeconfigPath} get namespaces\n`,
    );
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, "shutting down");
      cp.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, "shutdown failed");
          process.exit(1);
        },
      );
    };
    process.on("SIGINT", () => shutdown("SIGINT"));
    process.on("SIGTERM", () => shutdown("SIGTERM"));
  });

/** Runs a long-lived role until SIGINT/SIGTERM. */
function runUntilSignal(name: string, run: (signal: AbortSignal) => Promise<void>): Promise<void> {
  const abort = new AbortController();
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      log.info({ signal: sig, role: name }, "shutting down");
      abort.abort();
    });
  }
  return run(abort.signal);
}

program
  .command("controller-manager")
  .description("Run the controllers against an API server (they also run inside `skiff server`).")
  .option("--kubeconfig <file>", "kubeconfig of the API server", defaultKubeconfig())
  .option("--context <name>", "kubeconfig context")
  .action(async (opts: { kubeconfig: string; context?: string }) => {
    await runUntilSignal("controller-manager", (signal) => runControllerManager(opts, signal));
  });

program
  .command("scheduler")
  .description("Run the scheduler against an API server (it also runs inside `skiff server`).")
  .option("--kubeconfig <file>", "kubeconfig of the API server", defaultKubeconfig())
  .option("--context <name>", "kubeconfig context")
  .option("--profile <name>", "scheduling profile: default or round-robin", "default")
  .action(async (opts: { kubeconfig: string; context?: string; profile: string }) => {
    if (opts.profile !== "default" && opts.profile !== "round-robin") {
      throw new Error(`--profile: expected "default" or "round-robin", got ${JSON.stringify(opts.profile)}`);
    }
    const profile: "default" | "round-robin" = opts.profile;
    await runUntilSignal("scheduler", (signal) => runScheduler({ ...opts, scheduler: { profile } }, signal));
  });

function nonNegative(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${flag}: expected a non-negative number, got ${JSON.stringify(value)}`);
  return n;
}

registerClientCommands(program, { defaultKubeconfig: defaultKubeconfig(), defaultDataDir: defaultDataDir() });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`error: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
