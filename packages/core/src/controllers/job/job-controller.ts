/**
 * The Job controller runs a job's pods to completion (upstream `syncJob`,
 * Kubernetes 1.30, without pod failure policies or success policies).
 *
 * Keys are `namespace/name` of jobs. Pod events map to the key of the
 * pod's controlling job (or, for an orphan, of every job in the namespace
 * whose selector matches it).
 *
 * One sync:
 *
 *   job from the cache ── gone: forget expectations
 *                      ── finished (Complete/Failed): TTL clean-up only
 *   claim its pods (adopt / release), split into active, succeeded, failed
 *   failed > backoffLimit (or, with restartPolicy OnFailure, container
 *     restarts ≥ backoffLimit) ──▶ Failed, BackoffLimitExceeded
 *   active longer than activeDeadlineSeconds ──▶ Failed, DeadlineExceeded
 *     a failed job's active pods are deleted
 *   otherwise, expectations satisfied:
 *     suspended: delete every active pod, condition Suspended
 *     want = min(parallelism, completions − succeeded) active pods
 *       (no completions: parallelism until one pod succeeds, then no more)
 *     too many: delete the extras; too few: after the failure back-off
 *       (pod-failure-backoff.ts) create the missing ones in slow-start batches
 *   every completion reached and nothing active ──▶ Complete, completionTime
 *   status (active, ready, succeeded, failed, terminating, startTime,
 *     completedIndexes, conditions) ── written only when it changed
 *
 * Counting: `succeeded` and `failed` are counted from the terminal pods the
 * job still owns (upstream's tracking before pod finalizers). A terminal
 * pod deleted by someone else is therefore no longer counted; the job
 * controller itself never deletes terminal pods.
 */
import {
  isConflict,
  isNotFound,
  labelSelectorFromStruct,
  objectKey,
  type Job,
  type JobCondition,
  type JobStatus,
  type KubeObject,
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
  formatTime,
  involvedObject,
  isPodActive,
  isPodReady,
  newControllerRef,
  podsRef,
  recheckOwner,
} from "../shared/index.js";
import { podsToDelete, slowStartBatch } from "../replicaset/index.js";
import { backoffRecord, remainingBackoffMs } from "./pod-failure-backoff.js";
import { completionIndexKey, completionIndexOf, firstPendingIndexes, formatIndexes } from "./completion-index.js";

const log = logger("job-controller");

export const jobsRef: ResourceRef = { group: "batch", version: "v1", plural: "jobs", namespaced: true, kind: "Job" };

export type JobObject = Job & KubeObject;
export type PodObject = Pod & KubeObject;

/** Labels every job pod carries (the API server also puts them in the template unless `manualSelector`). */
export const jobNameLabels = ["batch.kubernetes.io/job-name", "job-name"] as const;
export const controllerUidLabels = ["batch.kubernetes.io/controller-uid", "controller-uid"] as const;

export interface JobControllerOptions {
  /** @default realClock */
  clock?: Clock;
  /** Builds (or shares) the informers for jobs and pods. @default an `Informer` over the client, all namespaces */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
  /** @default an `EventRecorder` posting as `job-controller` */
  recorder?: EventRecorder;
  /** Most pods created or deleted for one job in one sync. @default 500 */
  burstReplicas?: number;
}

type FinishedCondition = { type: "Complete" | "Failed"; reason?: string; message?: string };

