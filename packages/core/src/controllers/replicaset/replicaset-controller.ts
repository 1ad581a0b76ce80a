/**
 * The ReplicaSet controller keeps `spec.replicas` active pods matching a
 * replica set's selector, and reports what it counts in the status
 * (upstream `syncReplicaSet`).
 *
 * Keys are `namespace/name` of replica sets. Pod events map to the key of
 * the pod's controlling replica set (or, for an orphan, of every replica
 * set in the namespace whose selector matches it, so one can adopt it).
 *
 * One sync:
 *
 *   replica set from the cache ── gone: forget its expectations
 *   candidates (pods it controls + orphans in its namespace, via the
 *     controllerUid index) ── active only ── claim: adopt / release
 *   expectations satisfied and not being deleted?
 *     too few:  create the missing pods in slow-start batches (1, 2, 4, …)
 *     too many: delete the extras, least valuable first (see active-pods.ts)
 *   status (replicas, fullyLabeledReplicas, readyReplicas,
 *     availableReplicas, observedGeneration, ReplicaFailure) ── written
 *     through the status subresource only when it changed
 *
 * Expectations (see shared/expectations.ts) keep a sync from acting on a
 * cache that has not seen its own creations or deletions yet. Pods being
 * deleted or terminal (Succeeded, Failed) do not count as replicas.
 * "Ready" is the pod's Ready condition; "available" is ready for
 * `spec.minReadySeconds`, and a replica set waiting for that is synced again
 * when the time has passed.
 */
import {
  labelSelectorFromStruct,
  objectKey,
  type KubeObject,
  type Pod,
  type ReplicaSet,
  type ReplicaSetCondition,
  type ReplicaSetStatus,
} from "../../api/index.js";
import { isConflict, isNotFound } from "../../api/index.js";
import type { RestClient, ResourceRef } from "../../client/index.js";
import type { Controller } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger, realClock, type Clock } from "../../util/index.js";
import {
  ControllerExpectations,
  ControllerRefManager,
  EventRecorder,
  candidatesOf,
  controllerOf,
  controllerUidIndex,
  controllerUidIndexName,
  formatTime,
  involvedObject,
  isPodActive,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  podsRef,
  recheckOwner,
  replicaSetsRef,
} from "../shared/index.js";
import { podsToDelete } from "./active-pods.js";
import { slowStartBatch } from "./slow-start.js";

const log = logger("replicaset-controller");

export type ReplicaSetObject = ReplicaSet & KubeObject;
export type PodObject = Pod & KubeObject;

export interface ReplicaSetControllerOptions {
  /** @default realClock */
  clock?: Clock;
  /** Builds (or shares) the informers for replicasets and pods. @default an `Informer` over the client, all namespaces */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
  /** @default an `EventRecorder` posting as `replicaset-controller` */
  recorder?: EventRecorder;
  /** Most pods created or deleted for one replica set in one sync. @default 500 */
  burstReplicas?: number;
}

