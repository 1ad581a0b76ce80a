/**
 * InterPodAffinity: pods placed relative to other pods, per topology domain
 * (`topologyKey`: a node label; `kubernetes.io/hostname` = one node).
 *
 * Filter (required terms), three rules, as upstream:
 *   - pod affinity: every term needs a matching pod already in the node's
 *     domain; except that the first pod of a group (no pod anywhere matches
 *     and the pod matches its own terms) may go anywhere that has the keys.
 *     "node(s) didn't match pod affinity rules"
 *   - pod anti-affinity: no term may match a pod already in the node's
 *     domain. "node(s) didn't match pod anti-affinity rules"
 *   - symmetry: no pod already placed may have a required anti-affinity term
 *     that matches this pod within the node's domain.
 *     "node(s) didn't satisfy existing pods anti-affinity rules"
 *
 * Score (preferred terms of the incoming pod): the weights of affinity terms
 * times the matching pods in the node's domain, minus the same for
 * anti-affinity, scaled to 0..100 between the worst and best node.
 */
import type { Pod } from "../../../api/types.js";
import type { PodAffinityTerm } from "kubernetes-types/core/v1.js";
import type { ClusterSnapshot } from "../../cluster-snapshot.js";
import { fits, maxNodeScore, unfit, type CycleState, type FilterPlugin, type ScorePlugin } from "../../framework.js";
import { podSelection, selects, type PodSelection } from "../../pod-selection.js";
import { topologyValue } from "../../topology.js";

interface Term extends PodSelection {
  readonly topologyKey: string;
  readonly weight: number;
}

function toTerm(term: Readonly<PodAffinityTerm>, owner: Readonly<Pod>, weight = 1): Term {
  const ns = owner.metadata?.namespace ?? "default";
  return { ...podSelection(term.labelSelector, ns, term.namespaces, term.namespaceSelector), topologyKey: term.topologyKey, weight };
}

/** Matching pods per domain value of the term's topology key. */
function countByDomain(term: Term, snapshot: ClusterSnapshot): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { pod, nodeInfo } of snapshot.pods()) {
    if (!selects(term, pod)) continue;
    const value = topologyValue(nodeInfo.node, term.topologyKey);
    if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return counts;
}

interface FilterData {
  affinity: { term: Term; counts: Map<string, number> }[];
  /** No placed pod matches any affinity term, and the pod matches all of them: the first of its group. */
  firstOfGroup: boolean;
  antiAffinity: { term: Term; counts: Map<string, number> }[];
  /** topologyKey → domain values that placed pods' anti-affinity forbids to this pod. */
  forbiddenBySymmetry: Map<string, Set<string>>;
}

function filterData(pod: Readonly<Pod>, state: CycleState): FilterData {
  return state.memo("InterPodAffinity/filter", () => {
    const affinityTerms = (pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => toTerm(t, pod));
    const antiTerms = (pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => toTerm(t, pod));
    const affinity = affinityTerms.map((term) => ({ term, counts: countByDomain(term, state.snapshot) }));
    const firstOfGroup = affinity.every((a) => a.counts.size === 0) && affinityTerms.every((t) => selects(t, pod));
    const forbiddenBySymmetry = new Map<string, Set<string>>();
    for (const { pod: placed, nodeInfo } of state.snapshot.pods()) {
      for (const raw of placed.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
        const term = toTerm(raw, placed);
        if (!selects(term, pod)) continue;
        const value = topologyValue(nodeInfo.node, term.topologyKey);
        if (value === undefined) continue;
        let values = forbiddenBySymmetry.get(term.topologyKey);
        if (!values) forbiddenBySymmetry.set(term.topologyKey, (values = new Set()));
        values.add(value);
      }
    }
    return {
      affinity,
      firstOfGroup,
      antiAffinity: antiTerms.map((term) => ({ term, counts: countByDomain(term, state.snapshot) })),
      forbiddenBySymmetry,
    };
  });
}

export const interPodAffinity: FilterPlugin = {
  name: "InterPodAffinity",
  filter(pod, nodeInfo, state) {
    const data = filterData(pod, state);
    const node = nodeInfo.node;
    for (const { term, counts } of data.affinity) {
      const value = topologyValue(node, term.topologyKey);
      if (value !== undefined && (counts.get(value) ?? 0) > 0) continue;
      if (value !== undefined && data.firstOfGroup) continue;
      return unfit("node(s) didn't match pod affinity rules");
    }
    for (const { term, counts } of data.antiAffinity) {
      const value = topologyValue(node, term.topologyKey);
      if (value !== undefined && (counts.get(value) ?? 0) > 0) return unfit("node(s) didn't match pod anti-affinity rules");
    }
    for (const [topologyKey, values] of data.forbiddenBySymmetry) {
      const value = topologyValue(node, topologyKey);
      if (value !== undefined && values.has(value)) return unfit("node(s) didn't satisfy existing pods anti-affinity rules");
    }
    return fits;
  },
};

function scoreData(pod: Readonly<Pod>, state: CycleState): { term: Term; counts: Map<string, number> }[] {
  return state.memo("InterPodAffinity/score", () => {
    const preferred = [
      ...(pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => toTerm(w.podAffinityTerm, pod, w.weight)),
      ...(pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((w) => toTerm(w.podAffinityTerm, pod, -w.weight)),
    ];
    return preferred.map((term) => ({ term, counts: countByDomain(term, state.snapshot) }));
  });
}

export const preferredInterPodAffinity: ScorePlugin = {
  name: "InterPodAffinity",
  weight: 2,
  score(pod, nodeInfo, state) {
    let sum = 0;
    for (const { term, counts } of scoreData(pod, state)) {
      const value = topologyValue(nodeInfo.node, term.topologyKey);
      if (value !== undefined) sum += term.weight * (counts.get(value) ?? 0);
    }
    return sum;
  },
  normalize(scores) {
    const min = Math.min(...scores);
    const max = Math.max(...scores);
    if (max === min) return scores.map(() => 0);
    return scores.map((s) => Math.floor((maxNodeScore * (s - min)) / (max - min)));
  },
};
