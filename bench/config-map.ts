/**
 * The object every benchmark writes: a small ConfigMap. The raw-store rows
 * store the same JSON the API server would (metadata with uid and
 * timestamp, a few data keys), so the two layers move the same bytes.
 */
import { randomUUID } from "node:crypto";
import type { KubeObject } from "../packages/core/src/api/index.js";

export const benchNamespace = "skiff-bench";

export function benchConfigMap(name: string, generation = 0): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: benchNamespace, labels: { app: "skiff-bench" } },
    data: {
      generation: String(generation),
      "settings.yaml": `replicas: 3\nimage: registry.local/bench:${generation}\nmode: benchmark\n`,
      note: "a ConfigMap of a few hundred bytes, about the size of a typical one",
    },
  };
}

/** The value the raw-store rows write: what the server would store for `benchConfigMap`. */
export function storedConfigMap(name: string, generation = 0): string {
  const obj = benchConfigMap(name, generation);
  obj.metadata.uid = randomUUID();
  obj.metadata.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
  return JSON.stringify(obj);
}

/** Names `cm-00000` … in key order, so a list returns them in creation order. */
export function benchName(index: number): string {
  return `cm-${String(index).padStart(5, "0")}`;
}
