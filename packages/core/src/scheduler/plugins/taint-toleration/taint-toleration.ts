/**
 * TaintToleration: a node's `NoSchedule` and `NoExecute` taints keep off
 * every pod that does not tolerate them (the first untolerated one is the
 * reason); `PreferNoSchedule` taints only score: the fewer untolerated ones,
 * the better.
 */
import { fits, normalizeToMax, unfit, type FilterPlugin, type ScorePlugin } from "../../framework.js";
import { formatTaint, isTolerated } from "../../tolerations.js";

export const taintToleration: FilterPlugin = {
  name: "TaintToleration",
  filter(pod, nodeInfo) {
    for (const taint of nodeInfo.node.spec?.taints ?? []) {
      if (taint.effect !== "NoSchedule" && taint.effect !== "NoExecute") continue;
      if (!isTolerated(pod.spec?.tolerations, taint)) return unfit(`node(s) had untolerated taint ${formatTaint(taint)}`);
    }
    return fits;
  },
};

export const preferNoScheduleTaints: ScorePlugin = {
  name: "TaintToleration",
  weight: 3,
  score(pod, nodeInfo) {
    // Only tolerations that could apply to PreferNoSchedule count, as upstream.
    const tolerations = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === "PreferNoSchedule");
    return (nodeInfo.node.spec?.taints ?? []).filter((t) => t.effect === "PreferNoSchedule" && !isTolerated(tolerations, t)).length;
  },
  normalize: (scores) => normalizeToMax(scores, true),
};