export class ReplicaSetController implements Controller {
  readonly name = "replicaset-controller";
  readonly informers: Informer<KubeObject>[];
  readonly expectations: ControllerExpectations;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly burstReplicas: number;
  private enqueue: (key: string) => void = () => {};
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(
    private readonly client: RestClient,
    options: ReplicaSetControllerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const newInformer = options.newInformer ?? ((ref) => new Informer<KubeObject>(client, ref, { clock: this.clock }));
    this.replicaSets = newInformer(replicaSetsRef) as Informer<ReplicaSetObject>;
    this.pods = newInformer(podsRef) as Informer<PodObject>;
    this.pods.cache.addIndex(controllerUidIndexName, controllerUidIndex);
    this.informers = [this.replicaSets, this.pods] as Informer<KubeObject>[];
    this.expectations = new ControllerExpectations(this.clock);
    this.recorder = options.recorder ?? new EventRecorder(client, this.name, this.clock);
    this.burstReplicas = options.burstReplicas ?? 500;
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueue = enqueue;
    this.enqueueAfter = enqueueAfter;
    this.replicaSets.addEventHandler({
      onAdd: (rs) => enqueue(objectKey(rs)),
      onUpdate: (_old, rs) => enqueue(objectKey(rs)),
      onDelete: (rs) => {
        this.expectations.delete(objectKey(rs));
        enqueue(objectKey(rs));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  async sync(key: string): Promise<void> {
    const rs = this.replicaSets.cache.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const selector = labelSelectorFromStruct(rs.spec?.selector);
    const needsManage = this.expectations.satisfied(key) && !rs.metadata.deletionTimestamp;
    const active = candidatesOf(this.pods.cache, rs).filter(isPodActive);
    const manager = new ControllerRefManager<PodObject>(this.client, rs, selector, {
      controllerRef: newControllerRef(rs, "apps/v1", "ReplicaSet"),
      resource: podsRef,
      canAdopt: recheckOwner(this.client, replicaSetsRef, rs),
    });
    const pods = await manager.claim(active);

    let manageError: unknown;
    let wanted: "create" | "delete" | undefined;
    if (needsManage) {
      try {
        wanted = await this.manageReplicas(key, rs, pods);
      } catch (err) {
        manageError = err;
        wanted = (rs.spec?.replicas ?? 1) > pods.length ? "create" : "delete";
      }
    }

    const status = this.calculateStatus(rs, pods, manageError, wanted);
    const updated = await this.updateStatus(rs, status);
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && updated.status?.readyReplicas === updated.spec?.replicas && updated.status?.availableReplicas !== updated.spec?.replicas) {
      this.enqueueAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /** Creates or deletes pods to close the gap; returns which it did. */
  private async manageReplicas(key: string, rs: Readonly<ReplicaSetObject>, pods: readonly Readonly<PodObject>[]): Promise<"create" | "delete" | undefined> {
    const desired = rs.spec?.replicas ?? 1;
    const diff = pods.length - desired;
    if (diff < 0) {
      const count = Math.min(-diff, this.burstReplicas);
      this.expectations.expectCreations(key, count);
      log.debug({ key, count, have: pods.length, want: desired }, "too few replicas; creating");
      const { successes, error } = await slowStartBatch(count, 1, () => this.createPod(rs));
      // Creations never made (or failed) will never be observed.
      for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
      if (error !== undefined) throw error;
      return "create";
    }
    if (diff > 0) {
      const victims = podsToDelete(pods, Math.min(diff, this.burstReplicas));
      const victimKeys = victims.map((p) => objectKey(p));
      this.expectations.expectDeletions(key, victimKeys);
      log.debug({ key, count: victims.length, have: pods.length, want: desired }, "too many replicas; deleting");
      const results = await Promise.allSettled(victims.map((p) => this.deletePod(rs, p)));
      let error: unknown;
      results.forEach((r, i) => {
        if (r.status === "fulfilled") return;
        this.expectations.deletionObserved(key, victimKeys[i]!);
        if (!isNotFound(r.reason)) error ??= r.reason;
      });
      if (error !== undefined) throw error;
      return "delete";
    }
    return undefined;
  }

  private async createPod(rs: Readonly<ReplicaSetObject>): Promise<void> {
    const template = rs.spec?.template ?? {};
    const pod: PodObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${rs.metadata.name}-`,
        namespace: rs.metadata.namespace,
        ...(template.metadata?.labels ? { labels: { ...template.metadata.labels } } : {}),
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(rs, "apps/v1", "ReplicaSet")],
      },
      spec: structuredClone(template.spec) as PodObject["spec"],
    };
    try {
      const created = await this.client.create(podsRef, pod, { namespace: rs.metadata.namespace });
      this.recorder.event(involvedObject(rs, "apps/v1", "ReplicaSet"), "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.recorder.event(involvedObject(rs, "apps/v1", "ReplicaSet"), "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  private async deletePod(rs: Readonly<ReplicaSetObject>, pod: Readonly<PodObject>): Promise<void> {
    try {
      await this.client.delete(podsRef, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
      this.recorder.event(involvedObject(rs, "apps/v1", "ReplicaSet"), "Normal", "SuccessfulDelete", `Deleted pod: ${pod.metadata.name}`);
    } catch (err) {
      if (!isNotFound(err)) {
        this.recorder.event(involvedObject(rs, "apps/v1", "ReplicaSet"), "Warning", "FailedDelete", `Error deleting: ${(err as Error).message}`);
      }
      throw err;
    }
  }

  private calculateStatus(
    rs: Readonly<ReplicaSetObject>,
    pods: readonly Readonly<PodObject>[],
    manageError: unknown,
    wanted: "create" | "delete" | undefined,
  ): ReplicaSetStatus {
    const templateLabels = rs.spec?.template?.metadata?.labels ?? {};
    const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
    const now = this.clock.now();
    let fullyLabeled = 0;
    let ready = 0;
    let available = 0;
    for (const pod of pods) {
      const labels = pod.metadata.labels ?? {};
      if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fullyLabeled++;
      if (isPodReady(pod)) ready++;
      if (isPodAvailable(pod, minReadySeconds, now)) available++;
    }
    let conditions = (rs.status?.conditions ?? []).filter((c) => c.type !== "ReplicaFailure");
    const failure = rs.status?.conditions?.find((c) => c.type === "ReplicaFailure");
    if (manageError !== undefined) {
      const reason = wanted === "delete" ? "FailedDelete" : "FailedCreate";
      const message = (manageError as Error).message ?? String(manageError);
      const condition: ReplicaSetCondition =
        failure?.status === "True" && failure.reason === reason && failure.message === message
          ? failure
          : { type: "ReplicaFailure", status: "True", reason, message, lastTransitionTime: formatTime(now) };
      conditions = [...conditions, condition];
    }
    return {
      replicas: pods.length,
      fullyLabeledReplicas: fullyLabeled,
      readyReplicas: ready,
      availableReplicas: available,
      observedGeneration: rs.metadata.generation,
      ...(conditions.length > 0 ? { conditions } : {}),
    };
  }

  /** Writes `status` if it differs from what the replica set shows; retries once on a conflict with a fresh read. */
  private async updateStatus(rs: Readonly<ReplicaSetObject>, status: ReplicaSetStatus): Promise<Readonly<ReplicaSetObject>> {
    if (statusEqual(rs.status ?? { replicas: 0 }, status)) return rs;
    let current: ReplicaSetObject = structuredClone(rs) as ReplicaSetObject;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.updateStatus(replicaSetsRef, { ...current, status }, { namespace: rs.metadata.namespace });
      } catch (err) {
        if (!isConflict(err) || attempt >= 1) throw err;
        current = await this.client.get<ReplicaSetObject>(replicaSetsRef, rs.metadata.name!, { namespace: rs.metadata.namespace });
        if (current.metadata.uid !== rs.metadata.uid) return rs;
      }
    }
  }

  // ── pod events → replica set keys ──────────────────────────────────────

  /** The replica set in the cache that `ref` points at (same uid), if any. */
  private controllingReplicaSet(pod: Readonly<PodObject>): Readonly<ReplicaSetObject> | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== "ReplicaSet" || !ref.apiVersion.startsWith("apps/")) return undefined;
    const rs = this.replicaSets.cache.get(`${pod.metadata.namespace}/${ref.name}`);
    return rs && rs.metadata.uid === ref.uid ? rs : undefined;
  }

  /** Replica sets in the pod's namespace whose selector matches it: the ones that may adopt an orphan. */
  private matchingReplicaSets(pod: Readonly<PodObject>): Readonly<ReplicaSetObject>[] {
    return this.replicaSets.cache
      .byIndex("namespace", pod.metadata.namespace ?? "")
      .filter((rs) => labelSelectorFromStruct(rs.spec?.selector).matches(pod.metadata.labels) && !labelSelectorFromStruct(rs.spec?.selector).empty);
  }

  private podAdded(pod: Readonly<PodObject>): void {
    if (pod.metadata.deletionTimestamp) {
      // Seen first while already being deleted (e.g. after a relist): a deletion, not a creation.
      this.podDeleted(pod);
      return;
    }
    if (controllerOf(pod)) {
      const rs = this.controllingReplicaSet(pod);
      if (!rs) return;
      const key = objectKey(rs);
      this.expectations.creationObserved(key);
      this.enqueue(key);
      return;
    }
    for (const rs of this.matchingReplicaSets(pod)) this.enqueue(objectKey(rs));
  }

  private podUpdated(old: Readonly<PodObject>, cur: Readonly<PodObject>): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return; // a resync: nothing new
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // Graceful deletion started: the replica set can replace it now rather than after it is gone.
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const rs = this.controllingReplicaSet(old);
      if (rs) this.enqueue(objectKey(rs));
    }
    if (curRef) {
      const rs = this.controllingReplicaSet(cur);
      if (!rs) return;
      const key = objectKey(rs);
      this.enqueue(key);
      const minReadySeconds = rs.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(cur)) this.enqueueAfter(key, minReadySeconds * 1000);
      return;
    }
    if (labelsChanged || oldRef) for (const rs of this.matchingReplicaSets(cur)) this.enqueue(objectKey(rs));
  }

  private podDeleted(pod: Readonly<PodObject>): void {
    const rs = this.controllingReplicaSet(pod);
    if (!rs) return;
    const key = objectKey(rs);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.enqueue(key);
  }
}

/** Compares the fields this controller owns, ignoring key order and absent-vs-zero. */
function statusEqual(a: ReplicaSetStatus, b: ReplicaSetStatus): boolean {
  const norm = (s: ReplicaSetStatus) =>
    JSON.stringify([
      s.replicas ?? 0,
      s.fullyLabeledReplicas ?? 0,
      s.readyReplicas ?? 0,
      s.availableReplicas ?? 0,
      s.observedGeneration ?? 0,
      (s.conditions ?? []).map((c) => [c.type, c.status, c.reason, c.message, c.lastTransitionTime]),
    ]);
  return norm(a) === norm(b);
}
