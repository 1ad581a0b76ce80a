/**
 * The Deployment controller rolls a deployment's pod template out through
 * replica sets (upstream `syncDeployment`). It never touches pods: it sizes
 * replica sets, and the ReplicaSet controller makes pods.
 *
 * Keys are `namespace/name` of deployments; replica set events map to their
 * controlling deployment (orphans to every deployment whose selector
 * matches), and a deleted pod wakes a Recreate deployment waiting for its
 * old pods to go.
 *
 * One sync:
 *
 *   deployment from the cache (gone: nothing to do; selects everything: refuse, with an event)
 *   claim replica sets (adopt matching orphans, release strays)
 *   being deleted ─────────────────────▶ status only
 *   Progressing ↔ DeploymentPaused/Resumed
 *   paused, or replicas changed (a replica set's desired-replicas annotation
 *     differs from spec.replicas) ─────▶ scale: proportionally across the
 *                                         active sets; paused also cleans history
 *   Recreate ──────────────────────────▶ old sets to 0, wait for their pods to be
 *                                         gone, then the new set to replicas
 *   RollingUpdate ─────────────────────▶ new set up within maxSurge, old sets down
 *                                         within maxUnavailable (by available pods)
 *   complete → delete the oldest unused sets beyond revisionHistoryLimit
 *   status + conditions, written only when changed
 *
 * The new replica set is the oldest one whose template equals the
 * deployment's (ignoring `pod-template-hash`); if none, one is created as
 * `<deployment>-<hash>`. A rollback (`kubectl rollout undo` writes an old
 * set's template back into the deployment) therefore finds that old set
 * again, and it gets the next revision number.
 */
import {
  isAlreadyExists,
  isNotFound,
  labelSelectorFromStruct,
  objectKey,
  type Deployment,
  type DeploymentStatus,
  type KubeObject,
  type ReplicaSet,
} from "../../api/index.js";
import type { RestClient, ResourceRef } from "../../client/index.js";
import type { Controller } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger, realClock, type Clock } from "../../util/index.js";
import {
  ControllerRefManager,
  EventRecorder,
  candidatesOf,
  controllerOf,
  controllerUidIndex,
  controllerUidIndexName,
  deploymentsRef,
  involvedObject,
  isControlledBy,
  newControllerRef,
  podsRef,
  recheckOwner,
  replicaSetsRef,
  type EventType,
} from "../shared/index.js";
import {
  desiredReplicasAnnotation,
  intAnnotation,
  maxReplicasAnnotation,
  replicasAnnotationsNeedUpdate,
  revisionAnnotation,
  revisionOf,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
} from "./annotations.js";
import {
  calculateStatus,
  getCondition,
  hasProgressDeadline,
  isComplete,
  isProgressing,
  isTimedOut,
  newCondition,
  removeCondition,
  setCondition,
  statusEqual,
} from "./deployment-status.js";
import { computeHash, podTemplateHashLabel, templatesEqualIgnoringHash } from "./pod-template-hash.js";
import {
  desiredReplicas,
  isRollingUpdate,
  maxSurge,
  maxUnavailable,
  newReplicaSetReplicas,
  roundHalfAway,
  specReplicas,
  sumAvailable,
  sumSpecReplicas,
  sumStatusReplicas,
} from "./rollout-math.js";

const log = logger("deployment-controller");

export type DeploymentObject = Deployment & KubeObject;
export type ReplicaSetObject = ReplicaSet & KubeObject;
type RS = Readonly<ReplicaSetObject>;

export interface DeploymentControllerOptions {
  /** @default realClock */
  clock?: Clock;
  /** Builds (or shares) the informers for deployments, replicasets and pods. @default an `Informer` over the client, all namespaces */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
  /** @default an `EventRecorder` posting as `deployment-controller` */
  recorder?: EventRecorder;
}

/** What one sync knows and has written so far: the latest deployment and its replica sets as the server returned them. */
class SyncState {
  constructor(
    public d: DeploymentObject,
    public rsList: RS[],
  ) {}
  /** The latest copy of `rs` this sync has (after its own writes). */
  current(rs: RS): RS;
  current(rs: RS | undefined): RS | undefined;
  current(rs: RS | undefined): RS | undefined {
    return rs && (this.rsList.find((x) => x.metadata.uid === rs.metadata.uid) ?? rs);
  }
  replace(rs: RS): void {
    const i = this.rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
    if (i >= 0) this.rsList[i] = rs;
    else this.rsList.push(rs);
  }
}

