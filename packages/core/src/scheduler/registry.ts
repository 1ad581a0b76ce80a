/**
 * The plugin registry and the built-in profiles.
 *
 *   default      upstream's default plugin set, order and score weights:
 *                filters NodeUnschedulable, NodeName, NodeReady, TaintToleration,
 *                NodeAffinity, NodePorts, NodeResourcesFit, PodTopologySpread,
 *                InterPodAffinity; scores TaintToleration×3, NodeAffinity×2,
 *                PodTopologySpread×2, InterPodAffinity×2,
 *                NodeResourcesLeastAllocated×1, NodeResourcesBalancedAllocation×1
 *   round-robin  the same filters; the next feasible node in name order
 *
 * Filters run in order and the first failure is the node's reason, so the
 * cheap, decisive ones come first (as upstream orders them).
 */
import type { FilterPlugin, Profile, ScorePlugin } from "./framework.js";
import { balancedAllocation } from "./plugins/balanced-allocation/balanced-allocation.js";
import { interPodAffinity, preferredInterPodAffinity } from "./plugins/inter-pod-affinity/inter-pod-affinity.js";
import { leastAllocated } from "./plugins/least-allocated/least-allocated.js";
import { nodeAffinity, preferredNodeAffinity } from "./plugins/node-affinity/node-affinity.js";
import { nodeName } from "./plugins/node-name/node-name.js";
import { nodePorts } from "./plugins/node-ports/node-ports.js";
import { nodeReady } from "./plugins/node-ready/node-ready.js";
import { nodeResourcesFit } from "./plugins/node-resources-fit/node-resources-fit.js";
import { nodeUnschedulable } from "./plugins/node-unschedulable/node-unschedulable.js";
import { podTopologySpread, podTopologySpreadScore } from "./plugins/pod-topology-spread/pod-topology-spread.js";
import { roundRobin } from "./plugins/round-robin/round-robin.js";
import { preferNoScheduleTaints, taintToleration } from "./plugins/taint-toleration/taint-toleration.js";

/** Every filter plugin by name. */
export const filterPlugins: Readonly<Record<string, FilterPlugin>> = Object.fromEntries(
  [nodeUnschedulable, nodeName, nodeReady, taintToleration, nodeAffinity, nodePorts, nodeResourcesFit, podTopologySpread, interPodAffinity].map(
    (p) => [p.name, p],
  ),
);

/** Every score plugin by name, with its default weight. */
export const scorePlugins: Readonly<Record<string, ScorePlugin>> = Object.fromEntries(
  [preferNoScheduleTaints, preferredNodeAffinity, podTopologySpreadScore, preferredInterPodAffinity, leastAllocated, balancedAllocation, roundRobin].map(
    (p) => [p.name, p],
  ),
);

export interface ProfileConfig {
  name: string;
  /** Filter plugin names, in the order they run. */
  filters: readonly string[];
  /** Score plugin names; `weight` overrides the plugin's default. */
  scores: readonly { name: string; weight?: number }[];
}

/** Builds a profile from plugin names; throws on a name the registry does not know. */
export function buildProfile(config: ProfileConfig): Profile {
  const filters = config.filters.map((name) => {
    const plugin = filterPlugins[name];
    if (!plugin) throw new Error(`scheduler profile ${config.name}: unknown filter plugin ${JSON.stringify(name)}`);
    return plugin;
  });
  const scores = config.scores.map(({ name, weight }) => {
    const plugin = scorePlugins[name];
    if (!plugin) throw new Error(`scheduler profile ${config.name}: unknown score plugin ${JSON.stringify(name)}`);
    return weight === undefined ? plugin : { ...plugin, weight };
  });
  return { name: config.name, filters, scores };
}

const defaultFilters = [
  "NodeUnschedulable",
  "NodeName",
  "NodeReady",
  "TaintToleration",
  "NodeAffinity",
  "NodePorts",
  "NodeResourcesFit",
  "PodTopologySpread",
  "InterPodAffinity",
];

export type ProfileName = "default" | "round-robin";

export const profiles: Readonly<Record<ProfileName, Profile>> = {
  default: buildProfile({
    name: "default",
    filters: defaultFilters,
    scores: [
      { name: "TaintToleration", weight: 3 },
      { name: "NodeAffinity", weight: 2 },
      { name: "PodTopologySpread", weight: 2 },
      { name: "InterPodAffinity", weight: 2 },
      { name: "NodeResourcesLeastAllocated", weight: 1 },
      { name: "NodeResourcesBalancedAllocation", weight: 1 },
    ],
  }),
  "round-robin": buildProfile({ name: "round-robin", filters: defaultFilters, scores: [{ name: "RoundRobin" }] }),
};

export function isProfileName(name: string): name is ProfileName {
  return Object.prototype.hasOwnProperty.call(profiles, name);
}
