/**
 * What the scheduler writes besides the binding, as pure builders: the
 * `Binding`, the Events a user sees in `kubectl describe pod`, and the
 * `PodScheduled=False` condition of a pod no node fits.
 */
import type { Pod, PodCondition } from "../api/types.js";
import type { KubeObject } from "../api/object.js";

export const eventSource = "default-scheduler";

export function binding(pod: Readonly<Pod>, nodeName: string): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Binding",
    metadata: { name: pod.metadata?.name ?? "", namespace: pod.metadata?.namespace ?? "default", ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) },
    target: { apiVersion: "v1", kind: "Node", name: nodeName },
  };
}

export type SchedulingEventReason = "Scheduled" | "FailedScheduling";

/**
 * A core/v1 Event about the pod. `suffix` makes the name unique
 * (`<pod>.<hex>`, as upstream names events); `now` is an RFC 3339 time.
 */
export function schedulingEvent(pod: Readonly<Pod>, reason: SchedulingEventReason, message: string, now: string, suffix: string): KubeObject {
  const namespace = pod.metadata?.namespace ?? "default";
  return {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${pod.metadata?.name ?? ""}.${suffix}`, namespace },
    involvedObject: {
      apiVersion: "v1",
      kind: "Pod",
      namespace,
      name: pod.metadata?.name,
      ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}),
      ...(pod.metadata?.resourceVersion ? { resourceVersion: pod.metadata.resourceVersion } : {}),
    },
    reason,
    message,
    type: reason === "Scheduled" ? "Normal" : "Warning",
    source: { component: eventSource },
    reportingComponent: eventSource,
    firstTimestamp: now,
    lastTimestamp: now,
    count: 1,
  };
}

export function scheduledMessage(pod: Readonly<Pod>, nodeName: string): string {
  return `Successfully assigned ${pod.metadata?.namespace ?? "default"}/${pod.metadata?.name ?? ""} to ${nodeName}`;
}

/**
 * The pod's conditions with `PodScheduled=False, reason Unschedulable`, or
 * undefined when they already say exactly that (nothing to write). The
 * transition time moves only when the status changes, as upstream.
 */
export function withUnschedulableCondition(conditions: readonly PodCondition[] | undefined, message: string, now: string): PodCondition[] | undefined {
  const list = [...(conditions ?? [])];
  const i = list.findIndex((c) => c.type === "PodScheduled");
  const old = i >= 0 ? list[i] : undefined;
  if (old && old.status === "False" && old.reason === "Unschedulable" && old.message === message) return undefined;
  const next: PodCondition = {
    type: "PodScheduled",
    status: "False",
    reason: "Unschedulable",
    message,
    lastTransitionTime: old && old.status === "False" ? (old.lastTransitionTime ?? now) : now,
  };
  if (i >= 0) list[i] = next;
  else list.push(next);
  return list;
}
