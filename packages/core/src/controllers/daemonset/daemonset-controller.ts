/**
 * The DaemonSet controller runs one pod of a daemon set on every node
 * that should run it (upstream `syncDaemonSet`, without surge and without
 * ControllerRevision objects, which Skiff does not serve).
 *
 * Keys are `namespace/name` of daemon sets. Pod events map to the pod's
 * controlling daemon set (or, for an orphan, every matching one in its
 * namespace); node events enqueue every daemon set, since any of them may
 * now run there or no longer.
 *
 * One sync:
 *
 *   daemon set from the cache ── gone: forget expectations
 *   claim its pods (adopt / release); group them by target node
 *   expectations satisfied and not being deleted?
 *     per node (node-eligibility.ts):
 *       should run, no pod ──────────────▶ create one (daemon-pod.ts)
 *       may continue: failed or succeeded pods deleted (failed ones with
 *         a per-node back-off), duplicates deleted, the oldest kept
 *       may not continue, pods there ───▶ delete them
 *     pods for nodes that do not exist ─▶ delete them
 *     nothing to do and RollingUpdate ──▶ delete old-template pods within
 *       maxUnavailable (rolling-update.ts); the next syncs recreate them
 *     OnDelete: old pods are replaced only when someone deletes them
 *   status (desired/current/misscheduled/ready/available/updated/
 *     unavailable, observedGeneration) ── written only when it changed
 *
 * A pod's template is named by the `controller-revision-hash` label: the
 * deployment's `computeHash` of the template and `status.collisionCount`.
 */
import {
  isConflict,
  isNotFound,
  labelSelectorFromStruct,
  objectKey,
  type DaemonSet,
  type DaemonSetStatus,
  type KubeObject,
  type Node,
  type Pod,
} from "../../api/index.js";
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
  involvedObject,
  isPodAvailable,
  isPodReady,
  newControllerRef,
  podsRef,
  recheckOwner,
} from "../shared/index.js";
import { slowStartBatch } from "../replicaset/index.js";
import { computeHash } from "../deployment/index.js";
import { daemonPodSpec, revisionHashLabel, targetNodeName } from "./daemon-pod.js";
import { daemonPodTolerations, nodeEligibility, type NodeEligibility } from "./node-eligibility.js";
import { isPodUpdated, oldPodsToDelete, resolveMaxUnavailable } from "./rolling-update.js";

const log = logger("daemonset-controller");

export const daemonSetsRef: ResourceRef = { group: "apps", version: "v1", plural: "daemonsets", namespaced: true, kind: "DaemonSet" };
export const nodesRef: ResourceRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };

export type DaemonSetObject = DaemonSet & KubeObject;
export type PodObject = Pod & KubeObject;
export type NodeObject = Node & KubeObject;

/** Upstream's failed-pod back-off per daemon set and node: 1 s doubling to 15 min. */
const failedPodBackoffBaseMs = 1_000;
const failedPodBackoffMaxMs = 15 * 60_000;

export interface DaemonSetControllerOptions {
  /** @default realClock */
  clock?: Clock;
  /** Builds (or shares) the informers for daemonsets, pods and nodes. @default an `Informer` over the client, all namespaces */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
  /** @default an `EventRecorder` posting as `daemonset-controller` */
  recorder?: EventRecorder;
  /** Most pods created or deleted for one daemon set in one sync. @default 250 */
  burstReplicas?: number;
}

/**
 * Creations and deletions may both be issued in one sync, and
 * `ControllerExpectations` holds one kind per key: deletions are awaited
 * under this second key.
 */
export const deletionsKey = (key: string) => `${key}#deletions`;

