/**
 * PodTopologySpread: spreads matching pods evenly over topology domains.
 *
 * A constraint counts the pods its selector matches (in the pod's
 * namespace) per domain of `topologyKey`, over the nodes the pod could use
 * at all (those passing its nodeSelector / required node affinity, and
 * having the key). skew = pods in the node's domain (+1 if the pod matches
 * its own selector) − the smallest count of any domain.
 *
 * Filter: `whenUnsatisfiable: DoNotSchedule` constraints; a node whose skew
 * would exceed `maxSkew`, or that lacks the key, is refused.
 * Score: `ScheduleAnyway` constraints; fewer matching pods in the node's
 * domain scores higher (weighted by log(domains + 2), as upstream).
 *
 * Default spreading (upstream's system defaults, simplified): a pod with no
 * constraints of its own that has a controller (ReplicaSet, Job, …) is
 * spread against its siblings, the pods with the same controller, by
 * hostname (maxSkew 3) and zone (maxSkew 5), as ScheduleAnyway. That is
 * what lands 6 replicas on 3 equal nodes 2/2/2.
 */
import type { Pod } from "../../../api/types.js";
import type { TopologySpreadConstraint } from "kubernetes-types/core/v1.js";
import { fits, maxNodeScore, unfit, type CycleState, type FilterPlugin, type ScorePlugin } from "../../framework.js";
import { matchesRequiredNodeSelection } from "../../node-selector.js";
import { podSelection, selects } from "../../pod-selection.js";
import { hostnameLabel, topologyValue, zoneLabel } from "../../topology.js";

export interface SpreadConstraint {
  readonly topologyKey: string;
  readonly maxSkew: number;
  readonly hard: boolean;
  /** Default constraints: a node without the key is skipped by this constraint instead of scoring 0 (as upstream). */
  readonly keyOptional: boolean;
  readonly matches: (pod: Readonly<Pod>) => boolean;
}

interface Counted extends SpreadConstraint {
  /** Matching pods per domain; every domain of an eligible node is present (0 when empty). */
  readonly counts: ReadonlyMap<string, number>;
  readonly minCount: number;
  readonly selfMatch: number;
}

export function controllerUid(pod: Readonly<Pod>): string | undefined {
  return pod.metadata?.ownerReferences?.find((r) => r.controller)?.uid;
}

/** The pod's own constraints, or the default ones (see the file comment). */
export function spreadConstraints(pod: Readonly<Pod>): SpreadConstraint[] {
  const ns = pod.metadata?.namespace ?? "default";
  const own = pod.spec?.topologySpreadConstraints ?? [];
  if (own.length > 0) return own.map((c) => fromSpec(c, pod, ns));
  const owner = controllerUid(pod);
  if (!owner) return [];
  const siblings = (other: Readonly<Pod>) => (other.metadata?.namespace ?? "default") === ns && controllerUid(other) === owner;
  return [
    { topologyKey: hostnameLabel, maxSkew: 3, hard: false, keyOptional: true, matches: siblings },
    { topologyKey: zoneLabel, maxSkew: 5, hard: false, keyOptional: true, matches: siblings },
  ];
}

function fromSpec(c: Readonly<TopologySpreadConstraint>, pod: Readonly<Pod>, ns: string): SpreadConstraint {
  // matchLabelKeys: the pod's own values for those keys join the selector (e.g. pod-template-hash).
  const extra: Record<string, string> = {};
  for (const key of c.matchLabelKeys ?? []) {
    const value = pod.metadata?.labels?.[key];
    if (value !== undefined) extra[key] = value;
  }
  const labelSelector = c.labelSelector ? { ...c.labelSelector, matchLabels: { ...(c.labelSelector.matchLabels ?? {}), ...extra } } : c.labelSelector;
  const selection = podSelection(labelSelector, ns);
  return {
    topologyKey: c.topologyKey,
    maxSkew: c.maxSkew,
    hard: c.whenUnsatisfiable !== "ScheduleAnyway",
    keyOptional: false,
    matches: (other) => selects(selection, other),
  };
}

function counted(pod: Readonly<Pod>, state: CycleState): Counted[] {
  return state.memo("PodTopologySpread/counts", () => {
    const constraints = spreadConstraints(pod);
    const eligible = state.snapshot.nodes.filter(
      (n) => matchesRequiredNodeSelection(pod, n.node) && constraints.every((c) => c.keyOptional || topologyValue(n.node, c.topologyKey) !== undefined),
    );
    return constraints.map((c) => {
      const counts = new Map<string, number>();
      for (const nodeInfo of eligible) {
        const value = topologyValue(nodeInfo.node, c.topologyKey);
        if (value === undefined) continue;
        const matching = nodeInfo.pods.filter((p) => c.matches(p)).length;
        counts.set(value, (counts.get(value) ?? 0) + matching);
      }
      const minCount = counts.size === 0 ? 0 : Math.min(...counts.values());
      return { ...c, counts, minCount, selfMatch: c.matches(pod) ? 1 : 0 };
    });
  });
}

export const podTopologySpread: FilterPlugin = {
  name: "PodTopologySpread",
  filter(pod, nodeInfo, state) {
    for (const c of counted(pod, state)) {
      if (!c.hard) continue;
      const value = topologyValue(nodeInfo.node, c.topologyKey);
      if (value === undefined) return unfit("node(s) didn't match pod topology spread constraints (missing required label)");
      const skew = (c.counts.get(value) ?? 0) + c.selfMatch - c.minCount;
      if (skew > c.maxSkew) return unfit("node(s) didn't match pod topology spread constraints");
    }
    return fits;
  },
};

export const podTopologySpreadScore: ScorePlugin = {
  name: "PodTopologySpread",
  weight: 2,
  /** NaN marks a node outside some constraint's topology: it scores 0. */
  score(pod, nodeInfo, state) {
    let sum = 0;
    for (const c of counted(pod, state)) {
      if (c.hard) continue;
      const value = topologyValue(nodeInfo.node, c.topologyKey);
      if (value === undefined) {
        if (c.keyOptional) continue;
        return Number.NaN;
      }
      sum += (c.counts.get(value) ?? 0) * Math.log(c.counts.size + 2) + (c.maxSkew - 1);
    }
    return sum;
  },
  normalize(scores) {
    const known = scores.filter((s) => !Number.isNaN(s));
    if (known.length === 0) return scores.map(() => 0);
    const max = Math.max(...known);
    const min = Math.min(...known);
    return scores.map((s) => {
      if (Number.isNaN(s)) return 0;
      if (max === 0) return maxNodeScore;
      return Math.floor((maxNodeScore * (max + min - s)) / max);
    });
  },
};
