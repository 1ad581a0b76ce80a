/**
 * A Table built on the client from plain objects, for servers (or kinds)
 * that do not answer `as=Table`. kubectl prints `NAME AGE` in that case.
 */
import type { KubeObject } from "../../api/index.js";
import type { Table } from "./table-printer.js";
import { humanDuration } from "../../util/human-duration.js";

export function objectsToTable(objects: KubeObject[], now: number): Table {
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    columnDefinitions: [
      { name: "Name", type: "string", format: "name", priority: 0 },
      { name: "Age", type: "string", format: "", priority: 0 },
    ],
    rows: objects.map((o) => ({
      cells: [o.metadata?.name ?? "", age(o.metadata?.creationTimestamp, now)],
      object: { metadata: o.metadata },
    })),
  };
}

function age(timestamp: string | undefined, now: number): string {
  const t = timestamp ? Date.parse(timestamp) : NaN;
  return Number.isNaN(t) ? "<unknown>" : humanDuration(now - t);
}
