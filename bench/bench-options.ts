/**
 * The command line of `bench/api-bench.ts`, resolved once into
 * `BenchOptions` (every size has a default that keeps a full
 * `--backend both` run near a minute on a small machine).
 */
import { parseArgs } from "node:util";

export type Backend = "sqlite" | "etcd";

export interface BenchOptions {
  /** @default ["sqlite", "etcd"] (`--backend both`) */
  backends: Backend[];
  /** Objects created, read and updated. @default 2000 */
  n: number;
  /** Watchers on one prefix for the fan-out rows. @default 50 */
  watchers: number;
  /** Calls in flight for create/get/update. @default 16 */
  concurrency: number;
  /** Measured writes in the fan-out rows. @default 200 */
  fanOutWrites: number;
  /** Full lists (and full paged walks) measured. @default 10 */
  listRepeats: number;
  /** Page size of the paged list. @default 500 */
  pageSize: number;
}

export const benchUsage =
  "usage: npx tsx bench/api-bench.ts [--backend sqlite|etcd|both] [--n 2000] [--watchers 50] " +
  "[--concurrency 16] [--fan-out-writes 200] [--list-repeats 10] [--page-size 500]";

export function parseBenchOptions(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      backend: { type: "string", default: "both" },
      n: { type: "string", default: "2000" },
      watchers: { type: "string", default: "50" },
      concurrency: { type: "string", default: "16" },
      "fan-out-writes": { type: "string", default: "200" },
      "list-repeats": { type: "string", default: "10" },
      "page-size": { type: "string", default: "500" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(benchUsage);
    process.exit(0);
  }
  const backends: Record<string, Backend[]> = { sqlite: ["sqlite"], etcd: ["etcd"], both: ["sqlite", "etcd"] };
  const chosen = backends[values.backend];
  if (!chosen) throw new Error(`--backend must be sqlite, etcd or both, not ${JSON.stringify(values.backend)}\n${benchUsage}`);
  return {
    backends: chosen,
    n: positive("n", values.n),
    watchers: positive("watchers", values.watchers),
    concurrency: positive("concurrency", values.concurrency),
    fanOutWrites: positive("fan-out-writes", values["fan-out-writes"]),
    listRepeats: positive("list-repeats", values["list-repeats"]),
    pageSize: positive("page-size", values["page-size"]),
  };
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer, not ${JSON.stringify(text)}\n${benchUsage}`);
  return value;
}