export class DeploymentController implements Controller {
  readonly name = "deployment-controller";
  readonly informers: Informer<KubeObject>[];
  private readonly deployments: Informer<DeploymentObject>;
  private readonly replicaSets: Informer<ReplicaSetObject>;
  private readonly pods: Informer<KubeObject>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private enqueue: (key: string) => void = () => {};
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(
    private readonly client: RestClient,
    options: DeploymentControllerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const newInformer = options.newInformer ?? ((ref) => new Informer<KubeObject>(client, ref, { clock: this.clock }));
    this.deployments = newInformer(deploymentsRef) as Informer<DeploymentObject>;
    this.replicaSets = newInformer(replicaSetsRef) as Informer<ReplicaSetObject>;
    this.pods = newInformer(podsRef);
    this.replicaSets.cache.addIndex(controllerUidIndexName, controllerUidIndex);
    this.pods.cache.addIndex(controllerUidIndexName, controllerUidIndex);
    this.informers = [this.deployments, this.replicaSets, this.pods] as Informer<KubeObject>[];
    this.recorder = options.recorder ?? new EventRecorder(client, this.name, this.clock);
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueue = enqueue;
    this.enqueueAfter = enqueueAfter;
    this.deployments.addEventHandler({
      onAdd: (d) => enqueue(objectKey(d)),
      onUpdate: (_old, d) => enqueue(objectKey(d)),
      onDelete: (d) => enqueue(objectKey(d)),
    });
    this.replicaSets.addEventHandler({
      onAdd: (rs) => this.replicaSetChanged(undefined, rs),
      onUpdate: (old, rs) => this.replicaSetChanged(old, rs),
      onDelete: (rs) => {
        const d = this.controllingDeployment(rs);
        if (d) enqueue(objectKey(d));
      },
    });
    this.pods.addEventHandler({
      onDelete: (pod) => {
        const ref = controllerOf(pod);
        const rs = ref && this.replicaSets.cache.get(`${pod.metadata.namespace}/${ref.name}`);
        const d = rs && rs.metadata.uid === ref.uid ? this.controllingDeployment(rs) : undefined;
        // Only Recreate waits for pods to be gone.
        if (d && d.spec?.strategy?.type === "Recreate") enqueue(objectKey(d));
      },
    });
  }

