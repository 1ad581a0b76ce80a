/**
 * kubectl's rollout status viewers, as pure functions of one object: the
 * line to print and whether the rollout is done. The conditions and the
 * words are kubectl's (`polymorphichelpers/rollout_status.go`), so scripts
 * that grep kubectl's output read ours alike.
 *
 *   Deployment   generation observed → not past its progress deadline →
 *                updated ≥ replicas → no old replicas left → updated available
 *   DaemonSet    (RollingUpdate only) updated ≥ desired → available ≥ desired
 *   StatefulSet  (RollingUpdate only) ready → partition reached → revisions equal
 */
import type { DaemonSet, Deployment, KubeObject } from "../api/index.js";

export interface RolloutStatus {
  /** One line, ending in a newline. */
  message: string;
  done: boolean;
}

/** The annotation a deployment and its replica sets carry their revision in. */
export const revisionAnnotation = "deployment.kubernetes.io/revision";

/** Whether `rolloutStatus` knows the kind. */
export function hasStatusViewer(kind: string, group: string): boolean {
  return group === "apps" && (kind === "Deployment" || kind === "DaemonSet" || kind === "StatefulSet");
}

/**
 * The status of a Deployment, DaemonSet or StatefulSet (`kind` is given
 * apart because list items come without one). `revision` (> 0) pins a
 * deployment to a revision: another one running is an error. Throws for
 * states kubectl treats as failures (deadline exceeded, wrong update
 * strategy).
 */
export function rolloutStatus(kind: string, obj: KubeObject, revision = 0): RolloutStatus {
  switch (kind) {
    case "Deployment":
      return deploymentStatus(obj as Deployment & KubeObject, revision);
    case "DaemonSet":
      return daemonSetStatus(obj as DaemonSet & KubeObject);
    case "StatefulSet":
      return statefulSetStatus(obj as StatefulSetLike);
    default:
      throw new Error(`no status viewer has been implemented for ${kind}`);
  }
}

export function deploymentStatus(d: Deployment, revision = 0): RolloutStatus {
  const name = d.metadata?.name ?? "";
  if (revision > 0) {
    const running = Number(d.metadata?.annotations?.[revisionAnnotation] ?? "");
    if (!Number.isInteger(running)) {
      throw new Error(`cannot get the revision of deployment "${name}": invalid revision annotation`);
    }
    if (running !== revision) {
      throw new Error(`desired revision (${revision}) is different from the running revision (${running})`);
    }
  }
  const status = d.status ?? {};
  if ((d.metadata?.generation ?? 0) <= (status.observedGeneration ?? 0)) {
    const progressing = status.conditions?.find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") {
      throw new Error(`deployment "${name}" exceeded its progress deadline`);
    }
    const updated = status.updatedReplicas ?? 0;
    const replicas = status.replicas ?? 0;
    const available = status.availableReplicas ?? 0;
    const wait = (what: string): RolloutStatus => ({
      message: `Waiting for deployment "${name}" rollout to finish: ${what}...\n`,
      done: false,
    });
    if (d.spec?.replicas !== undefined && updated < d.spec.replicas) {
      return wait(`${updated} out of ${d.spec.replicas} new replicas have been updated`);
    }
    if (replicas > updated) return wait(`${replicas - updated} old replicas are pending termination`);
    if (available < updated) return wait(`${available} of ${updated} updated replicas are available`);
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: "Waiting for deployment spec update to be observed...\n", done: false };
}

export function daemonSetStatus(ds: DaemonSet): RolloutStatus {
  const name = ds.metadata?.name ?? "";
  // The API defaults the strategy to RollingUpdate; an object without one is read the same way.
  if ((ds.spec?.updateStrategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new Error("rollout status is only available for RollingUpdate strategy type");
  }
  const status = ds.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  if ((ds.metadata?.generation ?? 0) <= (status.observedGeneration ?? 0)) {
    const updated = status.updatedNumberScheduled ?? 0;
    const desired = status.desiredNumberScheduled ?? 0;
    const available = status.numberAvailable ?? 0;
    if (updated < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n`, done: false };
    }
    if (available < desired) {
      return { message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n`, done: false };
    }
    return { message: `daemon set "${name}" successfully rolled out\n`, done: true };
  }
  return { message: "Waiting for daemon set spec update to be observed...\n", done: false };
}

/** The fields of a StatefulSet the viewer reads (Skiff serves no StatefulSets yet; a server that does is read alike). */
export interface StatefulSetLike extends KubeObject {
  spec?: {
    replicas?: number;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    currentReplicas?: number;
    updateRevision?: string;
    currentRevision?: string;
  };
}

export function statefulSetStatus(sts: StatefulSetLike): RolloutStatus {
  const strategy = sts.spec?.updateStrategy;
  if ((strategy?.type ?? "RollingUpdate") !== "RollingUpdate") {
    throw new Error("rollout status is only available for RollingUpdate strategy type");
  }
  const status = sts.status ?? {};
  const observed = status.observedGeneration ?? 0;
  if (observed === 0 || (sts.metadata?.generation ?? 0) > observed) {
    return { message: "Waiting for statefulset spec update to be observed...\n", done: false };
  }
  const replicas = sts.spec?.replicas;
  const ready = status.readyReplicas ?? 0;
  const updated = status.updatedReplicas ?? 0;
  if (replicas !== undefined && ready < replicas) {
    return { message: `Waiting for ${replicas - ready} pods to be ready...\n`, done: false };
  }
  if (strategy?.rollingUpdate) {
    const partition = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return { message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n`, done: false };
    }
    return { message: `partitioned roll out complete: ${updated} new pods have been updated...\n`, done: true };
  }
  if (status.updateRevision !== status.currentRevision) {
    return { message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${status.updateRevision ?? ""}...\n`, done: false };
  }
  return { message: `statefulset rolling update complete ${status.currentReplicas ?? 0} pods at revision ${status.currentRevision ?? ""}...\n`, done: true };
}
