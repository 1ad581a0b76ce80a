/**
 * The scheduler: watches pods and nodes, and gives every pending pod that is
 * ours a node.
 *
 *   pod informer ──pending pods──▶ scheduling queue ──pop──▶ snapshot (caches + assumed)
 *        │  node informer ──events──▶ (move unschedulable pods)        │
 *        │                                                           schedule()
 *        │                         ┌─────────── fits ───────────────────┤
 *        │                  assume + bind (POST pods/x/binding)        no node fits
 *        │                  Event Scheduled                            PodScheduled=False
 *        └─ bound pod seen: assumed entry dropped                      Event FailedScheduling
 *
 * "Ours": `spec.nodeName` empty, `spec.schedulerName` ours (unset counts as
 * "default-scheduler"), no `deletionTimestamp`, not finished.
 *
 * Assume: a pod is counted on its node from the moment it is chosen, before
 * the binding is written and long before the informer shows it bound, so
 * that the next decisions (made while the binding is in flight) see it.
 * The assumed copy is dropped when the informer shows the pod bound or
 * deleted, or when the binding fails.
 *
 * Decisions are one at a time (each sees the previous one); bindings and
 * Events go out concurrently, up to `parallelBindings`.
 */
import { randomBytes } from "node:crypto";
import { isConflict, isNotFound } from "../api/errors.js";
import { objectKey, type KubeObject } from "../api/object.js";
import type { Node, Pod } from "../api/types.js";
import type { RestClient, ResourceRef } from "../client/index.js";
import { Informer } from "../informer/index.js";
import { logger } from "../util/logger.js";
import { ClusterSnapshot, isFinished } from "./cluster-snapshot.js";
import { schedule } from "./schedule.js";
import { resolveSchedulerOptions, defaultSchedulerName, type ResolvedSchedulerOptions, type SchedulerOptions } from "./scheduler-options.js";
import { SchedulingQueue, type QueuedPod } from "./scheduling-queue.js";
import { binding, scheduledMessage, schedulingEvent, withUnschedulableCondition, type SchedulingEventReason } from "./scheduling-events.js";

const log = logger("scheduler");

export const podsRef: ResourceRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };
export const nodesRef: ResourceRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };
export const eventsRef: ResourceRef = { group: "", version: "v1", plural: "events", namespaced: true, kind: "Event" };

export class Scheduler {
  readonly pods: Informer<KubeObject>;
  readonly nodes: Informer<KubeObject>;
  readonly queue: SchedulingQueue;
  private readonly options: ResolvedSchedulerOptions;
  /** Pods chosen a node whose binding the pod informer has not shown yet, by key. */
  private readonly assumed = new Map<string, Pod>();
  private readonly inFlight = new Set<Promise<void>>();
  private round = 0;
  private started = false;

  constructor(
    private readonly client: RestClient,
    options: SchedulerOptions = {},
  ) {
    this.options = resolveSchedulerOptions(options);
    const newInformer = this.options.newInformer ?? ((ref: ResourceRef) => new Informer<KubeObject>(client, ref));
    this.pods = newInformer(podsRef);
    this.nodes = newInformer(nodesRef);
    this.queue = new SchedulingQueue({
      clock: this.options.clock,
      initialBackoffMs: this.options.initialBackoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
      maxUnschedulableMs: this.options.maxUnschedulableMs,
    });
  }

  /** Whether the scheduler should place this pod (see the file comment). */
  isOurs(pod: Readonly<Pod>): boolean {
    return (
      !pod.spec?.nodeName &&
      (pod.spec?.schedulerName || defaultSchedulerName) === this.options.schedulerName &&
      !pod.metadata?.deletionTimestamp &&
      !isFinished(pod)
    );
  }

  /**
   * Starts the informers, waits for their first lists, then schedules until
   * `signal` aborts; resolves once the bindings in flight have finished.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error("scheduler is already running");
    this.started = true;
    if (signal.aborted) return;
    signal.addEventListener("abort", () => this.queue.close(), { once: true });
    this.registerHandlers();
    const informerRuns = [this.pods, this.nodes].map((informer) =>
      informer.run(signal).catch((err: unknown) => log.error({ err }, "informer stopped with an error")),
    );
    try {
      await Promise.all([this.pods.waitForSync(signal), this.nodes.waitForSync(signal)]);
      log.info({ profile: this.options.profile.name, schedulerName: this.options.schedulerName }, "caches synced; scheduling");
      for (;;) {
        const next = await this.queue.pop(signal);
        if (!next) break;
        await this.scheduleOne(next);
      }
    } catch (err) {
      if (!signal.aborted) throw err;
    } finally {
      this.queue.close();
      await Promise.allSettled([...this.inFlight]);
      await Promise.allSettled(informerRuns);
    }
  }

  /** One scheduling attempt for a popped pod. Never throws: failures go back to the queue. */
  async scheduleOne(queued: QueuedPod): Promise<void> {
    const { key } = queued;
    const pod = this.pods.cache.get(key) as Readonly<Pod> | undefined;
    if (!pod || !this.isOurs(pod) || this.assumed.has(key)) {
      this.queue.done(key);
      return;
    }
    const snapshot = this.snapshot();
    const result = schedule(pod, snapshot, this.options.profile, { round: this.round++ });
    if ("unschedulable" in result) {
      log.info({ pod: key, attempts: queued.attempts + 1, reason: result.message }, "unschedulable");
      this.queue.requeueUnschedulable(key);
      await this.background(this.recordUnschedulable(pod, result.message));
      return;
    }
    this.assumed.set(key, { ...pod, spec: { ...pod.spec!, nodeName: result.node } });
    await this.background(this.bind(pod, result.node));
  }