  async sync(key: string): Promise<void> {
    const cached = this.deployments.cache.get(key);
    if (!cached) return;
    const s = new SyncState(structuredClone(cached) as DeploymentObject, []);
    const selector = labelSelectorFromStruct(s.d.spec?.selector);
    if (selector.empty) {
      this.event(s.d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.");
      if ((s.d.status?.observedGeneration ?? 0) < (s.d.metadata.generation ?? 0)) {
        await this.writeStatus(s, { ...(s.d.status ?? {}), observedGeneration: s.d.metadata.generation });
      }
      return;
    }
    const manager = new ControllerRefManager<ReplicaSetObject>(this.client, s.d, selector, {
      controllerRef: newControllerRef(s.d, "apps/v1", "Deployment"),
      resource: replicaSetsRef,
      canAdopt: recheckOwner(this.client, deploymentsRef, s.d),
    });
    s.rsList = [...(await manager.claim(candidatesOf(this.replicaSets.cache, s.d)))];

    if (s.d.metadata.deletionTimestamp) {
      const { newRS } = await this.replicaSetsAndSyncRevision(s, false);
      await this.syncStatus(s, newRS);
      return;
    }
    await this.checkPausedConditions(s);
    if (s.d.spec?.paused || (await this.isScalingEvent(s))) {
      await this.syncScaling(s);
      return;
    }
    if (s.d.spec?.strategy?.type === "Recreate") await this.rolloutRecreate(s);
    else await this.rolloutRolling(s);
  }

  // ── replica sets: find, create, revision ─────────────────────────────────

  /** Upstream `getAllReplicaSetsAndSyncRevision`: the new set (created when asked) and every other one. */
  private async replicaSetsAndSyncRevision(s: SyncState, createIfMissing: boolean): Promise<{ newRS: RS | undefined; oldRSs: RS[] }> {
    const byAge = [...s.rsList].sort(byCreation);
    const existing = byAge.find((rs) => templatesEqualIgnoringHash(rs.spec?.template, s.d.spec?.template));
    const oldRSs = s.rsList.filter((rs) => rs !== existing);
    const newRS = await this.newReplicaSet(s, existing, oldRSs, createIfMissing);
    return { newRS, oldRSs: s.rsList.filter((rs) => rs.metadata.uid !== newRS?.metadata.uid) };
  }

  private async newReplicaSet(s: SyncState, existing: RS | undefined, oldRSs: RS[], createIfMissing: boolean): Promise<RS | undefined> {
    const newRevision = Math.max(0, ...oldRSs.map((rs) => revisionOf(rs))) + 1;
    const desired = desiredReplicas(s.d);
    const max = desired + maxSurge(s.d);
    if (existing) {
      const copy = structuredClone(existing) as ReplicaSetObject;
      const annotationsChanged = setNewReplicaSetAnnotations(s.d, copy, newRevision, true, desired, max);
      const minReadyChanged = (copy.spec?.minReadySeconds ?? 0) !== (s.d.spec?.minReadySeconds ?? 0);
      let rs: RS = existing;
      if (annotationsChanged || minReadyChanged) {
        rs = await this.client.update(replicaSetsRef, { ...copy, spec: { ...copy.spec!, minReadySeconds: s.d.spec?.minReadySeconds } }, { namespace: copy.metadata.namespace });
        s.replace(rs);
      }
      await this.setDeploymentRevision(s, rs.metadata.annotations?.[revisionAnnotation]);
      if (hasProgressDeadline(s.d) && !getCondition(s.d.status, "Progressing")) {
        const status = structuredClone(s.d.status ?? {}) as DeploymentStatus;
        setCondition(status, newCondition("Progressing", "True", "FoundNewReplicaSet", `Found new replica set "${rs.metadata.name}"`, this.clock.now()));
        await this.writeStatus(s, status);
      }
      return rs;
    }
    if (!createIfMissing) return undefined;

    const hash = computeHash(s.d.spec?.template, s.d.status?.collisionCount);
    const template = structuredClone(s.d.spec!.template);
    template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [podTemplateHashLabel]: hash } };
    const selector = structuredClone(s.d.spec!.selector);
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [podTemplateHashLabel]: hash };
    const name = `${s.d.metadata.name}-${hash}`;
    const rs: ReplicaSetObject = {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: {
        name,
        namespace: s.d.metadata.namespace,
        labels: { ...template.metadata.labels },
        ownerReferences: [newControllerRef(s.d, "apps/v1", "Deployment")],
      },
      spec: { replicas: 0, minReadySeconds: s.d.spec?.minReadySeconds, selector, template },
    };
    rs.spec!.replicas = newReplicaSetReplicas(s.d, [...oldRSs, rs], rs);
    setNewReplicaSetAnnotations(s.d, rs, newRevision, false, desired, max);

    let created: RS;
    let alreadyExists = false;
    try {
      created = await this.client.create(replicaSetsRef, rs, { namespace: rs.metadata.namespace });
    } catch (err) {
      if (isAlreadyExists(err)) {
        const found = this.replicaSets.cache.get(`${rs.metadata.namespace}/${name}`);
        if (found && isControlledBy(found, s.d) && templatesEqualIgnoringHash(s.d.spec?.template, found.spec?.template)) {
          // Our own creation from an earlier sync, not yet seen when the candidates were read.
          created = found;
          alreadyExists = true;
        } else {
          if (found) {
            // A different set holds the name: a hash collision. Count it, so the next hash differs.
            const status = structuredClone(s.d.status ?? {}) as DeploymentStatus;
            status.collisionCount = (status.collisionCount ?? 0) + 1;
            await this.writeStatus(s, status);
            log.info({ deployment: objectKey(s.d), name, collisionCount: status.collisionCount }, "pod-template-hash collision");
          }
          throw err;
        }
      } else {
        const message = `Failed to create new replica set "${name}": ${(err as Error).message}`;
        this.event(s.d, "Warning", "FailedCreate", message);
        if (hasProgressDeadline(s.d)) {
          const status = structuredClone(s.d.status ?? {}) as DeploymentStatus;
          setCondition(status, newCondition("Progressing", "False", "ReplicaSetCreateError", message, this.clock.now()));
          await this.writeStatus(s, status);
        }
        throw err;
      }
    }
    s.replace(created);
    if (!alreadyExists && specReplicas(created) > 0) {
      this.event(s.d, "Normal", "ScalingReplicaSet", `Scaled up replica set ${name} to ${specReplicas(created)}`);
    }
    await this.setDeploymentRevision(s, String(newRevision));
    if (!alreadyExists && hasProgressDeadline(s.d)) {
      const status = structuredClone(s.d.status ?? {}) as DeploymentStatus;
      setCondition(status, newCondition("Progressing", "True", "NewReplicaSetCreated", `Created new replica set "${name}"`, this.clock.now()));
      await this.writeStatus(s, status);
    }
    return created;
  }

  /** The deployment's revision annotation follows its new replica set's. */
  private async setDeploymentRevision(s: SyncState, revision: string | undefined): Promise<void> {
    if (!revision || s.d.metadata.annotations?.[revisionAnnotation] === revision) return;
    s.d = await this.client.patch<DeploymentObject>(
      deploymentsRef,
      s.d.metadata.name!,
      "merge",
      { metadata: { resourceVersion: s.d.metadata.resourceVersion, annotations: { [revisionAnnotation]: revision } } },
      { namespace: s.d.metadata.namespace },
    );
  }

  // ── scaling ──────────────────────────────────────────────────────────────

  /** Upstream `isScalingEvent`: an active set was last sized for another `spec.replicas`. */
  private async isScalingEvent(s: SyncState): Promise<boolean> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(s, false);
    const desired = desiredReplicas(s.d);
    return active([...oldRSs, newRS]).some((rs) => {
      const annotated = intAnnotation(rs, desiredReplicasAnnotation);
      return annotated !== undefined && annotated !== desired;
    });
  }

  /** Upstream `sync`: scale to `spec.replicas` without rolling; a paused deployment also cleans its history. */
  private async syncScaling(s: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(s, false);
    await this.scale(s, newRS, oldRSs);
    if (s.d.spec?.paused) await this.cleanupHistory(s, oldRSs);
    await this.syncStatus(s, newRS);
  }

  private async scale(s: SyncState, newRS: RS | undefined, oldRSs: RS[]): Promise<void> {
    const desired = desiredReplicas(s.d);
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest) {
      if (specReplicas(activeOrLatest) !== desired) await this.scaleAndRecord(s, activeOrLatest, desired);
      return;
    }
    if (newRS && isSaturated(s.d, newRS)) {
      for (const rs of active(oldRSs)) await this.scaleAndRecord(s, rs, 0);
      return;
    }
    if (!isRollingUpdate(s.d)) return;
    let sets = active([...oldRSs, newRS]);
    const allowed = desired > 0 ? desired + maxSurge(s.d) : 0;
    const toAdd = allowed - sumSpecReplicas(sets);
    let direction: "up" | "down" = "up";
    if (toAdd > 0) sets = [...sets].sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(b, a));
    else if (toAdd < 0) {
      sets = [...sets].sort((a, b) => specReplicas(b) - specReplicas(a) || byCreation(a, b));
      direction = "down";
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of sets) {
      const proportion = toAdd !== 0 ? this.proportion(s.d, rs, toAdd, added) : 0;
      sizes.set(rs.metadata.name!, specReplicas(rs) + proportion);
      added += proportion;
    }
    for (const [i, rs] of sets.entries()) {
      let size = sizes.get(rs.metadata.name!)!;
      // What rounding left over goes to the largest set.
      if (i === 0 && toAdd !== 0) size = Math.max(0, size + toAdd - added);
      await this.scaleReplicaSet(s, rs, size, direction);
    }
  }

  /** Upstream `GetProportion`: this set's share of `toAdd`, by its size relative to the deployment's last max size. */
  private proportion(d: Readonly<DeploymentObject>, rs: RS, toAdd: number, added: number): number {
    if (specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
    let fraction: number;
    if (desiredReplicas(d) === 0) fraction = -specReplicas(rs);
    else {
      const deploymentReplicas = desiredReplicas(d) + maxSurge(d);
      const annotated = intAnnotation(rs, maxReplicasAnnotation) ?? d.status?.replicas ?? 0;
      fraction = annotated === 0 ? 0 : roundHalfAway((specReplicas(rs) * deploymentReplicas) / annotated) - specReplicas(rs);
    }
    const allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  private async scaleAndRecord(s: SyncState, rs: RS, replicas: number): Promise<{ scaled: boolean; rs: RS }> {
    if (specReplicas(rs) === replicas) return { scaled: false, rs };
    return this.scaleReplicaSet(s, rs, replicas, specReplicas(rs) < replicas ? "up" : "down");
  }

  /** Sets the set's size and replicas annotations; an event when the size changed. */
  private async scaleReplicaSet(s: SyncState, stale: RS, replicas: number, direction: "up" | "down"): Promise<{ scaled: boolean; rs: RS }> {
    const rs = s.current(stale);
    const desired = desiredReplicas(s.d);
    const max = desired + maxSurge(s.d);
    const sizeChanged = specReplicas(rs) !== replicas;
    if (!sizeChanged && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
    const copy = structuredClone(rs) as ReplicaSetObject;
    setReplicasAnnotations(copy, desired, max);
    const updated = await this.client.update(replicaSetsRef, { ...copy, spec: { ...copy.spec!, replicas } }, { namespace: copy.metadata.namespace });
    s.replace(updated);
    if (sizeChanged) this.event(s.d, "Normal", "ScalingReplicaSet", `Scaled ${direction} replica set ${rs.metadata.name} to ${replicas}`);
    return { scaled: sizeChanged, rs: updated };
  }

  // ── strategies ───────────────────────────────────────────────────────────

  private async rolloutRolling(s: SyncState): Promise<void> {
    const { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(s, true);
    if (await this.reconcileNewReplicaSet(s, newRS!)) return this.syncRolloutStatus(s, newRS);
    if (await this.reconcileOldReplicaSets(s, s.current(newRS!), active(oldRSs.map((rs) => s.current(rs))))) {
      return this.syncRolloutStatus(s, newRS);
    }
    if (isComplete(s.d, s.d.status ?? {})) await this.cleanupHistory(s, oldRSs);
    await this.syncRolloutStatus(s, newRS);
  }

  private async reconcileNewReplicaSet(s: SyncState, newRS: RS): Promise<boolean> {
    const desired = desiredReplicas(s.d);
    if (specReplicas(newRS) === desired) return false;
    if (specReplicas(newRS) > desired) return (await this.scaleAndRecord(s, newRS, desired)).scaled;
    const count = newReplicaSetReplicas(s.d, s.rsList, newRS);
    return (await this.scaleAndRecord(s, newRS, count)).scaled;
  }

  /** Scales old sets down as far as maxUnavailable allows, unhealthy ones first. */
  private async reconcileOldReplicaSets(s: SyncState, newRS: RS, oldRSs: RS[]): Promise<boolean> {
    if (sumSpecReplicas(oldRSs) === 0) return false;
    const allPods = sumSpecReplicas([...oldRSs, newRS]);
    const minAvailable = desiredReplicas(s.d) - maxUnavailable(s.d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    // Old pods that are not available cost nothing to remove: scale those away first.
    let cleaned = 0;
    for (const stale of [...oldRSs].sort(byCreation)) {
      if (cleaned >= maxScaledDown) break;
      const rs = s.current(stale);
      const unhealthy = specReplicas(rs) - (rs.status?.availableReplicas ?? 0);
      if (specReplicas(rs) === 0 || unhealthy <= 0) continue;
      const count = Math.min(maxScaledDown - cleaned, unhealthy);
      await this.scaleAndRecord(s, rs, specReplicas(rs) - count);
      cleaned += count;
    }

    // Then available old pods, while the total stays at or above minAvailable.
    const current = oldRSs.map((rs) => s.current(rs));
    const availablePods = sumAvailable([...current, s.current(newRS)]);
    let scaledDown = 0;
    if (availablePods > minAvailable) {
      const total = availablePods - minAvailable;
      for (const rs of [...current].sort(byCreation)) {
        if (scaledDown >= total) break;
        if (specReplicas(rs) === 0) continue;
        const count = Math.min(specReplicas(rs), total - scaledDown);
        await this.scaleAndRecord(s, rs, specReplicas(rs) - count);
        scaledDown += count;
      }
    }
    return cleaned + scaledDown > 0;
  }

  private async rolloutRecreate(s: SyncState): Promise<void> {
    let { newRS, oldRSs } = await this.replicaSetsAndSyncRevision(s, false);
    let scaledDown = false;
    for (const rs of active(oldRSs)) {
      if ((await this.scaleAndRecord(s, rs, 0)).scaled) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(s, newRS);
    if (this.oldPodsRunning(oldRSs.map((rs) => s.current(rs)))) return this.syncRolloutStatus(s, newRS);
    if (!newRS) ({ newRS, oldRSs } = await this.replicaSetsAndSyncRevision(s, true));
    await this.scaleAndRecord(s, s.current(newRS!), desiredReplicas(s.d));
    if (isComplete(s.d, s.d.status ?? {})) await this.cleanupHistory(s, oldRSs);
    await this.syncRolloutStatus(s, newRS);
  }

  /** Old sets still report pods, or the pod cache still holds one that is not terminal. */
  private oldPodsRunning(oldRSs: RS[]): boolean {
    if (sumStatusReplicas(oldRSs) > 0) return true;
    return oldRSs.some((rs) =>
      this.pods.cache.byIndex(controllerUidIndexName, rs.metadata.uid ?? "").some((pod) => {
        const phase = (pod["status"] as { phase?: string } | undefined)?.phase;
        return phase !== "Failed" && phase !== "Succeeded";
      }),
    );
  }

  /** Deletes the oldest unused old sets beyond `revisionHistoryLimit` (default 10). */
  private async cleanupHistory(s: SyncState, oldRSs: RS[]): Promise<void> {
    const limit = s.d.spec?.revisionHistoryLimit ?? 10;
    const cleanable = oldRSs.map((rs) => s.current(rs)).filter((rs) => !rs.metadata.deletionTimestamp);
    const excess = cleanable.length - limit;
    if (excess <= 0) return;
    const byRevision = [...cleanable].sort((a, b) => revisionOf(a) - revisionOf(b) || byCreation(a, b));
    for (const rs of byRevision.slice(0, excess)) {
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0) continue;
      if ((rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0)) continue;
      try {
        await this.client.delete(replicaSetsRef, rs.metadata.name!, { namespace: rs.metadata.namespace, preconditions: { uid: rs.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      s.rsList = s.rsList.filter((x) => x.metadata.uid !== rs.metadata.uid);
    }
  }

  // ── status ───────────────────────────────────────────────────────────────

  private async syncStatus(s: SyncState, newRS: RS | undefined): Promise<void> {
    const status = calculateStatus(s.rsList, s.current(newRS), s.d, this.clock.now());
    if (!statusEqual(s.d.status, status)) await this.writeStatus(s, status);
  }

  /** Upstream `syncRolloutStatus`: the status plus the Progressing condition, and a look again at the deadline. */
  private async syncRolloutStatus(s: SyncState, staleNewRS: RS | undefined): Promise<void> {
    const now = this.clock.now();
    const newRS = s.current(staleNewRS);
    const d = s.d;
    const status = calculateStatus(s.rsList, newRS, d, now);
    if (!hasProgressDeadline(d)) removeCondition(status, "Progressing");
    const current = getCondition(status, "Progressing");
    const alreadyComplete = status.replicas === status.updatedReplicas && current?.reason === "NewReplicaSetAvailable";
    if (hasProgressDeadline(d) && !alreadyComplete) {
      const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
      if (isComplete(d, status)) {
        setCondition(status, newCondition("Progressing", "True", "NewReplicaSetAvailable", `${subject} has successfully progressed.`, now));
      } else if (isProgressing(d, status)) {
        const condition = newCondition("Progressing", "True", "ReplicaSetUpdated", `${subject} is progressing.`, now);
        if (current?.status === "True") condition.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, "Progressing");
        setCondition(status, condition);
      } else if (isTimedOut(d, status, now)) {
        setCondition(status, newCondition("Progressing", "False", "ProgressDeadlineExceeded", `${subject} has timed out progressing.`, now));
      }
    }
    if (statusEqual(d.status, status)) {
      this.requeueAtDeadline(d, status, now);
      return;
    }
    await this.writeStatus(s, status);
  }

  /** A rollout that is not moving is looked at again when its deadline passes, so it can be marked as timed out. */
  private requeueAtDeadline(d: Readonly<DeploymentObject>, status: DeploymentStatus, now: number): void {
    const condition = getCondition(d.status, "Progressing");
    if (!hasProgressDeadline(d) || !condition || isComplete(d, status) || condition.reason === "ProgressDeadlineExceeded") return;
    const after = Date.parse(condition.lastUpdateTime ?? "") + d.spec!.progressDeadlineSeconds! * 1000 - now;
    if (Number.isNaN(after)) return;
    if (after < 1000) this.enqueue(objectKey(d));
    else this.enqueueAfter(objectKey(d), after + 1000);
  }

  private async checkPausedConditions(s: SyncState): Promise<void> {
    if (!hasProgressDeadline(s.d)) return;
    const condition = getCondition(s.d.status, "Progressing");
    if (condition?.reason === "ProgressDeadlineExceeded") return;
    const pausedShown = condition?.reason === "DeploymentPaused";
    const paused = s.d.spec?.paused === true;
    if (paused === pausedShown) return;
    const status = structuredClone(s.d.status ?? {}) as DeploymentStatus;
    setCondition(
      status,
      paused
        ? newCondition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused", this.clock.now())
        : newCondition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed", this.clock.now()),
    );
    await this.writeStatus(s, status);
  }

  private async writeStatus(s: SyncState, status: DeploymentStatus): Promise<void> {
    s.d = await this.client.updateStatus(deploymentsRef, { ...s.d, status }, { namespace: s.d.metadata.namespace });
  }

  private event(d: Readonly<DeploymentObject>, type: EventType, reason: string, message: string): void {
    this.recorder.event(involvedObject(d, "apps/v1", "Deployment"), type, reason, message);
  }

  // ── replica set events → deployment keys ─────────────────────────────────

  private controllingDeployment(rs: RS): Readonly<DeploymentObject> | undefined {
    const ref = controllerOf(rs);
    if (!ref || ref.kind !== "Deployment" || !ref.apiVersion.startsWith("apps/")) return undefined;
    const d = this.deployments.cache.get(`${rs.metadata.namespace}/${ref.name}`);
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  private replicaSetChanged(old: RS | undefined, rs: RS): void {
    if (old && old.metadata.resourceVersion === rs.metadata.resourceVersion) return;
    const oldRef = old && controllerOf(old);
    const ref = controllerOf(rs);
    if (old && oldRef && oldRef.uid !== ref?.uid) {
      const d = this.controllingDeployment(old);
      if (d) this.enqueue(objectKey(d));
    }
    if (ref) {
      const d = this.controllingDeployment(rs);
      if (d) this.enqueue(objectKey(d));
      return;
    }
    const labelsChanged = !old || JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(rs.metadata.labels ?? {});
    if (!labelsChanged && !oldRef) return;
    // An orphan: every deployment that could adopt it.
    for (const d of this.deployments.cache.byIndex("namespace", rs.metadata.namespace ?? "")) {
      const selector = labelSelectorFromStruct(d.spec?.selector);
      if (!selector.empty && selector.matches(rs.metadata.labels)) this.enqueue(objectKey(d));
    }
  }
}

function byCreation(a: RS, b: RS): number {
  const ta = Date.parse(a.metadata.creationTimestamp ?? "") || 0;
  const tb = Date.parse(b.metadata.creationTimestamp ?? "") || 0;
  return ta - tb || (a.metadata.name ?? "").localeCompare(b.metadata.name ?? "");
}

/** Sets with replicas wanted. */
function active(sets: (RS | undefined)[]): RS[] {
  return sets.filter((rs): rs is RS => rs !== undefined && specReplicas(rs) > 0);
}

/** Upstream `FindActiveOrLatest`: the one active set, or (none active) the new or newest set; undefined when several are active. */
function findActiveOrLatest(newRS: RS | undefined, oldRSs: RS[]): RS | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const sets = active([...newestFirst, newRS]);
  if (sets.length === 0) return newRS ?? newestFirst[0];
  if (sets.length === 1) return sets[0];
  return undefined;
}

/** The new set has every replica, sized for the current replicas, all available. */
function isSaturated(d: Readonly<DeploymentObject>, rs: RS): boolean {
  const desired = desiredReplicas(d);
  return specReplicas(rs) === desired && intAnnotation(rs, desiredReplicasAnnotation) === desired && (rs.status?.availableReplicas ?? 0) === desired;
}
