/**
 * The only place that reads `process.env`: turns the environment and flags
 * into typed configuration for roles and CLI commands.
 *
 * Precedence: defaults → environment (SKIFF_*) → flags.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import type { LogLevel } from "../util/logger.js";

/** Default data directory: /var/lib/skiff for root, ~/.skiff otherwise; SKIFF_DATA_DIR overrides. */
export function defaultDataDir(): string {
  if (process.env["SKIFF_DATA_DIR"]) return process.env["SKIFF_DATA_DIR"];
  return process.getuid?.() === 0 ? "/var/lib/skiff" : join(homedir(), ".skiff");
}

/** Log level from SKIFF_LOG_LEVEL. @default "info" */
export function logLevel(): LogLevel {
  const v = process.env["SKIFF_LOG_LEVEL"];
  const levels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];
  return (v && levels.includes(v) ? v : "info") as LogLevel;
}

/**
 * The kubeconfig the `skiff` client verbs use when no --kubeconfig is given:
 * $KUBECONFIG, else the local server's admin kubeconfig if present, else ~/.kube/config.
 */
export function defaultKubeconfig(): string {
  const env = process.env["KUBECONFIG"];
  if (env) return env.split(":")[0]!;
  const local = join(defaultDataDir(), "admin.kubeconfig");
  if (existsSync(local)) return local;
  return join(homedir(), ".kube", "config");
}

/** Parses `host:port`, `:port`, `[v6]:port` or `host`. */
export function parseListen(value: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*))(?::(\d+))?$/.exec(value);
  if (!m) throw new Error(`--listen: expected host:port, got ${JSON.stringify(value)}`);
  const host = m[1] ?? m[2] ?? "";
  const port = m[3] === undefined ? 6443 : Number(m[3]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--listen: invalid port in ${JSON.stringify(value)}`);
  return { host: host || "0.0.0.0", port };
}
