/**
 * The cluster as one scheduling decision sees it: every node with the pods
 * assigned to it. Built from the informer caches (plus the scheduler's
 * assumed pods) at the start of each attempt, so that filters and scores
 * all judge the same state.
 *
 * Pods that finished (`Succeeded`, `Failed`) hold no resources and are left
 * out; pods bound to a node the snapshot does not know are ignored.
 */
import type { Node, Pod } from "../api/types.js";
import { newNodeInfo, type NodeInfo } from "./node-info.js";

export class ClusterSnapshot {
  /** Sorted by node name, so that every walk over the nodes is deterministic. */
  readonly nodes: readonly NodeInfo[];
  private readonly byName: Map<string, NodeInfo>;

  constructor(nodes: readonly NodeInfo[]) {
    this.nodes = [...nodes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.byName = new Map(this.nodes.map((n) => [n.name, n]));
  }

  /** `pods`: any pods; only those with `spec.nodeName` set and not finished count. */
  static build(nodes: readonly Readonly<Node>[], pods: readonly Readonly<Pod>[]): ClusterSnapshot {
    const podsByNode = new Map<string, Readonly<Pod>[]>();
    for (const pod of pods) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || isFinished(pod)) continue;
      let list = podsByNode.get(nodeName);
      if (!list) podsByNode.set(nodeName, (list = []));
      list.push(pod);
    }
    return new ClusterSnapshot(nodes.map((node) => newNodeInfo(node, podsByNode.get(node.metadata?.name ?? "") ?? [])));
  }

  get(nodeName: string): NodeInfo | undefined {
    return this.byName.get(nodeName);
  }

  /** Every assigned pod, node by node. */
  *pods(): Iterable<{ pod: Readonly<Pod>; nodeInfo: NodeInfo }> {
    for (const nodeInfo of this.nodes) for (const pod of nodeInfo.pods) yield { pod, nodeInfo };
  }
}

export function isFinished(pod: Readonly<Pod>): boolean {
  const phase = pod.status?.phase;
  return phase === "Succeeded" || phase === "Failed";
}
