/**
 * The annotations that tie a deployment to its replica sets:
 *
 *   deployment.kubernetes.io/revision          which rollout a replica set is (and the deployment's current one)
 *   deployment.kubernetes.io/revision-history  earlier revisions a reused replica set had (after rollbacks)
 *   deployment.kubernetes.io/desired-replicas  the deployment's replicas when the set was last scaled
 *   deployment.kubernetes.io/max-replicas      replicas + maxSurge then: the base of proportional scaling
 *
 * The deployment's own annotations are copied onto its replica sets, except
 * these and kubectl's last-applied configuration.
 */
import type { KubeObject } from "../../api/index.js";

export const revisionAnnotation = "deployment.kubernetes.io/revision";
export const revisionHistoryAnnotation = "deployment.kubernetes.io/revision-history";
export const desiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas";
export const maxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";

const notCopied = new Set([
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
  "deprecated.deployment.rollback.to",
  "kubectl.kubernetes.io/last-applied-configuration",
]);

/** The revision of a replica set or deployment; 0 when missing or unreadable. */
export function revisionOf(obj: Readonly<KubeObject> | undefined): number {
  const n = Number(obj?.metadata.annotations?.[revisionAnnotation]);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function intAnnotation(obj: Readonly<KubeObject>, name: string): number | undefined {
  const raw = obj.metadata.annotations?.[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined;
}

/** Copies the deployment's annotations onto `rs` (mutated); true if anything changed. */
export function copyDeploymentAnnotations(d: Readonly<KubeObject>, rs: KubeObject): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (notCopied.has(k) || rs.metadata.annotations?.[k] === v) continue;
    rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}), [k]: v };
    changed = true;
  }
  return changed;
}

/** Sets desired- and max-replicas on `rs` (mutated); true if they changed. */
export function setReplicasAnnotations(rs: KubeObject, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  if (a[desiredReplicasAnnotation] === String(desired) && a[maxReplicasAnnotation] === String(max)) return false;
  rs.metadata.annotations = { ...a, [desiredReplicasAnnotation]: String(desired), [maxReplicasAnnotation]: String(max) };
  return true;
}

export function replicasAnnotationsNeedUpdate(rs: Readonly<KubeObject>, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[desiredReplicasAnnotation] !== String(desired) || a[maxReplicasAnnotation] !== String(max);
}

/**
 * Upstream `SetNewReplicaSetAnnotations` on `rs` (mutated): copy the
 * deployment's annotations, raise the revision to `newRevision` (keeping
 * the old one in the history), and for a set being created, the replicas
 * annotations. True if anything changed.
 */
export function setNewReplicaSetAnnotations(d: Readonly<KubeObject>, rs: KubeObject, newRevision: number, exists: boolean, desired: number, max: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const oldRevision = rs.metadata.annotations?.[revisionAnnotation];
  if (revisionOf(rs) < newRevision) {
    const annotations: Record<string, string> = { ...(rs.metadata.annotations ?? {}), [revisionAnnotation]: String(newRevision) };
    if (oldRevision) {
      const history = annotations[revisionHistoryAnnotation];
      annotations[revisionHistoryAnnotation] = history ? `${history},${oldRevision}` : oldRevision;
    }
    rs.metadata.annotations = annotations;
    changed = true;
  }
  if (!exists && setReplicasAnnotations(rs, desired, max)) changed = true;
  return changed;
}
