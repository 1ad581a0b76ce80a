/**
 * The node lifecycle controller notices nodes that stopped talking, taints
 * nodes by their conditions, and evicts pods from nodes they cannot stay on
 * (upstream's node lifecycle controller with taint-based eviction and its
 * taint eviction controller).
 *
 * Keys are node names. Node events, pod events (the pod's node) and a
 * periodic requeue every `nodeMonitorPeriodMs` lead to one sync:
 *
 *   node from the cache ── gone: forget its health record
 *   heartbeat seen? (Lease renewTime or Ready heartbeat moved; node-health.ts)
 *   silent past the grace period ─▶ Ready & co. Unknown (status subresource),
 *                                   Event NodeNotReady when it was Ready
 *   taints from conditions (node-taints.ts) ─▶ merge patch of spec.taints
 *   pods on the node (spec.nodeName index):
 *     NoExecute taint not tolerated, or tolerated and its time is up
 *       ─▶ condition DisruptionTarget, delete, Event TaintManagerEviction
 *     tolerated for a while ─▶ sync the node again when the time is up
 *     node Unknown and pod Ready ─▶ pod Ready=False, Event NodeNotReady
 *                                   (no kubelet is left to say so, and
 *                                   endpoints must stop sending traffic)
 *
 * Every write is pinned to the resourceVersion the decision was made on,
 * so a kubelet posting status meanwhile turns the write into a Conflict
 * and the key is retried on fresh data.
 *
 * Not done (upstream has them): per-zone eviction rate limits and the
 * "every node is down, so the control plane is probably cut off; evict
 * nothing" rule.
 */
import { isConflict, isNotFound, type KubeObject, type Lease, type Node, type NodeCondition, type Pod, type PodCondition, type Taint } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";
import type { Controller } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger, realClock, type Clock } from "../../util/index.js";
import { EventRecorder, formatTime, involvedObject, podsRef } from "../shared/index.js";
import { isSilent, observeNodeHealth, readyCondition, unknownConditions, type NodeHealth } from "./node-health.js";
import { resolveNodeLifecycleTimings, type NodeLifecycleOptions, type NodeLifecycleTimings } from "./node-lifecycle-options.js";
import { noExecuteTaints, reconcileTaints } from "./node-taints.js";
import { leasesRef, nodeLeaseNamespace, nodesRef } from "./resources.js";
import { evictionDecision } from "./taint-eviction.js";

const log = logger("node-lifecycle-controller");

export type NodeObject = Node & KubeObject;
export type PodObject = Pod & KubeObject;
export type LeaseObject = Lease & KubeObject;

/** Name of the pod cache index by `spec.nodeName`. */
export const podNodeNameIndexName = "spec.nodeName";

export class NodeLifecycleController implements Controller {
  readonly name = "node-lifecycle-controller";
  readonly informers: Informer<KubeObject>[];
  readonly timings: Readonly<NodeLifecycleTimings>;
  private readonly nodes: Informer<NodeObject>;
  private readonly pods: Informer<PodObject>;
  private readonly leases: Informer<LeaseObject>;
  private readonly clock: Clock;
  private readonly recorder: EventRecorder;
  private readonly health = new Map<string, NodeHealth>();
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(
    private readonly client: RestClient,
    options: NodeLifecycleOptions = {},
  ) {
    this.timings = resolveNodeLifecycleTimings(options);
    this.clock = options.clock ?? realClock;
    const newInformer =
      options.newInformer ??
      ((ref) => new Informer<KubeObject>(client, ref, { clock: this.clock, ...(ref === leasesRef ? { namespace: nodeLeaseNamespace } : {}) }));
    this.nodes = newInformer(nodesRef) as Informer<NodeObject>;
    this.pods = newInformer(podsRef) as Informer<PodObject>;
    this.leases = newInformer(leasesRef) as Informer<LeaseObject>;
    this.pods.cache.addIndex(podNodeNameIndexName, (pod) => (pod.spec?.nodeName ? [pod.spec.nodeName] : []));
    this.informers = [this.nodes, this.pods, this.leases] as Informer<KubeObject>[];
    this.recorder = options.recorder ?? new EventRecorder(client, "node-controller", this.clock);
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueueAfter = enqueueAfter;
    this.nodes.addEventHandler({
      onAdd: (node) => enqueue(node.metadata.name!),
      onUpdate: (_old, node) => enqueue(node.metadata.name!),
      onDelete: (node) => enqueue(node.metadata.name!),
    });
    // A pod bound to (or updated on) a tainted node must be judged without waiting for the next period.
    const enqueueNodeOf = (pod: Readonly<PodObject>) => {
      if (pod.spec?.nodeName && !pod.metadata.deletionTimestamp) enqueue(pod.spec.nodeName);
    };
    this.pods.addEventHandler({
      onAdd: enqueueNodeOf,
      onUpdate: (old, pod) => {
        if (old.metadata.resourceVersion !== pod.metadata.resourceVersion) enqueueNodeOf(pod);
      },
    });
    // Leases need no handler: renewals are read at each periodic sync, as upstream does.
  }

