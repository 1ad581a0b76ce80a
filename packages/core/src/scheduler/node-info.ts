/**
 * A node as the scheduler sees it during one decision: the Node object, the
 * pods already on it (bound, or assumed by this scheduler), and the sums of
 * their requests. Immutable once built: a snapshot is a consistent view.
 */
import type { Node, Pod } from "../api/types.js";
import { addResources, nodeAllocatable, podRequests, type Resources } from "./resources.js";

export interface NodeInfo {
  readonly name: string;
  readonly node: Readonly<Node>;
  readonly pods: readonly Readonly<Pod>[];
  /** What the node offers: allocatable (cpu in millicores). */
  readonly allocatable: Readonly<Resources>;
  /** Sum of the pods' effective requests, `pods` included (the pod count). */
  readonly requested: Readonly<Resources>;
  /** As `requested`, with upstream's non-zero defaults for request-less containers; used by scores. */
  readonly nonZeroRequested: Readonly<Resources>;
}

export function newNodeInfo(node: Readonly<Node>, pods: readonly Readonly<Pod>[] = []): NodeInfo {
  const requested: Resources = { pods: 0 };
  const nonZeroRequested: Resources = { pods: 0 };
  for (const pod of pods) {
    addResources(requested, podRequests(pod));
    addResources(nonZeroRequested, podRequests(pod, { nonZero: true }));
  }
  return {
    name: node.metadata?.name ?? "",
    node,
    pods,
    allocatable: nodeAllocatable(node),
    requested,
    nonZeroRequested,
  };
}
