/**
 * A deployment's status, computed from its replica sets, and its two
 * conditions:
 *
 *   Available    True  MinimumReplicasAvailable    available ≥ replicas − maxUnavailable
 *                False MinimumReplicasUnavailable
 *   Progressing  True  NewReplicaSetCreated / FoundNewReplicaSet / ReplicaSetUpdated
 *                True  NewReplicaSetAvailable      the rollout completed
 *                False ProgressDeadlineExceeded    no progress for progressDeadlineSeconds
 *                Unknown DeploymentPaused / DeploymentResumed
 *
 * A condition set again with the same status and reason is left as it is
 * (timestamps included), so a status that did not change is not written.
 */
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from "../../api/index.js";
import { formatTime } from "../shared/index.js";
import { desiredReplicas, maxUnavailable, sumAvailable, sumReady, sumSpecReplicas, sumStatusReplicas } from "./rollout-math.js";

export type ConditionType = "Available" | "Progressing" | "ReplicaFailure";
export type ConditionReason =
  | "MinimumReplicasAvailable"
  | "MinimumReplicasUnavailable"
  | "NewReplicaSetCreated"
  | "FoundNewReplicaSet"
  | "ReplicaSetUpdated"
  | "NewReplicaSetAvailable"
  | "ProgressDeadlineExceeded"
  | "ReplicaSetCreateError"
  | "DeploymentPaused"
  | "DeploymentResumed";

export function newCondition(type: ConditionType, status: "True" | "False" | "Unknown", reason: ConditionReason, message: string, now: number): DeploymentCondition {
  const t = formatTime(now);
  return { type, status, reason, message, lastUpdateTime: t, lastTransitionTime: t };
}

export function getCondition(status: Readonly<DeploymentStatus> | undefined, type: ConditionType): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Upstream `SetDeploymentCondition`: same status and reason → unchanged; same status → keep the transition time. */
export function setCondition(status: DeploymentStatus, condition: DeploymentCondition): void {
  const current = getCondition(status, condition.type as ConditionType);
  if (current && current.status === condition.status && current.reason === condition.reason) return;
  const next = current && current.status === condition.status ? { ...condition, lastTransitionTime: current.lastTransitionTime } : condition;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== condition.type), next];
}

export function removeCondition(status: DeploymentStatus, type: ConditionType): void {
  if (!status.conditions) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
  if (status.conditions.length === 0) delete status.conditions;
}

export function hasProgressDeadline(d: Readonly<Deployment>): boolean {
  const s = d.spec?.progressDeadlineSeconds;
  return s !== undefined && s !== null && s !== 2147483647;
}

/** Upstream `calculateStatus`. */
export function calculateStatus(allRSs: readonly Readonly<ReplicaSet>[], newRS: Readonly<ReplicaSet> | undefined, d: Readonly<Deployment>, now: number): DeploymentStatus {
  const available = sumAvailable(allRSs);
  const total = sumSpecReplicas(allRSs);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation,
    replicas: sumStatusReplicas(allRSs),
    updatedReplicas: sumStatusReplicas(newRS ? [newRS] : []),
    readyReplicas: sumReady(allRSs),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, total - available),
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    ...(d.status?.conditions ? { conditions: structuredClone(d.status.conditions) } : {}),
  };
  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability.", now));
  } else {
    setCondition(status, newCondition("Available", "False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.", now));
  }
  return status;
}

/** Every replica updated, present and available, for the current generation. */
export function isComplete(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>): boolean {
  const replicas = desiredReplicas(d);
  return (
    (status.updatedReplicas ?? 0) === replicas &&
    (status.replicas ?? 0) === replicas &&
    (status.availableReplicas ?? 0) === replicas &&
    (status.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0)
  );
}

/** Upstream `DeploymentProgressing`: more updated, fewer old, more ready or more available than the deployment shows. */
export function isProgressing(d: Readonly<Deployment>, next: Readonly<DeploymentStatus>): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** Upstream `DeploymentTimedOut`: the Progressing condition was last updated more than the deadline ago. */
export function isTimedOut(d: Readonly<Deployment>, status: Readonly<DeploymentStatus>, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(status, "Progressing");
  if (!c) return false;
  if (c.reason === "NewReplicaSetAvailable") return false;
  if (c.reason === "ProgressDeadlineExceeded") return true;
  const from = Date.parse(c.lastUpdateTime ?? "");
  return !Number.isNaN(from) && from + d.spec!.progressDeadlineSeconds! * 1000 < now;
}

/** Compares statuses ignoring key order and absent-vs-undefined. */
export function statusEqual(a: Readonly<DeploymentStatus> | undefined, b: Readonly<DeploymentStatus> | undefined): boolean {
  const norm = (s: Readonly<DeploymentStatus> | undefined) => {
    const x = s ?? {};
    return JSON.stringify([
      x.observedGeneration ?? 0,
      x.replicas ?? 0,
      x.updatedReplicas ?? 0,
      x.readyReplicas ?? 0,
      x.availableReplicas ?? 0,
      x.unavailableReplicas ?? 0,
      x.collisionCount ?? 0,
      [...(x.conditions ?? [])]
        .sort((p, q) => p.type.localeCompare(q.type))
        .map((c) => [c.type, c.status, c.reason, c.message, c.lastUpdateTime, c.lastTransitionTime]),
    ]);
  };
  return norm(a) === norm(b);
}
