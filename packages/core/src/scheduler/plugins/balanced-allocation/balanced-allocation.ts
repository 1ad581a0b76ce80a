/**
 * NodeResourcesBalancedAllocation: prefers the node whose cpu and memory
 * would be used in the most similar proportion after placing the pod, so
 * that neither runs out while the other sits idle.
 *
 *   fraction_r = requested_r / allocatable_r  (capped at 1)
 *   score      = (1 - standard deviation of the fractions) * 100
 */
import type { ScorePlugin } from "../../framework.js";
import { cachedPodRequests } from "../node-resources-fit/node-resources-fit.js";
import { scoredResources, usageAfterPlacing } from "../least-allocated/least-allocated.js";

export const balancedAllocation: ScorePlugin = {
  name: "NodeResourcesBalancedAllocation",
  weight: 1,
  score(pod, nodeInfo, state) {
    const requests = cachedPodRequests(pod, state, true);
    const fractions: number[] = [];
    for (const resource of scoredResources) {
      const { requested, allocatable } = usageAfterPlacing(nodeInfo, requests, resource);
      if (allocatable > 0) fractions.push(Math.min(1, requested / allocatable));
    }
    if (fractions.length === 0) return 0;
    const mean = fractions.reduce((a, b) => a + b, 0) / fractions.length;
    const variance = fractions.reduce((a, f) => a + (f - mean) ** 2, 0) / fractions.length;
    return Math.floor((1 - Math.sqrt(variance)) * 100);
  },
};
