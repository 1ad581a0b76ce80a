/**
 * NodeReady: only nodes whose `Ready` condition is `True` take new pods.
 *
 * Upstream leaves this to the node lifecycle controller, which taints a
 * NotReady node `node.kubernetes.io/not-ready` and an Unknown one
 * `node.kubernetes.io/unreachable`; this filter applies the same rule from
 * the condition itself, so it holds before (or without) that controller.
 * A pod tolerating the matching NoSchedule taint passes, as it would there.
 * A node that has not reported a Ready condition yet counts as Unknown.
 */
import { fits, unfit, type FilterPlugin } from "../../framework.js";
import { isTolerated } from "../../tolerations.js";

export const notReadyTaint = { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" } as const;
export const unreachableTaint = { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" } as const;

export const nodeReady: FilterPlugin = {
  name: "NodeReady",
  filter(pod, nodeInfo) {
    const ready = nodeInfo.node.status?.conditions?.find((c) => c.type === "Ready")?.status ?? "Unknown";
    if (ready === "True") return fits;
    const taint = ready === "False" ? notReadyTaint : unreachableTaint;
    if (isTolerated(pod.spec?.tolerations, taint)) return fits;
    return unfit("node(s) were not ready");
  },
};
