/**
 * Server-side printing: turns objects into a `meta.k8s.io/v1` Table with the
 * strategy's columns, as kube-apiserver does for `kubectl get`. Each row
 * carries the object's metadata (PartialObjectMetadata) or the whole object,
 * per `includeObject`.
 */
import type { KubeObject } from "../../api/object.js";
import type { Strategy } from "../registry/strategy.js";

export type IncludeObject = "None" | "Metadata" | "Object";

export interface Table {
  kind: "Table";
  apiVersion: string;
  metadata: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  columnDefinitions: unknown[];
  rows: { cells: unknown[]; object?: unknown }[];
}

export function toTable(
  strategy: Strategy,
  objects: readonly KubeObject[],
  options: { includeObject: IncludeObject; tableVersion: string; now: number; withColumns?: boolean },
): Table {
  return {
    kind: "Table",
    apiVersion: `meta.k8s.io/${options.tableVersion}`,
    metadata: {},
    columnDefinitions:
      options.withColumns === false
        ? []
        : strategy.columns.map((c) => ({
            name: c.name,
            type: c.type,
            format: c.format ?? "",
            description: c.description ?? "",
            priority: c.priority,
          })),
    rows: objects.map((obj) => {
      const row: { cells: unknown[]; object?: unknown } = { cells: strategy.row(obj, options.now) };
      if (options.includeObject === "Object") row.object = obj;
      else if (options.includeObject === "Metadata") row.object = partialObjectMetadata(obj);
      return row;
    }),
  };
}

export function partialObjectMetadata(obj: KubeObject): unknown {
  return {
    kind: "PartialObjectMetadata",
    apiVersion: "meta.k8s.io/v1",
    metadata: obj.metadata,
  };
}

export function parseIncludeObject(value: string | null): IncludeObject {
  return value === "None" || value === "Object" ? value : "Metadata";
}
