/**
 * The baseline: the same operations as the API rows, made directly on a
 * `Store` in this process, on keys shaped like the API server's
 * (`/registry/configmaps/<namespace>/<name>`). The difference between these
 * rows and the API rows is what HTTPS, authentication, decoding, admission,
 * validation, encoding and the watch cache cost.
 */
import { setMaxListeners } from "node:events";
import type { Store } from "../packages/core/src/storage/index.js";
import type { BenchOptions } from "./bench-options.js";
import { benchName, benchNamespace, storedConfigMap } from "./config-map.js";
import { measureFanOut, type FanOutTarget } from "./fan-out.js";
import { measure, type Measurement } from "./measure.js";

const prefix = `/registry/configmaps/${benchNamespace}/`;
const fanOutPrefix = `/registry/configmaps/skiff-bench-fan-out/`;

export async function benchRawStore(store: Store, options: BenchOptions): Promise<Measurement[]> {
  const { n, concurrency } = options;
  await warmUp(store);
  const modRevisions = new Array<number>(n);
  const results: Measurement[] = [];

  results.push(
    await measure("create", n, concurrency, async (i) => {
      modRevisions[i] = (await store.create(prefix + benchName(i), storedConfigMap(benchName(i)))).modRevision;
    }),
  );
  results.push(
    await measure("get", n, concurrency, async (i) => {
      if (!(await store.get(prefix + benchName(i)))) throw new Error(`get ${benchName(i)}: missing`);
    }),
  );
  results.push(
    await measure(`list (all ${n})`, options.listRepeats, 1, async () => {
      const { items } = await store.list(prefix);
      if (items.length !== n) throw new Error(`list returned ${items.length} of ${n} keys`);
    }),
  );
  results.push(
    await measure(`list (pages of ${options.pageSize})`, options.listRepeats, 1, async () => {
      let seen = 0;
      let revision: number | undefined;
      let startAfter: string | undefined;
      for (;;) {
        const page = await store.list(prefix, {
          limit: options.pageSize,
          ...(revision === undefined ? {} : { revision }),
          ...(startAfter === undefined ? {} : { startAfter }),
        });
        seen += page.items.length;
        revision = page.revision;
        if (!page.more) break;
        startAfter = page.items[page.items.length - 1]!.key;
      }
      if (seen !== n) throw new Error(`paged list returned ${seen} of ${n} keys`);
    }),
  );
  results.push(
    await measure("update", n, concurrency, async (i) => {
      const kv = await store.update(prefix + benchName(i), storedConfigMap(benchName(i), 1), modRevisions[i]!);
      modRevisions[i] = kv.modRevision;
    }),
  );
  results.push(...(await measureFanOut(storeFanOut(store), { watchers: options.watchers, writes: options.fanOutWrites })));
  return results;
}

/** Lets the JIT and the backend's caches settle, on keys outside the measured prefix. */
async function warmUp(store: Store): Promise<void> {
  const warmPrefix = "/registry/configmaps/skiff-bench-warmup/";
  for (let i = 0; i < 100; i++) {
    const kv = await store.create(warmPrefix + benchName(i), storedConfigMap(benchName(i)));
    await store.get(kv.key);
    await store.update(kv.key, storedConfigMap(benchName(i), 1), kv.modRevision);
  }
  await store.list(warmPrefix);
}

function storeFanOut(store: Store): FanOutTarget {
  const controller = new AbortController();
  const loops: Promise<void>[] = [];
  return {
    async open(watchers, deliver, fail) {
      // One signal ends every watch; each watch listens on it.
      setMaxListeners(watchers + 10, controller.signal);
      const from = await store.currentRevision();
      for (let w = 0; w < watchers; w++) {
        loops.push(
          (async () => {
            try {
              for await (const event of store.watch(fanOutPrefix, from, controller.signal)) {
                if (event.type === "create") deliver(w, event.kv.key.slice(fanOutPrefix.length));
              }
            } catch (err) {
              if (!controller.signal.aborted) fail(err);
            }
          })(),
        );
      }
    },
    async write(name) {
      await store.create(fanOutPrefix + name, storedConfigMap(name));
    },
    async close() {
      controller.abort();
      await Promise.all(loops);
    },
  };
}
