/**
 * One step of a daemon set's rolling update without surge (upstream
 * `rollingUpdate`, maxSurge 0): which old pods to delete now so that at
 * most `maxUnavailable` of the nodes that should run a daemon are without
 * an available one. The manage step then creates new pods where the old
 * ones went.
 *
 *   node with no pod, or a new pod not yet available ─▶ unavailable
 *   node with an old pod that is not available ───────▶ unavailable; delete it
 *                                                       anyway (it serves nothing)
 *   node with an available old pod ───────────────────▶ candidate, deleted
 *                                                       while the budget lasts
 *   node with both, or duplicates ────────────────────▶ unavailable; the
 *                                                       manage step sorts it out
 */
import type { DaemonSet, KubeObject, Pod } from "../../api/index.js";
import { isPodAvailable } from "../shared/index.js";
import { revisionHashLabel } from "./daemon-pod.js";

type PodObject = Pod & KubeObject;

/**
 * `rollingUpdate.maxUnavailable` of `desired` nodes: an int, or a percent
 * rounded up (upstream rounds up for daemon sets); 1 when it and maxSurge
 * both come out 0, so the update can move.
 */
export function resolveMaxUnavailable(ds: Readonly<DaemonSet>, desired: number): number {
  const rolling = ds.spec?.updateStrategy?.rollingUpdate;
  const scaled = (v: number | string | undefined, fallback: number) => {
    if (v === undefined || v === null) return fallback;
    if (typeof v === "number") return v;
    const m = /^(\d+)%$/.exec(v);
    if (m) return Math.ceil((Number(m[1]) * desired) / 100);
    const n = Number(v);
    return Number.isInteger(n) ? n : fallback;
  };
  const unavailable = scaled(rolling?.maxUnavailable, 1);
  const surge = scaled(rolling?.maxSurge, 0);
  return surge === 0 && unavailable === 0 ? 1 : unavailable;
}

export function isPodUpdated(pod: Readonly<PodObject>, hash: string): boolean {
  return pod.metadata.labels?.[revisionHashLabel] === hash;
}

/**
 * `nodeToPods`: the live (not being deleted) daemon pods of each node that
 * should run one, nodes without pods included. Returns the pods to delete,
 * in node-name order.
 */
export function oldPodsToDelete(
  nodeToPods: ReadonlyMap<string, readonly Readonly<PodObject>[]>,
  hash: string,
  maxUnavailable: number,
  minReadySeconds: number,
  now: number,
): Readonly<PodObject>[] {
  let unavailable = 0;
  const replaceAnyway: Readonly<PodObject>[] = [];
  const candidates: Readonly<PodObject>[] = [];
  for (const node of [...nodeToPods.keys()].sort()) {
    const pods = nodeToPods.get(node)!;
    const fresh = pods.filter((p) => isPodUpdated(p, hash));
    const old = pods.filter((p) => !isPodUpdated(p, hash));
    if (fresh.length > 1 || old.length > 1 || (fresh.length === 0) === (old.length === 0)) {
      unavailable++;
      continue;
    }
    if (fresh.length === 1) {
      if (!isPodAvailable(fresh[0]!, minReadySeconds, now)) unavailable++;
      continue;
    }
    const pod = old[0]!;
    if (!isPodAvailable(pod, minReadySeconds, now)) {
      replaceAnyway.push(pod);
      unavailable++;
    } else if (unavailable < maxUnavailable) candidates.push(pod);
  }
  const budget = Math.max(0, Math.min(maxUnavailable - unavailable, candidates.length));
  return [...replaceAnyway, ...candidates.slice(0, budget)];
}
