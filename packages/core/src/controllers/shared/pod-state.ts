/**
 * What the workload controllers read from a pod's status. A pod counts
 * toward a replica set while it is active: not terminal (Succeeded,
 * Failed) and not being deleted. It is ready when its `Ready` condition is
 * `True`, and available once it has been ready for `minReadySeconds`.
 * Pods without a kubelet stay Pending with no conditions: active, not ready.
 */
import type { Pod, PodCondition } from "../../api/index.js";

export function isPodActive(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase !== "Succeeded" && phase !== "Failed" && !pod.metadata?.deletionTimestamp;
}

export function podReadyCondition(pod: Readonly<Pod>): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === "Ready");
}

export function isPodReady(pod: Readonly<Pod>): boolean {
  return podReadyCondition(pod)?.status === "True";
}

/**
 * Ready for at least `minReadySeconds` at `now` (ms). A ready pod whose
 * condition has no transition time counts as available, as upstream.
 */
export function isPodAvailable(pod: Readonly<Pod>, minReadySeconds: number, now: number): boolean {
  const ready = podReadyCondition(pod);
  if (ready?.status !== "True") return false;
  if (minReadySeconds <= 0 || !ready.lastTransitionTime) return true;
  return Date.parse(ready.lastTransitionTime) + minReadySeconds * 1000 <= now;
}
