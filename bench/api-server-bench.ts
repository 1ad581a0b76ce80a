/**
 * The same operations as `raw-store-bench.ts`, made on ConfigMaps through a
 * real `skiff server` over HTTPS with the `RestClient` (one keep-alive
 * agent, so at most `concurrency` connections for the request rows and one
 * more per watch).
 */
import { isAlreadyExists, type KubeList, type KubeObject } from "../packages/core/src/api/index.js";
import type { ResourceRef, RestClient, WatchStream } from "../packages/core/src/client/index.js";
import type { BenchOptions } from "./bench-options.js";
import { benchConfigMap, benchName, benchNamespace } from "./config-map.js";
import { measureFanOut, type FanOutTarget } from "./fan-out.js";
import { measure, type Measurement } from "./measure.js";

const configMaps: ResourceRef = { group: "", version: "v1", plural: "configmaps", namespaced: true, kind: "ConfigMap" };
const namespaces: ResourceRef = { group: "", version: "v1", plural: "namespaces", namespaced: false, kind: "Namespace" };
const warmUpNamespace = "skiff-bench-warmup";
const fanOutNamespace = "skiff-bench-fan-out";

export async function benchApiServer(client: RestClient, options: BenchOptions): Promise<Measurement[]> {
  const { n, concurrency } = options;
  for (const name of [benchNamespace, warmUpNamespace, fanOutNamespace]) await ensureNamespace(client, name);
  await warmUp(client);
  const objects = new Array<KubeObject>(n);
  const results: Measurement[] = [];

  results.push(
    await measure("create", n, concurrency, async (i) => {
      objects[i] = await client.create(configMaps, benchConfigMap(benchName(i)));
    }),
  );
  results.push(
    await measure("get", n, concurrency, async (i) => {
      await client.get(configMaps, benchName(i), { namespace: benchNamespace });
    }),
  );
  results.push(
    await measure(`list (all ${n})`, options.listRepeats, 1, async () => {
      const list = await client.list<KubeList>(configMaps, { namespace: benchNamespace });
      if (list.items.length !== n) throw new Error(`list returned ${list.items.length} of ${n} ConfigMaps`);
    }),
  );
  results.push(
    await measure(`list (pages of ${options.pageSize})`, options.listRepeats, 1, async () => {
      let seen = 0;
      let token: string | undefined;
      do {
        const page: KubeList = await client.list<KubeList>(configMaps, {
          namespace: benchNamespace,
          limit: options.pageSize,
          ...(token ? { continue: token } : {}),
        });
        seen += page.items.length;
        token = page.metadata.continue || undefined;
      } while (token);
      if (seen !== n) throw new Error(`paged list returned ${seen} of ${n} ConfigMaps`);
    }),
  );
  results.push(
    await measure("update", n, concurrency, async (i) => {
      const current = objects[i]!;
      objects[i] = await client.update(configMaps, { ...current, data: benchConfigMap(benchName(i), 1)["data"] });
    }),
  );
  results.push(...(await measureFanOut(apiFanOut(client), { watchers: options.watchers, writes: options.fanOutWrites })));
  return results;
}

async function ensureNamespace(client: RestClient, name: string): Promise<void> {
  try {
    await client.create(namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name } });
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
}

/** Lets both processes' JIT settle and opens the pooled connections, outside the measured namespace. */
async function warmUp(client: RestClient): Promise<void> {
  await measure("warm-up", 100, 4, async (i) => {
    const created = await client.create(configMaps, { ...benchConfigMap(benchName(i)), metadata: { name: benchName(i), namespace: warmUpNamespace } });
    await client.get(configMaps, benchName(i), { namespace: warmUpNamespace });
    await client.update(configMaps, { ...created, data: { generation: "1" } });
  });
  await client.list(configMaps, { namespace: warmUpNamespace });
}

function apiFanOut(client: RestClient): FanOutTarget {
  const streams: WatchStream<KubeObject>[] = [];
  const loops: Promise<void>[] = [];
  let closing = false;
  return {
    async open(watchers, deliver, fail) {
      // Watch from the list's resourceVersion, so a stream that connects late still sees every write.
      const list = await client.list<KubeList>(configMaps, { namespace: fanOutNamespace, limit: 1 });
      const resourceVersion = list.metadata.resourceVersion;
      for (let w = 0; w < watchers; w++) {
        const stream = client.watch<KubeObject>(configMaps, { namespace: fanOutNamespace, ...(resourceVersion ? { resourceVersion } : {}) });
        streams.push(stream);
        loops.push(
          (async () => {
            try {
              for await (const event of stream) {
                if (event.type === "ADDED" && event.object.metadata.name) deliver(w, event.object.metadata.name);
              }
              if (!closing) fail(new Error(`watch ${w} ended before the benchmark did`));
            } catch (err) {
              if (!closing) fail(err);
            }
          })(),
        );
      }
    },
    async write(name) {
      await client.create(configMaps, { ...benchConfigMap(name), metadata: { name, namespace: fanOutNamespace } });
    },
    async close() {
      closing = true;
      for (const stream of streams) stream.close();
      await Promise.all(loops);
    },
  };
}
