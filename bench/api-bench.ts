/**
 * Figures for Skiff's spine — the store and the API server in front of it.
 *
 *   npx tsx bench/api-bench.ts [--backend sqlite|etcd|both] [--n 2000] [--watchers 50]
 *
 * For each backend: the raw-store baseline in this process (a temp SQLite
 * file, or a private etcd on loopback), then the same operations through a
 * real `skiff server` over HTTPS on loopback, then a table comparing the
 * two. See bench/README.md for how to read it. Everything started here
 * (etcd, the server, temp dirs) is stopped and removed in `finally` blocks,
 * and on SIGINT/SIGTERM.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { loadKubeconfig, NodeTransport } from "../packages/core/src/client/node.js";
import { RestClient } from "../packages/core/src/client/index.js";
import { startEtcd, type EtcdServer } from "../packages/core/src/storage/etcd/testing/etcd-server.js";
import { EtcdStore, SqliteStore, type Store } from "../packages/core/src/storage/index.js";
import { startSkiffServer } from "../test/support/skiff-server.js";
import { benchApiServer } from "./api-server-bench.js";
import { parseBenchOptions, type Backend, type BenchOptions } from "./bench-options.js";
import type { Measurement } from "./measure.js";
import { readProcessRss } from "./process-rss.js";
import { benchRawStore } from "./raw-store-bench.js";
import { formatReport, type BackendReport } from "./report.js";

/** Undo actions for what is running now; run by `finally` blocks, or all at once on a signal. */
const cleanups = new Set<() => Promise<void>>();

async function withCleanup<T>(start: () => Promise<{ value: T; stop: () => Promise<void> }>, use: (value: T) => Promise<void>): Promise<void> {
  const { value, stop } = await start();
  cleanups.add(stop);
  try {
    await use(value);
  } finally {
    cleanups.delete(stop);
    await stop();
  }
}

async function startPrivateEtcd(): Promise<{ value: EtcdServer; stop: () => Promise<void> }> {
  const etcd = await startEtcd();
  return { value: etcd, stop: () => etcd.stop() };
}

async function runRawStore(backend: Backend, options: BenchOptions): Promise<Measurement[]> {
  let results: Measurement[] = [];
  const use = async (store: Store): Promise<void> => {
    try {
      results = await benchRawStore(store, options);
    } finally {
      await store.close();
    }
  };
  if (backend === "sqlite") {
    await withCleanup(
      async () => {
        const dir = await mkdtemp(join(tmpdir(), "skiff-bench-"));
        return { value: dir, stop: () => rm(dir, { recursive: true, force: true }) };
      },
      (dir) => use(new SqliteStore(join(dir, "state.db"))),
    );
  } else {
    await withCleanup(startPrivateEtcd, (etcd) => use(new EtcdStore({ endpoints: [etcd.url] })));
  }
  return results;
}

type ApiResult = Pick<BackendReport, "api" | "serverRssAfterStart" | "serverRssAtEnd">;

async function runApiServer(backend: Backend, options: BenchOptions): Promise<ApiResult> {
  const result: ApiResult = {};
  const use = async (store: string | undefined): Promise<void> => {
    await withCleanup(
      async () => {
        const server = await startSkiffServer(store ? { store } : {});
        return { value: server, stop: () => server.stop() };
      },
      async (server) => {
        result.serverRssAfterStart = await readProcessRss(server.pid);
        const config = await loadKubeconfig(server.kubeconfig);
        const transport = new NodeTransport({ ...config, userAgent: "skiff-bench" });
        try {
          result.api = await benchApiServer(new RestClient(transport), options);
          result.serverRssAtEnd = await readProcessRss(server.pid);
        } finally {
          transport.destroy();
        }
      },
    );
  };
  if (backend === "sqlite") await use(undefined);
  else await withCleanup(startPrivateEtcd, (etcd) => use(`etcd://${new URL(etcd.url).host}`));
  return result;
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const sizes =
    `n=${options.n}, concurrency=${options.concurrency}, watchers=${options.watchers}, ` +
    `fan-out writes=${options.fanOutWrites}, list repeats=${options.listRepeats}`;
  console.log(`skiff api-bench — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}\n`);
  let failed = false;
  for (const backend of options.backends) {
    const started = Date.now();
    const raw = await runRawStore(backend, options);
    let api: ApiResult = {};
    let apiError: string | undefined;
    try {
      api = await runApiServer(backend, options);
    } catch (err) {
      failed = true;
      apiError = err instanceof Error ? (err.stack ?? err.message) : String(err);
    }
    console.log(formatReport({ backend, sizes, raw, ...api, ...(apiError ? { apiError } : {}) }));
    console.log(`(${backend} took ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  }
  if (failed) process.exitCode = 1;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void Promise.allSettled([...cleanups].map((stop) => stop())).then(() => process.exit(130));
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