  async sync(name: string): Promise<void> {
    const cached = this.nodes.cache.get(name);
    if (!cached) {
      this.health.delete(name);
      return;
    }
    this.enqueueAfter(name, this.timings.nodeMonitorPeriodMs);
    const now = this.clock.now();
    const lease = this.leases.cache.get(`${nodeLeaseNamespace}/${name}`);
    const health = observeNodeHealth(this.health.get(name), cached, lease, now);
    this.health.set(name, health);

    let node: Readonly<NodeObject> = cached;
    if (isSilent(health, now, this.timings.nodeMonitorGracePeriodMs, this.timings.nodeStartupGracePeriodMs)) {
      const conditions = unknownConditions(node, now);
      if (conditions) {
        const wasReady = readyCondition(node)?.status === "True";
        log.info({ node: name, silentMs: now - health.probeTimestamp }, "node stopped posting status; conditions set to Unknown");
        node = await this.updateConditions(node, conditions);
        if (wasReady) this.recorder.event(involvedObject(node, "v1", "Node"), "Normal", "NodeNotReady", `Node ${name} status is now: NodeNotReady`);
      }
    }

    const taints = reconcileTaints(node, now);
    if (taints) node = await this.updateTaints(node, taints);

    await this.processPods(node, now);
  }

  private async updateConditions(node: Readonly<NodeObject>, conditions: NodeCondition[]): Promise<NodeObject> {
    const next: NodeObject = { ...structuredClone(node), status: { ...structuredClone(node.status), conditions } };
    return this.client.updateStatus(nodesRef, next);
  }

  private async updateTaints(node: Readonly<NodeObject>, taints: Taint[]): Promise<NodeObject> {
    const names = (ts: readonly Taint[]) => ts.map((t) => `${t.key}:${t.effect}`);
    log.info({ node: node.metadata.name, from: names(node.spec?.taints ?? []), to: names(taints) }, "updating node taints");
    return this.client.patch<NodeObject>(nodesRef, node.metadata.name!, "merge", {
      metadata: { resourceVersion: node.metadata.resourceVersion },
      spec: { taints: taints.length > 0 ? taints : null },
    });
  }

  /** Evicts what must go, marks the rest not ready on a silent node; errors are thrown once every pod was tried. */
  private async processPods(node: Readonly<NodeObject>, now: number): Promise<void> {
    const taints = noExecuteTaints(node);
    const unknown = readyCondition(node)?.status === "Unknown";
    if (taints.length === 0 && !unknown) return;
    const failures: unknown[] = [];
    let nextEviction = Infinity;
    for (const pod of this.pods.cache.byIndex(podNodeNameIndexName, node.metadata.name!)) {
      if (pod.metadata.deletionTimestamp) continue;
      try {
        const decision = evictionDecision(pod, taints, now, this.timings.podEvictionTimeoutMs);
        if (decision.kind === "evict") {
          await this.evict(pod, now);
          continue;
        }
        if (decision.kind === "wait") nextEviction = Math.min(nextEviction, decision.at);
        if (unknown) await this.markNotReady(pod, now);
      } catch (err) {
        if (!isNotFound(err)) failures.push(err);
      }
    }
    if (nextEviction !== Infinity) this.enqueueAfter(node.metadata.name!, nextEviction - now);
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `node ${node.metadata.name}: ${failures.length} pod updates failed`);
  }

  private async evict(pod: Readonly<PodObject>, now: number): Promise<void> {
    const ref = `${pod.metadata.namespace}/${pod.metadata.name}`;
    log.info({ pod: ref, node: pod.spec?.nodeName }, "evicting pod from a node with a NoExecute taint it does not tolerate");
    this.recorder.event(involvedObject(pod, "v1", "Pod"), "Normal", "TaintManagerEviction", `Marking for deletion Pod ${ref}`);
    const conditions = pod.status?.conditions ?? [];
    if (!conditions.some((c) => c.type === "DisruptionTarget" && c.status === "True")) {
      const condition: PodCondition = {
        type: "DisruptionTarget",
        status: "True",
        reason: "DeletionByTaintManager",
        message: "Taint manager: deleting due to NoExecute taint",
        lastTransitionTime: formatTime(now),
      };
      await this.updatePodConditions(pod, [...conditions.filter((c) => c.type !== "DisruptionTarget"), condition]);
    }
    await this.client.delete(podsRef, pod.metadata.name!, { namespace: pod.metadata.namespace, preconditions: { uid: pod.metadata.uid } });
  }

  private async markNotReady(pod: Readonly<PodObject>, now: number): Promise<void> {
    const conditions = pod.status?.conditions ?? [];
    const ready = conditions.find((c) => c.type === "Ready");
    if (ready?.status !== "True") return;
    const next = conditions.map((c) => (c === ready ? { ...c, status: "False", lastTransitionTime: formatTime(now) } : c));
    await this.updatePodConditions(pod, next);
    this.recorder.event(involvedObject(pod, "v1", "Pod"), "Warning", "NodeNotReady", "Node is not ready");
  }

  private async updatePodConditions(pod: Readonly<PodObject>, conditions: PodCondition[]): Promise<void> {
    const next: PodObject = { ...structuredClone(pod), status: { ...structuredClone(pod.status), conditions } };
    try {
      await this.client.updateStatus(podsRef, next, { namespace: pod.metadata.namespace });
    } catch (err) {
      // The kubelet (or another sync) wrote first: decide again on fresh data.
      if (isConflict(err)) log.debug({ pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, "pod changed meanwhile; retrying");
      throw err;
    }
  }
}
