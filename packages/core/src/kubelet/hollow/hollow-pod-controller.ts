/**
 * The pod side of a hollow fleet, on the one control loop: ONE pods
 * informer for every node of the fleet (a watch per node would be a
 * thousand watches), events dispatched by `spec.nodeName`, one work queue
 * keyed by pod, so status writes are bounded by the worker count and
 * failures are retried with back-off. It also feeds the fleet's nodes
 * informer to each node's `observe`.
 *
 * A pod newly bound to a fleet node is enqueued after the start delay
 * (jittered, so pods do not all turn Running in the same millisecond);
 * every other change is enqueued at once. `sync` asks the pod's node what to
 * do and requeues the pod when the node answers with a time (a
 * run-to-completion pod not due yet).
 */
import { objectKey, type KubeObject, type Node, type Pod } from "../../api/index.js";
import type { Controller } from "../../control-loop/index.js";
import type { Informer } from "../../informer/index.js";
import type { HollowNode } from "./hollow-node.js";
import type { ResolvedHollowNodeOptions } from "./hollow-node-options.js";
import { nextPodAction } from "./pod-status.js";
import type { NodeObject, PodObject } from "./resources.js";

export interface HollowPodControllerDeps {
  pods: Informer<PodObject>;
  nodes: Informer<NodeObject>;
  /** The fleet's node of that name, if it is one. */
  nodeFor(name: string): HollowNode | undefined;
  /** A fresh pod IP (a status value only). */
  podIP(): string;
  options: Pick<ResolvedHollowNodeOptions, "podStartDelay" | "random">;
}

export class HollowPodController implements Controller {
  readonly name = "hollow-pods";
  readonly informers: Informer<KubeObject>[];
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  constructor(private readonly deps: HollowPodControllerDeps) {
    this.informers = [deps.pods, deps.nodes] as unknown as Informer<KubeObject>[];
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueueAfter = enqueueAfter;
    const onPod = (pod: Readonly<Pod>) => {
      const node = pod.spec?.nodeName;
      if (!node || !this.deps.nodeFor(node)) return;
      const action = nextPodAction(pod);
      if (action.type === "none") return;
      if (action.type === "start") enqueueAfter(objectKey(pod), this.startDelay());
      else enqueue(objectKey(pod));
    };
    this.deps.pods.addEventHandler({ onAdd: onPod, onUpdate: (_old, pod) => onPod(pod) });
    const onNode = (node: Readonly<Node>, deleted: boolean) => {
      this.deps.nodeFor(node.metadata?.name ?? "")?.observe(deleted ? undefined : node);
    };
    this.deps.nodes.addEventHandler({
      onAdd: (n) => onNode(n, false),
      onUpdate: (_old, n) => onNode(n, false),
      onDelete: (n) => onNode(n, true),
    });
  }

  async sync(key: string): Promise<void> {
    const pod = this.deps.pods.cache.get(key);
    if (!pod) return;
    const node = this.deps.nodeFor(pod.spec?.nodeName ?? "");
    if (!node) return;
    const again = await node.syncPod(pod, () => this.deps.podIP());
    if (again !== undefined) this.enqueueAfter(key, again);
  }

  private startDelay(): number {
    const { minMs, maxMs } = this.deps.options.podStartDelay;
    return minMs + this.deps.options.random() * (maxMs - minMs);
  }
}