  /** The cluster as the caches show it, plus the pods assumed but not yet seen bound. */
  snapshot(): ClusterSnapshot {
    const nodes = this.nodes.cache.list() as Readonly<Node>[];
    let pods = this.pods.cache.list() as Readonly<Pod>[];
    if (this.assumed.size > 0) {
      pods = pods.filter((p) => !this.assumed.has(objectKey(p)));
      pods.push(...this.assumed.values());
    }
    return ClusterSnapshot.build(nodes, pods);
  }

  private async bind(pod: Readonly<Pod>, nodeName: string): Promise<void> {
    const key = objectKey(pod);
    const namespace = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    try {
      await this.client.send({
        method: "POST",
        path: `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}/binding`,
        body: binding(pod, nodeName),
      });
    } catch (err) {
      this.assumed.delete(key);
      if (isConflict(err) || isNotFound(err)) {
        // Bound by someone else meanwhile, or deleted: nothing left to do for this pod.
        log.info({ pod: key, node: nodeName, err }, "binding refused; pod already bound or gone");
        this.queue.done(key);
      } else {
        log.warn({ pod: key, node: nodeName, err }, "binding failed; retrying after backoff");
        this.queue.requeueBackoff(key);
        // The assumed pod held resources other decisions may have been refused for.
        this.queue.moveAllToActiveOrBackoff();
      }
      return;
    }
    this.queue.done(key);
    log.debug({ pod: key, node: nodeName }, "bound");
    await this.recordEvent(pod, "Scheduled", scheduledMessage(pod, nodeName));
  }

  /** `PodScheduled=False` on the pod's status and a FailedScheduling Event; failures are logged, not retried. */
  private async recordUnschedulable(pod: Readonly<Pod>, message: string): Promise<void> {
    const namespace = pod.metadata?.namespace ?? "default";
    const name = pod.metadata?.name ?? "";
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await this.client.get<Pod>(podsRef, name, { namespace });
        if (current.spec?.nodeName) break;
        const conditions = withUnschedulableCondition(current.status?.conditions, message, this.now());
        if (!conditions) break;
        try {
          // A merge patch replaces the whole list, so it carries every condition, guarded by resourceVersion.
          await this.client.patch(podsRef, name, "merge", { metadata: { resourceVersion: current.metadata?.resourceVersion }, status: { conditions } }, {
            namespace,
            subresource: "status",
          });
          break;
        } catch (err) {
          if (!isConflict(err)) throw err;
        }
      }
    } catch (err) {
      if (!isNotFound(err)) log.warn({ pod: objectKey(pod), err }, "could not set the PodScheduled condition");
    }
    await this.recordEvent(pod, "FailedScheduling", message);
  }

  private async recordEvent(pod: Readonly<Pod>, reason: SchedulingEventReason, message: string): Promise<void> {
    if (!this.options.recordEvents) return;
    try {
      await this.client.create(eventsRef, schedulingEvent(pod, reason, message, this.now(), randomBytes(8).toString("hex")));
    } catch (err) {
      log.warn({ pod: objectKey(pod), reason, err }, "could not record event");
    }
  }

  /** Runs `work` without waiting for it, unless `parallelBindings` are already in flight. */
  private async background(work: Promise<void>): Promise<void> {
    const tracked = work.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    while (this.inFlight.size >= this.options.parallelBindings) await Promise.race(this.inFlight);
  }

  private now(): string {
    return new Date(this.options.clock.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  private registerHandlers(): void {
    this.pods.addEventHandler({
      onAdd: (obj) => this.podSeen(obj as Readonly<Pod>),
      onUpdate: (oldObj, newObj) => {
        const before = oldObj as Readonly<Pod>;
        const after = newObj as Readonly<Pod>;
        this.podSeen(after);
        // A pod that finished frees its node's resources.
        if (before.spec?.nodeName && !isFinished(before) && isFinished(after)) this.queue.moveAllToActiveOrBackoff();
      },
      onDelete: (obj) => {
        const key = objectKey(obj);
        this.queue.delete(key);
        this.assumed.delete(key);
        this.queue.moveAllToActiveOrBackoff();
      },
    });
    this.nodes.addEventHandler({
      onAdd: () => this.queue.moveAllToActiveOrBackoff(),
      onUpdate: (oldObj, newObj) => {
        if (oldObj === newObj) return;
        if (nodeSchedulingState(oldObj as Readonly<Node>) !== nodeSchedulingState(newObj as Readonly<Node>)) {
          this.queue.moveAllToActiveOrBackoff();
        }
      },
    });
  }

  private podSeen(pod: Readonly<Pod>): void {
    const key = objectKey(pod);
    if (this.isOurs(pod)) {
      this.queue.add(pod);
      return;
    }
    this.queue.delete(key);
    if (pod.spec?.nodeName) this.assumed.delete(key);
  }
}

/**
 * What of a node can change where pods fit. Heartbeats (condition times,
 * images, addresses) change nothing, so they do not requeue every
 * unschedulable pod.
 */
function nodeSchedulingState(node: Readonly<Node>): string {
  return JSON.stringify([
    node.metadata?.labels ?? null,
    node.spec?.unschedulable ?? false,
    node.spec?.taints ?? null,
    node.status?.allocatable ?? null,
    (node.status?.conditions ?? []).map((c) => [c.type, c.status]),
  ]);
}

/** Creates a scheduler and runs it until `signal` aborts; `done` resolves when it has stopped. */
export function startScheduler(client: RestClient, options: SchedulerOptions, signal: AbortSignal): { scheduler: Scheduler; done: Promise<void> } {
  const scheduler = new Scheduler(client, options);
  const done = scheduler.run(signal).catch((err: unknown) => {
    log.error({ err }, "scheduler stopped with an error");
  });
  return { scheduler, done };
}
