/**
 * Topology domains: the value of a node label (`kubernetes.io/hostname`,
 * `topology.kubernetes.io/zone`) that groups nodes for spreading and
 * (anti-)affinity.
 */
import type { Node } from "../api/types.js";

export const hostnameLabel = "kubernetes.io/hostname";
export const zoneLabel = "topology.kubernetes.io/zone";

/**
 * The node's domain for `topologyKey`, or undefined when the node is in none.
 * Skiff addition: a node without a `kubernetes.io/hostname` label is its own
 * hostname domain (upstream kubelets always set the label).
 */
export function topologyValue(node: Readonly<Node>, topologyKey: string): string | undefined {
  const value = node.metadata?.labels?.[topologyKey];
  if (value !== undefined) return value;
  return topologyKey === hostnameLabel ? node.metadata?.name : undefined;
}
