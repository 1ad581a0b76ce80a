/**
 * The taints the node lifecycle controller owns, as a pure function of the
 * node (upstream `doNoScheduleTaintingPass` and the NoExecute half of
 * `processTaintBaseEviction`).
 *
 *   condition            status    NoSchedule taint                  NoExecute taint
 *   Ready                False     node.kubernetes.io/not-ready      node.kubernetes.io/not-ready
 *   Ready                Unknown   node.kubernetes.io/unreachable    node.kubernetes.io/unreachable
 *   MemoryPressure       True      node.kubernetes.io/memory-pressure
 *   DiskPressure         True      node.kubernetes.io/disk-pressure
 *   PIDPressure          True      node.kubernetes.io/pid-pressure
 *   NetworkUnavailable   True      node.kubernetes.io/network-unavailable
 *   spec.unschedulable   true      node.kubernetes.io/unschedulable
 *
 * NoExecute taints carry `timeAdded`, which the taint eviction counts
 * tolerationSeconds from; a taint already present keeps its time. A node
 * without a Ready condition keeps whatever NoExecute taints it has. Taints
 * with other keys or effects are someone else's and are never touched.
 */
import type { Node, Taint } from "../../api/index.js";
import { formatTime } from "../shared/index.js";

export const notReadyTaintKey = "node.kubernetes.io/not-ready";
export const unreachableTaintKey = "node.kubernetes.io/unreachable";
export const unschedulableTaintKey = "node.kubernetes.io/unschedulable";

const noScheduleByCondition: Record<string, Partial<Record<string, string>>> = {
  Ready: { False: notReadyTaintKey, Unknown: unreachableTaintKey },
  MemoryPressure: { True: "node.kubernetes.io/memory-pressure" },
  DiskPressure: { True: "node.kubernetes.io/disk-pressure" },
  PIDPressure: { True: "node.kubernetes.io/pid-pressure" },
  NetworkUnavailable: { True: "node.kubernetes.io/network-unavailable" },
};

const managedNoScheduleKeys = new Set([...Object.values(noScheduleByCondition).flatMap((m) => Object.values(m) as string[]), unschedulableTaintKey]);
const managedNoExecuteKeys = new Set([notReadyTaintKey, unreachableTaintKey]);

function isManaged(taint: Taint): boolean {
  return taint.effect === "NoSchedule" ? managedNoScheduleKeys.has(taint.key) : taint.effect === "NoExecute" && managedNoExecuteKeys.has(taint.key);
}

const id = (t: Pick<Taint, "key" | "effect">) => `${t.key}:${t.effect}`;

/** The managed taints the node should carry now, without times. */
export function wantedTaints(node: Readonly<Node>): Taint[] {
  const wanted: Taint[] = [];
  for (const condition of node.status?.conditions ?? []) {
    const key = noScheduleByCondition[condition.type]?.[condition.status];
    if (key) wanted.push({ key, effect: "NoSchedule" });
  }
  if (node.spec?.unschedulable) wanted.push({ key: unschedulableTaintKey, effect: "NoSchedule" });
  const ready = node.status?.conditions?.find((c) => c.type === "Ready");
  if (ready?.status === "False") wanted.push({ key: notReadyTaintKey, effect: "NoExecute" });
  if (ready?.status === "Unknown") wanted.push({ key: unreachableTaintKey, effect: "NoExecute" });
  if (!ready) {
    for (const t of node.spec?.taints ?? []) if (t.effect === "NoExecute" && managedNoExecuteKeys.has(t.key)) wanted.push({ key: t.key, effect: t.effect });
  }
  return wanted;
}

/**
 * The node's full taint list after reconciling the managed ones, or
 * undefined when nothing changes. Others' taints keep their order; new
 * ones are appended, NoExecute ones stamped with `now`.
 */
export function reconcileTaints(node: Readonly<Node>, now: number): Taint[] | undefined {
  const existing = node.spec?.taints ?? [];
  const wanted = new Map(wantedTaints(node).map((t) => [id(t), t]));
  const kept = existing.filter((t) => !isManaged(t) || wanted.has(id(t)));
  const present = new Set(kept.map(id));
  const added = [...wanted.values()]
    .filter((t) => !present.has(id(t)))
    .map((t) => (t.effect === "NoExecute" ? { ...t, timeAdded: formatTime(now) } : t));
  if (added.length === 0 && kept.length === existing.length) return undefined;
  return [...kept, ...added];
}

export function noExecuteTaints(node: Readonly<Node>): Taint[] {
  return (node.spec?.taints ?? []).filter((t) => t.effect === "NoExecute");
}