export class DaemonSetController implements Controller {
  readonly name = "daemonset-controller";
  readonly informers: Informer<KubeObject>[];
  readonly expectations: ControllerExpectations;
  private readonly daemonSets: Informer<DaemonSetObject>;
  private readonly pods: Informer<PodObject>;
  private readonly nodes: Informer<NodeObject>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly burstReplicas: number;
  private readonly failedPodBackoff = new Map<string, { delayMs: number; updated: number }>();
  private enqueue: (key: string) => void = () => {};
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(
    private readonly client: RestClient,
    options: DaemonSetControllerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const newInformer = options.newInformer ?? ((ref) => new Informer<KubeObject>(client, ref, { clock: this.clock }));
    this.daemonSets = newInformer(daemonSetsRef) as Informer<DaemonSetObject>;
    this.pods = newInformer(podsRef) as Informer<PodObject>;
    this.nodes = newInformer(nodesRef) as Informer<NodeObject>;
    this.pods.cache.addIndex(controllerUidIndexName, controllerUidIndex);
    this.informers = [this.daemonSets, this.pods, this.nodes] as Informer<KubeObject>[];
    this.expectations = new ControllerExpectations(this.clock);
    this.recorder = options.recorder ?? new EventRecorder(client, this.name, this.clock);
    this.burstReplicas = options.burstReplicas ?? 250;
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueue = enqueue;
    this.enqueueAfter = enqueueAfter;
    this.daemonSets.addEventHandler({
      onAdd: (ds) => enqueue(objectKey(ds)),
      onUpdate: (_old, ds) => enqueue(objectKey(ds)),
      onDelete: (ds) => {
        this.forget(objectKey(ds));
        enqueue(objectKey(ds));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
    this.nodes.addEventHandler({
      onAdd: () => this.enqueueAll(),
      onUpdate: (old, node) => {
        if (nodeSchedulingChanged(old, node)) this.enqueueAll();
      },
      onDelete: () => this.enqueueAll(),
    });
  }

  /** True when the cache has seen every creation and deletion this controller issued for `key`. */
  satisfied(key: string): boolean {
    return this.expectations.satisfied(key) && this.expectations.satisfied(deletionsKey(key));
  }

  async sync(key: string): Promise<void> {
    const ds = this.daemonSets.cache.get(key);
    if (!ds) {
      this.forget(key);
      return;
    }
    const selector = labelSelectorFromStruct(ds.spec?.selector);
    if (selector.empty) {
      log.warn({ key }, "daemon set with an empty selector selects no pods; ignored");
      return;
    }
    const now = this.clock.now();
    const hash = computeHash(ds.spec?.template, ds.status?.collisionCount);
    const satisfied = this.satisfied(key);
    const manager = new ControllerRefManager<PodObject>(this.client, ds, selector, {
      controllerRef: newControllerRef(ds, "apps/v1", "DaemonSet"),
      resource: podsRef,
      canAdopt: recheckOwner(this.client, daemonSetsRef, ds),
    });
    const pods = await manager.claim(candidatesOf(this.pods.cache, ds));

    const podSpec = { ...(ds.spec?.template?.spec ?? { containers: [] }), tolerations: daemonPodTolerations(ds.spec?.template?.spec) };
    const nodes = [...this.nodes.cache.list()].sort((a, b) => (a.metadata.name ?? "").localeCompare(b.metadata.name ?? ""));
    const eligibility = new Map<string, NodeEligibility>(nodes.map((n) => [n.metadata.name!, nodeEligibility(n, podSpec)]));
    const byNode = new Map<string, Readonly<PodObject>[]>();
    const withoutNode: Readonly<PodObject>[] = [];
    for (const pod of pods) {
      const node = targetNodeName(pod);
      // A pod pinned to no single node is not one this controller made; upstream leaves it alone too.
      if (node === undefined) continue;
      if (!eligibility.has(node)) withoutNode.push(pod);
      else byNode.set(node, [...(byNode.get(node) ?? []), pod]);
    }

    let manageError: unknown;
    if (satisfied && !ds.metadata.deletionTimestamp) {
      try {
        await this.manage(key, ds, hash, eligibility, byNode, withoutNode, now);
      } catch (err) {
        manageError = err;
      }
    }

    const status = this.calculateStatus(ds, hash, eligibility, byNode, now);
    const updated = await this.updateStatus(ds, status);
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    if (minReadySeconds > 0 && (updated.status?.numberReady ?? 0) > (updated.status?.numberAvailable ?? 0)) {
      this.enqueueAfter(key, minReadySeconds * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  /** Upstream `manage` and, when it has nothing to do, `rollingUpdate`. */
  private async manage(
    key: string,
    ds: Readonly<DaemonSetObject>,
    hash: string,
    eligibility: ReadonlyMap<string, NodeEligibility>,
    byNode: ReadonlyMap<string, readonly Readonly<PodObject>[]>,
    withoutNode: readonly Readonly<PodObject>[],
    now: number,
  ): Promise<void> {
    const create: string[] = [];
    const remove: Readonly<PodObject>[] = [];
    for (const [node, { shouldRun, shouldContinueRunning }] of eligibility) {
      const pods = byNode.get(node) ?? [];
      const live = pods.filter((p) => !p.metadata.deletionTimestamp);
      if (shouldRun && pods.length === 0) {
        create.push(node);
      } else if (shouldContinueRunning) {
        const running: Readonly<PodObject>[] = [];
        for (const pod of live) {
          const phase = pod.status?.phase;
          if (phase === "Failed") {
            // A kubelet refusing the pod would otherwise make us delete and create it in a hot loop.
            const wait = this.failedPodWait(key, node, now);
            if (wait > 0) {
              this.enqueueAfter(key, wait);
              continue;
            }
            this.event(ds, "Warning", "FailedDaemonPod", `Found failed daemon pod ${objectKey(pod)} on node ${node}, will try to kill it`);
            remove.push(pod);
          } else if (phase === "Succeeded") {
            remove.push(pod);
          } else {
            running.push(pod);
          }
        }
        // Duplicates: keep the oldest.
        running.sort(byCreation);
        remove.push(...running.slice(1));
      } else {
        remove.push(...live);
      }
    }
    remove.push(...withoutNode.filter((p) => !p.metadata.deletionTimestamp));

    if (create.length === 0 && remove.length === 0 && (ds.spec?.updateStrategy?.type ?? "RollingUpdate") === "RollingUpdate") {
      const candidates = new Map<string, Readonly<PodObject>[]>();
      for (const [node, e] of eligibility) {
        if (e.shouldRun) candidates.set(node, (byNode.get(node) ?? []).filter((p) => !p.metadata.deletionTimestamp));
      }
      const desired = [...eligibility.values()].filter((e) => e.shouldRun).length;
      const maxUnavailable = resolveMaxUnavailable(ds, desired);
      remove.push(...oldPodsToDelete(candidates, hash, maxUnavailable, ds.spec?.minReadySeconds ?? 0, now));
      if (remove.length > 0) log.debug({ key, count: remove.length, maxUnavailable }, "rolling update: deleting old pods");
    }
    await this.syncNodes(key, ds, hash, create.slice(0, this.burstReplicas), remove.slice(0, this.burstReplicas));
  }

  /** Upstream `syncNodes`: deletions, then creations in slow-start batches. */
  private async syncNodes(key: string, ds: Readonly<DaemonSetObject>, hash: string, create: readonly string[], remove: readonly Readonly<PodObject>[]): Promise<void> {
    if (create.length === 0 && remove.length === 0) return;
    this.expectations.expectCreations(key, create.length);
    const removeKeys = remove.map((p) => objectKey(p));
    this.expectations.expectDeletions(deletionsKey(key), removeKeys);
    let error: unknown;
    const deletions = await Promise.allSettled(
      remove.map((p) => this.client.delete(podsRef, p.metadata.name!, { namespace: p.metadata.namespace, preconditions: { uid: p.metadata.uid } })),
    );
    deletions.forEach((r, i) => {
      if (r.status === "fulfilled") {
        this.event(ds, "Normal", "SuccessfulDelete", `Deleted pod: ${remove[i]!.metadata.name}`);
        return;
      }
      this.expectations.deletionObserved(deletionsKey(key), removeKeys[i]!);
      if (!isNotFound(r.reason)) {
        this.event(ds, "Warning", "FailedDelete", `Error deleting: ${(r.reason as Error).message}`);
        error ??= r.reason;
      }
    });
    let next = 0;
    const { successes, error: createError } = await slowStartBatch(create.length, 1, () => this.createPod(ds, hash, create[next++]!));
    for (let i = successes; i < create.length; i++) this.expectations.creationObserved(key);
    error ??= createError;
    if (error !== undefined) throw error;
  }

  private async createPod(ds: Readonly<DaemonSetObject>, hash: string, node: string): Promise<void> {
    const template = ds.spec?.template ?? {};
    const pod: PodObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: `${ds.metadata.name}-`,
        namespace: ds.metadata.namespace,
        labels: { ...(template.metadata?.labels ?? {}), [revisionHashLabel]: hash },
        ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
        ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(ds, "apps/v1", "DaemonSet")],
      },
      spec: daemonPodSpec(template.spec, node),
    };
    try {
      const created = await this.client.create(podsRef, pod, { namespace: ds.metadata.namespace });
      this.event(ds, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.event(ds, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  /** 0 when a failed pod on `node` may be deleted now (and starts the next, doubled, wait); else how long to wait. */
  private failedPodWait(key: string, node: string, now: number): number {
    const backoffKey = `${key}/${node}`;
    const entry = this.failedPodBackoff.get(backoffKey);
    if (entry && now - entry.updated < entry.delayMs) return entry.updated + entry.delayMs - now;
    // Upstream forgets a back-off unused for twice the maximum.
    const fresh = !entry || now - entry.updated > 2 * failedPodBackoffMaxMs;
    this.failedPodBackoff.set(backoffKey, { delayMs: fresh ? failedPodBackoffBaseMs : Math.min(entry.delayMs * 2, failedPodBackoffMaxMs), updated: now });
    return 0;
  }

  private calculateStatus(
    ds: Readonly<DaemonSetObject>,
    hash: string,
    eligibility: ReadonlyMap<string, NodeEligibility>,
    byNode: ReadonlyMap<string, readonly Readonly<PodObject>[]>,
    now: number,
  ): DaemonSetStatus {
    const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
    let desired = 0;
    let current = 0;
    let misscheduled = 0;
    let ready = 0;
    let available = 0;
    let updated = 0;
    for (const [node, { shouldRun }] of eligibility) {
      const pods = (byNode.get(node) ?? []).filter((p) => !p.metadata.deletionTimestamp);
      if (!shouldRun) {
        if (pods.length > 0) misscheduled++;
        continue;
      }
      desired++;
      if (pods.length === 0) continue;
      current++;
      const pod = [...pods].sort(byCreation)[0]!;
      if (isPodReady(pod)) {
        ready++;
        if (isPodAvailable(pod, minReadySeconds, now)) available++;
      }
      if (isPodUpdated(pod, hash)) updated++;
    }
    return {
      ...(ds.status?.collisionCount !== undefined ? { collisionCount: ds.status.collisionCount } : {}),
      ...(ds.status?.conditions ? { conditions: ds.status.conditions } : {}),
      currentNumberScheduled: current,
      desiredNumberScheduled: desired,
      numberMisscheduled: misscheduled,
      numberReady: ready,
      numberAvailable: available,
      numberUnavailable: desired - available,
      updatedNumberScheduled: updated,
      observedGeneration: ds.metadata.generation,
    };
  }

  /** Writes `status` if it differs from the daemon set's; retries once on a conflict with a fresh read. */
  private async updateStatus(ds: Readonly<DaemonSetObject>, status: DaemonSetStatus): Promise<Readonly<DaemonSetObject>> {
    if (statusEqual(ds.status, status)) return ds;
    let current: DaemonSetObject = structuredClone(ds) as DaemonSetObject;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.updateStatus(daemonSetsRef, { ...current, status }, { namespace: ds.metadata.namespace });
      } catch (err) {
        if (!isConflict(err) || attempt >= 1) throw err;
        current = await this.client.get<DaemonSetObject>(daemonSetsRef, ds.metadata.name!, { namespace: ds.metadata.namespace });
        if (current.metadata.uid !== ds.metadata.uid) return ds;
      }
    }
  }

  private event(ds: Readonly<DaemonSetObject>, type: "Normal" | "Warning", reason: string, message: string): void {
    this.recorder.event(involvedObject(ds, "apps/v1", "DaemonSet"), type, reason, message);
  }

  private forget(key: string): void {
    this.expectations.delete(key);
    this.expectations.delete(deletionsKey(key));
    for (const k of this.failedPodBackoff.keys()) if (k.startsWith(`${key}/`)) this.failedPodBackoff.delete(k);
  }

  private enqueueAll(): void {
    for (const ds of this.daemonSets.cache.list()) this.enqueue(objectKey(ds));
  }

  // ── pod events → daemon set keys ───────────────────────────────────────

  private controllingDaemonSet(pod: Readonly<PodObject>): Readonly<DaemonSetObject> | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== "DaemonSet" || !ref.apiVersion.startsWith("apps/")) return undefined;
    const ds = this.daemonSets.cache.get(`${pod.metadata.namespace}/${ref.name}`);
    return ds && ds.metadata.uid === ref.uid ? ds : undefined;
  }

  private matchingDaemonSets(pod: Readonly<PodObject>): Readonly<DaemonSetObject>[] {
    return this.daemonSets.cache.byIndex("namespace", pod.metadata.namespace ?? "").filter((ds) => {
      const selector = labelSelectorFromStruct(ds.spec?.selector);
      return !selector.empty && selector.matches(pod.metadata.labels);
    });
  }

  private podAdded(pod: Readonly<PodObject>): void {
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    if (controllerOf(pod)) {
      const ds = this.controllingDaemonSet(pod);
      if (!ds) return;
      this.expectations.creationObserved(objectKey(ds));
      this.enqueue(objectKey(ds));
      return;
    }
    for (const ds of this.matchingDaemonSets(pod)) this.enqueue(objectKey(ds));
  }

  private podUpdated(old: Readonly<PodObject>, cur: Readonly<PodObject>): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp && !old.metadata.deletionTimestamp) {
      this.podDeleted(cur);
      return;
    }
    const oldRef = controllerOf(old);
    const curRef = controllerOf(cur);
    if (oldRef && oldRef.uid !== curRef?.uid) {
      const ds = this.controllingDaemonSet(old);
      if (ds) this.enqueue(objectKey(ds));
    }
    if (curRef) {
      const ds = this.controllingDaemonSet(cur);
      if (!ds) return;
      this.enqueue(objectKey(ds));
      const minReadySeconds = ds.spec?.minReadySeconds ?? 0;
      if (minReadySeconds > 0 && !isPodReady(old) && isPodReady(cur)) this.enqueueAfter(objectKey(ds), minReadySeconds * 1000);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || oldRef) for (const ds of this.matchingDaemonSets(cur)) this.enqueue(objectKey(ds));
  }

  private podDeleted(pod: Readonly<PodObject>): void {
    const ds = this.controllingDaemonSet(pod);
    if (!ds) return;
    this.expectations.deletionObserved(deletionsKey(objectKey(ds)), objectKey(pod));
    this.enqueue(objectKey(ds));
  }
}

/** Oldest first; name breaks ties so the choice is stable. */
function byCreation(a: Readonly<PodObject>, b: Readonly<PodObject>): number {
  const t = Date.parse(a.metadata.creationTimestamp ?? "") - Date.parse(b.metadata.creationTimestamp ?? "");
  return Number.isNaN(t) || t === 0 ? (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "") : t;
}

/** What decides where daemons run: labels, taints, cordoning. A heartbeat changes none of them. */
function nodeSchedulingChanged(old: Readonly<NodeObject>, cur: Readonly<NodeObject>): boolean {
  const view = (n: Readonly<NodeObject>) => JSON.stringify([n.metadata.labels ?? {}, n.spec?.taints ?? [], n.spec?.unschedulable ?? false]);
  return view(old) !== view(cur);
}

function statusEqual(a: DaemonSetStatus | undefined, b: DaemonSetStatus): boolean {
  const norm = (s: DaemonSetStatus | undefined) =>
    JSON.stringify([
      s?.currentNumberScheduled ?? 0,
      s?.desiredNumberScheduled ?? 0,
      s?.numberMisscheduled ?? 0,
      s?.numberReady ?? 0,
      s?.numberAvailable ?? 0,
      s?.numberUnavailable ?? 0,
      s?.updatedNumberScheduled ?? 0,
      s?.observedGeneration ?? 0,
    ]);
  return norm(a) === norm(b);
}
