/**
 * NodeAffinity: `spec.nodeSelector` and
 * `affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution`
 * filter (In, NotIn, Exists, DoesNotExist, Gt, Lt on labels; `metadata.name`
 * in matchFields); `preferredDuringSchedulingIgnoredDuringExecution` scores:
 * the sum of the weights of the preferences the node matches, scaled so the
 * best node gets 100.
 */
import { fits, normalizeToMax, unfit, type FilterPlugin, type ScorePlugin } from "../../framework.js";
import { matchesRequiredNodeSelection, termMatches } from "../../node-selector.js";

export const nodeAffinity: FilterPlugin = {
  name: "NodeAffinity",
  filter(pod, nodeInfo) {
    return matchesRequiredNodeSelection(pod, nodeInfo.node) ? fits : unfit("node(s) didn't match Pod's node affinity/selector");
  },
};

export const preferredNodeAffinity: ScorePlugin = {
  name: "NodeAffinity",
  weight: 2,
  score(pod, nodeInfo) {
    let sum = 0;
    for (const term of pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      if (term.weight !== 0 && termMatches(term.preference, nodeInfo.node)) sum += term.weight;
    }
    return sum;
  },
  normalize: (scores) => normalizeToMax(scores),
};