export class JobController implements Controller {
  readonly name = "job-controller";
  readonly informers: Informer<KubeObject>[];
  readonly expectations: ControllerExpectations;
  private readonly jobs: Informer<JobObject>;
  private readonly pods: Informer<PodObject>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly burstReplicas: number;
  private enqueue: (key: string) => void = () => {};
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(
    private readonly client: RestClient,
    options: JobControllerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    const newInformer = options.newInformer ?? ((ref) => new Informer<KubeObject>(client, ref, { clock: this.clock }));
    this.jobs = newInformer(jobsRef) as Informer<JobObject>;
    this.pods = newInformer(podsRef) as Informer<PodObject>;
    this.pods.cache.addIndex(controllerUidIndexName, controllerUidIndex);
    this.informers = [this.jobs, this.pods] as Informer<KubeObject>[];
    this.expectations = new ControllerExpectations(this.clock);
    this.recorder = options.recorder ?? new EventRecorder(client, this.name, this.clock);
    this.burstReplicas = options.burstReplicas ?? 500;
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueue = enqueue;
    this.enqueueAfter = enqueueAfter;
    this.jobs.addEventHandler({
      onAdd: (job) => enqueue(objectKey(job)),
      onUpdate: (_old, job) => enqueue(objectKey(job)),
      onDelete: (job) => {
        this.expectations.delete(objectKey(job));
        enqueue(objectKey(job));
      },
    });
    this.pods.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(pod),
    });
  }

  async sync(key: string): Promise<void> {
    const job = this.jobs.cache.get(key);
    if (!job) {
      this.expectations.delete(key);
      return;
    }
    if (finishedConditionOf(job)) {
      await this.cleanUpFinished(job);
      return;
    }
    const now = this.clock.now();
    const spec = job.spec;
    const satisfied = this.expectations.satisfied(key);
    const manager = new ControllerRefManager<PodObject>(this.client, job, labelSelectorFromStruct(spec?.selector), {
      controllerRef: newControllerRef(job, "batch/v1", "Job"),
      resource: podsRef,
      canAdopt: recheckOwner(this.client, jobsRef, job),
    });
    const pods = await manager.claim(candidatesOf(this.pods.cache, job));
    const active = pods.filter(isPodActive);
    const failedPods = pods.filter((p) => p.status?.phase === "Failed");
    const indexed = spec?.completionMode === "Indexed";
    const completions = spec?.completions ?? undefined;
    const succeededIndexes = new Set<number>();
    let succeeded = 0;
    for (const pod of pods) {
      if (pod.status?.phase !== "Succeeded") continue;
      if (!indexed) succeeded++;
      else {
        const index = completionIndexOf(pod);
        if (index !== undefined && index < (completions ?? 0)) succeededIndexes.add(index);
      }
    }
    if (indexed) succeeded = succeededIndexes.size;
    const failed = failedPods.length;

    const status: JobStatus = structuredClone(job.status ?? {});
    const suspended = spec?.suspend === true;
    let conditions = [...(status.conditions ?? [])];

    // Suspension and resumption; the deadline counts from the (re)start.
    const suspendedCondition = conditions.find((c) => c.type === "Suspended");
    if (suspended && suspendedCondition?.status !== "True") {
      conditions = setCondition(conditions, { type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended" }, now);
      this.event(job, "Normal", "Suspended", "Job suspended");
    } else if (!suspended && suspendedCondition?.status === "True") {
      conditions = setCondition(conditions, { type: "Suspended", status: "False", reason: "JobResumed", message: "Job resumed" }, now);
      status.startTime = formatTime(now);
      this.event(job, "Normal", "Resumed", "Job resumed");
    }
    if (!suspended && !status.startTime) status.startTime = formatTime(now);

    let finished: FinishedCondition | undefined;
    const backoffLimit = spec?.backoffLimit ?? 6;
    if (failed > backoffLimit || pastBackoffLimitOnFailure(job, active)) {
      finished = { type: "Failed", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit" };
    } else if (this.pastActiveDeadline(job, status, now)) {
      finished = { type: "Failed", reason: "DeadlineExceeded", message: "Job was active longer than specified deadline" };
    }

    // While its own writes have not reached the cache, the job counts them as done: the status does not flap.
    let activeCount = active.length;
    const pending = satisfied ? undefined : this.expectations.pending(key);
    if (pending) activeCount += pending.adds - active.filter((p) => pending.deletes.includes(objectKey(p))).length;
    let manageError: unknown;
    if (finished) {
      activeCount -= await this.deletePods(key, job, active).catch((err: unknown) => {
        manageError = err;
        return 0;
      });
    } else if (satisfied && !job.metadata.deletionTimestamp) {
      try {
        activeCount = await this.manageJob(key, job, active, pods, succeeded, succeededIndexes);
      } catch (err) {
        manageError = err;
      }
    }

    if (!finished && !suspended) {
      const complete = completions === undefined ? succeeded > 0 && activeCount === 0 : succeeded >= completions && activeCount === 0;
      if (complete) finished = { type: "Complete" };
    }
    if (finished && manageError === undefined) {
      conditions = setCondition(conditions, { type: finished.type, status: "True", reason: finished.reason, message: finished.message }, now);
      if (finished.type === "Complete") {
        status.completionTime = formatTime(now);
        this.event(job, "Normal", "Completed", "Job completed");
      } else {
        this.event(job, "Warning", finished.reason!, finished.message!);
      }
    }

    status.active = activeCount;
    status.ready = active.filter(isPodReady).length;
    status.succeeded = succeeded;
    status.failed = failed;
    status.terminating = pods.filter((p) => p.metadata.deletionTimestamp && p.status?.phase !== "Succeeded" && p.status?.phase !== "Failed").length;
    if (indexed) status.completedIndexes = formatIndexes(succeededIndexes);
    if (conditions.length > 0) status.conditions = conditions;
    else delete status.conditions;
    const updated = await this.updateStatus(job, status);

    if (manageError !== undefined) throw manageError;
    if (!finishedConditionOf(updated)) this.requeueForDeadline(key, updated, now);
    else if (updated.spec?.ttlSecondsAfterFinished !== undefined) this.enqueueAfter(key, updated.spec.ttlSecondsAfterFinished * 1000);
  }

  /**
   * Creates or deletes pods toward the wanted number of active ones;
   * returns the active count after its writes (upstream counts successful
   * creations as active at once).
   */
  private async manageJob(
    key: string,
    job: Readonly<JobObject>,
    active: readonly Readonly<PodObject>[],
    pods: readonly Readonly<PodObject>[],
    succeeded: number,
    succeededIndexes: ReadonlySet<number>,
  ): Promise<number> {
    const spec = job.spec;
    if (spec?.suspend === true) return active.length - (await this.deletePods(key, job, active));
    const parallelism = spec?.parallelism ?? 1;
    const completions = spec?.completions ?? undefined;
    let wantActive: number;
    if (completions === undefined) wantActive = succeeded > 0 ? active.length : parallelism;
    else wantActive = Math.max(0, Math.min(completions - succeeded, parallelism));

    if (active.length > wantActive) {
      const victims = podsToDelete(active, Math.min(active.length - wantActive, this.burstReplicas));
      return active.length - (await this.deletePods(key, job, victims));
    }
    if (active.length === wantActive) return active.length;

    const waitMs = remainingBackoffMs(backoffRecord(pods), this.clock.now());
    if (waitMs > 0) {
      log.debug({ key, waitMs }, "pods failed recently; waiting before creating more");
      this.enqueueAfter(key, waitMs);
      return active.length;
    }
    let count = Math.min(wantActive - active.length, this.burstReplicas);
    let indexes: (number | undefined)[] = Array.from({ length: count }, () => undefined);
    if (spec?.completionMode === "Indexed") {
      const activeIndexes = new Set(active.map(completionIndexOf).filter((i): i is number => i !== undefined));
      indexes = firstPendingIndexes(completions ?? 0, succeededIndexes, activeIndexes, count);
      count = indexes.length;
    }
    if (count === 0) return active.length;
    this.expectations.expectCreations(key, count);
    log.debug({ key, count, active: active.length, want: wantActive }, "creating job pods");
    let next = 0;
    const { successes, error } = await slowStartBatch(count, 1, () => this.createPod(job, indexes[next++]));
    // Creations never made (or failed) will never be observed.
    for (let i = successes; i < count; i++) this.expectations.creationObserved(key);
    if (error !== undefined) throw error;
    return active.length + successes;
  }

  private async createPod(job: Readonly<JobObject>, index: number | undefined): Promise<void> {
    const template = job.spec?.template ?? {};
    const name = job.metadata.name!;
    const uid = job.metadata.uid ?? "";
    const labels: Record<string, string> = { ...(template.metadata?.labels ?? {}) };
    for (const k of jobNameLabels) labels[k] ??= name;
    for (const k of controllerUidLabels) labels[k] ??= uid;
    const annotations: Record<string, string> = { ...(template.metadata?.annotations ?? {}) };
    const spec = structuredClone(template.spec ?? { containers: [] }) as NonNullable<PodObject["spec"]>;
    if (index !== undefined) {
      annotations[completionIndexKey] = String(index);
      labels[completionIndexKey] = String(index);
      spec.hostname ??= `${name}-${index}`;
      for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
        const env = (container.env ??= []);
        if (!env.some((e) => e.name === "JOB_COMPLETION_INDEX")) {
          env.push({ name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${completionIndexKey}']` } } });
        }
      }
    }
    const pod: PodObject = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        generateName: index === undefined ? `${name}-` : `${name}-${index}-`,
        namespace: job.metadata.namespace,
        labels,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
        ...(template.metadata?.finalizers ? { finalizers: [...template.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(job, "batch/v1", "Job")],
      },
      spec,
    };
    try {
      const created = await this.client.create(podsRef, pod, { namespace: job.metadata.namespace });
      this.event(job, "Normal", "SuccessfulCreate", `Created pod: ${created.metadata.name}`);
    } catch (err) {
      this.event(job, "Warning", "FailedCreate", `Error creating: ${(err as Error).message}`);
      throw err;
    }
  }

  /** Deletes `victims` (pinned to their uids); returns how many went. Failures other than NotFound are thrown. */
  private async deletePods(key: string, job: Readonly<JobObject>, victims: readonly Readonly<PodObject>[]): Promise<number> {
    if (victims.length === 0) return 0;
    const victimKeys = victims.map((p) => objectKey(p));
    this.expectations.expectDeletions(key, victimKeys);
    const results = await Promise.allSettled(
      victims.map((p) => this.client.delete(podsRef, p.metadata.name!, { namespace: p.metadata.namespace, preconditions: { uid: p.metadata.uid } })),
    );
    let deleted = 0;
    let error: unknown;
    results.forEach((r, i) => {
      if (r.status === "fulfilled") {
        deleted++;
        this.event(job, "Normal", "SuccessfulDelete", `Deleted pod: ${victims[i]!.metadata.name}`);
        return;
      }
      this.expectations.deletionObserved(key, victimKeys[i]!);
      if (isNotFound(r.reason)) deleted++;
      else {
        this.event(job, "Warning", "FailedDelete", `Error deleting: ${(r.reason as Error).message}`);
        error ??= r.reason;
      }
    });
    if (error !== undefined) throw error;
    return deleted;
  }

  private pastActiveDeadline(job: Readonly<JobObject>, status: JobStatus, now: number): boolean {
    const deadline = job.spec?.activeDeadlineSeconds;
    if (deadline === undefined || !status.startTime || job.spec?.suspend === true) return false;
    return now - Date.parse(status.startTime) >= deadline * 1000;
  }

  /** A running job with a deadline is looked at again when it passes. */
  private requeueForDeadline(key: string, job: Readonly<JobObject>, now: number): void {
    const deadline = job.spec?.activeDeadlineSeconds;
    const start = job.status?.startTime;
    if (deadline === undefined || !start || job.spec?.suspend === true) return;
    this.enqueueAfter(key, Math.max(0, Date.parse(start) + deadline * 1000 - now));
  }

  /** `ttlSecondsAfterFinished` (upstream's TTL-after-finished controller): delete the job, and its pods with it, once the time is up. */
  private async cleanUpFinished(job: Readonly<JobObject>): Promise<void> {
    const ttl = job.spec?.ttlSecondsAfterFinished;
    if (ttl === undefined || job.metadata.deletionTimestamp) return;
    const condition = job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
    const finishedAt = Date.parse(job.status?.completionTime ?? condition?.lastTransitionTime ?? "");
    if (Number.isNaN(finishedAt)) return;
    const left = finishedAt + ttl * 1000 - this.clock.now();
    if (left > 0) {
      this.enqueueAfter(objectKey(job), left);
      return;
    }
    try {
      await this.client.delete(jobsRef, job.metadata.name!, {
        namespace: job.metadata.namespace,
        propagationPolicy: "Background",
        preconditions: { uid: job.metadata.uid, resourceVersion: job.metadata.resourceVersion },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  /** Writes `status` if it differs from the job's; retries once on a conflict with a fresh read. */
  private async updateStatus(job: Readonly<JobObject>, status: JobStatus): Promise<Readonly<JobObject>> {
    if (canonical(job.status ?? {}) === canonical(status)) return job;
    let current: JobObject = structuredClone(job) as JobObject;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.client.updateStatus(jobsRef, { ...current, status }, { namespace: job.metadata.namespace });
      } catch (err) {
        if (!isConflict(err) || attempt >= 1) throw err;
        current = await this.client.get<JobObject>(jobsRef, job.metadata.name!, { namespace: job.metadata.namespace });
        if (current.metadata.uid !== job.metadata.uid) return job;
      }
    }
  }

  private event(job: Readonly<JobObject>, type: "Normal" | "Warning", reason: string, message: string): void {
    this.recorder.event(involvedObject(job, "batch/v1", "Job"), type, reason, message);
  }

  // ── pod events → job keys ──────────────────────────────────────────────

  private controllingJob(pod: Readonly<PodObject>): Readonly<JobObject> | undefined {
    const ref = controllerOf(pod);
    if (!ref || ref.kind !== "Job" || !ref.apiVersion.startsWith("batch/")) return undefined;
    const job = this.jobs.cache.get(`${pod.metadata.namespace}/${ref.name}`);
    return job && job.metadata.uid === ref.uid ? job : undefined;
  }

  private matchingJobs(pod: Readonly<PodObject>): Readonly<JobObject>[] {
    return this.jobs.cache.byIndex("namespace", pod.metadata.namespace ?? "").filter((job) => {
      const selector = labelSelectorFromStruct(job.spec?.selector);
      return !selector.empty && selector.matches(pod.metadata.labels);
    });
  }

  private podAdded(pod: Readonly<PodObject>): void {
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    if (controllerOf(pod)) {
      const job = this.controllingJob(pod);
      if (!job) return;
      this.expectations.creationObserved(objectKey(job));
      this.enqueue(objectKey(job));
      return;
    }
    for (const job of this.matchingJobs(pod)) this.enqueue(objectKey(job));
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
      const job = this.controllingJob(old);
      if (job) this.enqueue(objectKey(job));
    }
    if (curRef) {
      const job = this.controllingJob(cur);
      if (job) this.enqueue(objectKey(job));
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || oldRef) for (const job of this.matchingJobs(cur)) this.enqueue(objectKey(job));
  }

  private podDeleted(pod: Readonly<PodObject>): void {
    const job = this.controllingJob(pod);
    if (!job) return;
    this.expectations.deletionObserved(objectKey(job), objectKey(pod));
    this.enqueue(objectKey(job));
  }
}

/** The job's Complete or Failed condition with status True, if it has finished. */
export function finishedConditionOf(job: Readonly<Job>): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === "Complete" || c.type === "Failed") && c.status === "True");
}

/**
 * Upstream `pastBackoffLimitOnFailure`: with restartPolicy OnFailure the
 * kubelet restarts failing containers in place, so their restarts count
 * against the limit instead of failed pods.
 */
function pastBackoffLimitOnFailure(job: Readonly<JobObject>, active: readonly Readonly<PodObject>[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== "OnFailure") return false;
  let restarts = 0;
  for (const pod of active) {
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Replaces the condition of the same type, keeping its transition time when the status did not change. */
function setCondition(conditions: JobCondition[], next: Omit<JobCondition, "lastProbeTime" | "lastTransitionTime">, now: number): JobCondition[] {
  const existing = conditions.find((c) => c.type === next.type);
  const time = formatTime(now);
  const condition: JobCondition = {
    type: next.type,
    status: next.status,
    lastProbeTime: time,
    lastTransitionTime: existing && existing.status === next.status ? (existing.lastTransitionTime ?? time) : time,
    ...(next.reason ? { reason: next.reason } : {}),
    ...(next.message ? { message: next.message } : {}),
  };
  return existing ? conditions.map((c) => (c === existing ? condition : c)) : [...conditions, condition];
}

/** JSON with sorted keys and zero counts dropped, so absent and 0 compare equal. */
function canonical(status: JobStatus): string {
  const copy: Record<string, unknown> = { ...status };
  for (const k of ["active", "ready", "succeeded", "failed", "terminating"]) if (copy[k] === 0) delete copy[k];
  return JSON.stringify(sortKeys(copy));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
  );
}
