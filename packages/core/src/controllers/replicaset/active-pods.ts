/**
 * Which pods a replica set deletes first when it has too many: the ones
 * whose loss hurts least. A simplified `controller.ActivePods` ordering:
 *
 *   unscheduled < scheduled
 *   Pending < Unknown < Running
 *   not ready < ready
 *   ready for a shorter time < ready longer
 *   more container restarts < fewer
 *   newer < older
 */
import type { Pod } from "../../api/index.js";
import { isPodReady, podReadyCondition } from "../shared/index.js";

const phaseRank: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: Readonly<Pod>, b: Readonly<Pod>): number {
  const scheduledA = a.spec?.nodeName ? 1 : 0;
  const scheduledB = b.spec?.nodeName ? 1 : 0;
  if (scheduledA !== scheduledB) return scheduledA - scheduledB;
  const phaseA = phaseRank[a.status?.phase ?? "Pending"] ?? 0;
  const phaseB = phaseRank[b.status?.phase ?? "Pending"] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(a) ? 1 : 0;
  const readyB = isPodReady(b) ? 1 : 0;
  if (readyA !== readyB) return readyA - readyB;
  if (readyA && readyB) {
    const sinceA = time(podReadyCondition(a)?.lastTransitionTime);
    const sinceB = time(podReadyCondition(b)?.lastTransitionTime);
    if (sinceA !== sinceB) return sinceB - sinceA;
  }
  const restarts = restartsOf(b) - restartsOf(a);
  if (restarts !== 0) return restarts;
  return time(b.metadata?.creationTimestamp) - time(a.metadata?.creationTimestamp);
}

/** The `count` pods to delete first. */
export function podsToDelete<P extends Readonly<Pod>>(pods: readonly P[], count: number): P[] {
  return [...pods].sort(compareForDeletion).slice(0, Math.max(0, count));
}

function restartsOf(pod: Readonly<Pod>): number {
  return (pod.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** Milliseconds; a missing time sorts as the oldest. */
function time(value: string | undefined): number {
  const t = value ? Date.parse(value) : NaN;
  return Number.isNaN(t) ? 0 : t;
}
