/**
 * NodeResourcesLeastAllocated (upstream: NodeResourcesFit's default
 * `LeastAllocated` scoring strategy): prefers the node with the most cpu and
 * memory left after placing the pod, which spreads load.
 *
 *   score = mean over cpu, memory of (allocatable - requested) * 100 / allocatable
 *
 * `requested` includes the pod and uses the non-zero defaults (100m, 200Mi)
 * for containers that request nothing, so request-less pods spread too.
 */
import type { ScorePlugin } from "../../framework.js";
import type { NodeInfo } from "../../node-info.js";
import type { Resources } from "../../resources.js";
import { cachedPodRequests } from "../node-resources-fit/node-resources-fit.js";

export const scoredResources = ["cpu", "memory"] as const;

/** Requested (non-zero rule, pod included) and allocatable of one resource on one node. */
export function usageAfterPlacing(nodeInfo: NodeInfo, podRequests: Readonly<Resources>, resource: string): { requested: number; allocatable: number } {
  return {
    requested: (nodeInfo.nonZeroRequested[resource] ?? 0) + (podRequests[resource] ?? 0),
    allocatable: nodeInfo.allocatable[resource] ?? 0,
  };
}

export const leastAllocated: ScorePlugin = {
  name: "NodeResourcesLeastAllocated",
  weight: 1,
  score(pod, nodeInfo, state) {
    const requests = cachedPodRequests(pod, state, true);
    let sum = 0;
    for (const resource of scoredResources) {
      const { requested, allocatable } = usageAfterPlacing(nodeInfo, requests, resource);
      if (allocatable > 0 && requested <= allocatable) sum += Math.floor(((allocatable - requested) * 100) / allocatable);
    }
    return Math.floor(sum / scoredResources.length);
  },
};
