/**
 * NodeResourcesFit: the pod's effective requests (see `podRequests`) must
 * fit in what the node has left: allocatable minus the requests of the pods
 * already there. Every short resource is a reason, in upstream's words:
 * "Too many pods", "Insufficient cpu", "Insufficient memory",
 * "Insufficient nvidia.com/gpu".
 *
 * A resource the pod does not request (or requests 0 of) never fails. A
 * node that reports no `pods` allocatable is not limited in pod count
 * (upstream would refuse every pod there).
 */
import { fits, unfit, type CycleState, type FilterPlugin } from "../../framework.js";
import type { Pod } from "../../../api/types.js";
import { podRequests, type Resources } from "../../resources.js";

export function cachedPodRequests(pod: Readonly<Pod>, state: CycleState, nonZero = false): Resources {
  return state.memo(nonZero ? "pod-requests/non-zero" : "pod-requests", () => podRequests(pod, { nonZero }));
}

export const nodeResourcesFit: FilterPlugin = {
  name: "NodeResourcesFit",
  filter(pod, nodeInfo, state) {
    const requests = cachedPodRequests(pod, state);
    const reasons: string[] = [];
    const allowedPods = nodeInfo.allocatable["pods"];
    if (allowedPods !== undefined && nodeInfo.pods.length + 1 > allowedPods) reasons.push("Too many pods");
    // cpu and memory first, then the rest in name order, so reasons read in a stable order.
    const names = Object.keys(requests)
      .filter((n) => n !== "pods")
      .sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const wanted = requests[name]!;
      if (wanted <= 0) continue;
      const free = (nodeInfo.allocatable[name] ?? 0) - (nodeInfo.requested[name] ?? 0);
      if (wanted > free) reasons.push(`Insufficient ${name}`);
    }
    return reasons.length === 0 ? fits : unfit(...reasons);
  },
};

function rank(name: string): number {
  return name === "cpu" ? 0 : name === "memory" ? 1 : 2;
}
