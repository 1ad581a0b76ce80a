/**
 * NodeUnschedulable: a cordoned node (`spec.unschedulable`) takes only pods
 * that tolerate the `node.kubernetes.io/unschedulable:NoSchedule` taint
 * (DaemonSet pods do).
 */
import { fits, unfit, type FilterPlugin } from "../../framework.js";
import { isTolerated } from "../../tolerations.js";

export const unschedulableTaint = { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" } as const;

export const nodeUnschedulable: FilterPlugin = {
  name: "NodeUnschedulable",
  filter(pod, nodeInfo) {
    if (!nodeInfo.node.spec?.unschedulable) return fits;
    if (isTolerated(pod.spec?.tolerations, unschedulableTaint)) return fits;
    return unfit("node(s) were unschedulable");
  },
};
