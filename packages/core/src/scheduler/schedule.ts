/**
 * One scheduling decision, as a pure function:
 *
 *   every node ──filter plugins (in order, first failure decides)──▶ feasible nodes
 *   feasible   ──score plugins × weight, normalized, summed────────▶ totals
 *   totals     ──highest; ties broken by the attempt's round──────▶ node
 *
 * When no node is feasible the result carries upstream's message, counting
 * each reason over the nodes, sorted as upstream sorts them:
 *   "0/3 nodes are available: 1 node(s) had untolerated taint
 *    {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu."
 */
import type { Pod } from "../api/types.js";
import type { ClusterSnapshot } from "./cluster-snapshot.js";
import { CycleState, type Profile } from "./framework.js";
import type { NodeInfo } from "./node-info.js";

export type ScheduleResult =
  | {
      node: string;
      /** Weighted total per feasible node, for logs and tests. */
      scores: Readonly<Record<string, number>>;
    }
  | {
      unschedulable: true;
      message: string;
      /** Why each node was filtered out. */
      failedNodes: Readonly<Record<string, readonly string[]>>;
    };

export interface ScheduleOptions {
  /** The attempt counter: breaks ties between equal nodes (see `CycleState`). @default 0 */
  round?: number;
}

export function schedule(pod: Readonly<Pod>, snapshot: ClusterSnapshot, profile: Profile, options: ScheduleOptions = {}): ScheduleResult {
  const state = new CycleState(snapshot, options.round ?? 0);
  const feasible: NodeInfo[] = [];
  const failedNodes: Record<string, readonly string[]> = {};
  for (const nodeInfo of snapshot.nodes) {
    const reasons = filterNode(pod, nodeInfo, state, profile);
    if (reasons) failedNodes[nodeInfo.name] = reasons;
    else feasible.push(nodeInfo);
  }
  if (feasible.length === 0) {
    return { unschedulable: true, message: unschedulableMessage(snapshot.nodes.length, failedNodes), failedNodes };
  }
  state.feasibleNodes = feasible;

  const totals = feasible.map(() => 0);
  if (feasible.length > 1) {
    for (const plugin of profile.scores) {
      let scores = feasible.map((nodeInfo) => plugin.score(pod, nodeInfo, state));
      if (plugin.normalize) scores = plugin.normalize(scores, state);
      scores.forEach((s, i) => (totals[i]! += s * plugin.weight));
    }
  }
  const best = Math.max(...totals);
  const ties = feasible.filter((_, i) => totals[i] === best);
  const chosen = ties[state.round % ties.length]!;
  return { node: chosen.name, scores: Object.fromEntries(feasible.map((n, i) => [n.name, totals[i]!])) };
}

/** The reasons the node was filtered out, or undefined when it is feasible. */
function filterNode(pod: Readonly<Pod>, nodeInfo: NodeInfo, state: CycleState, profile: Profile): readonly string[] | undefined {
  for (const plugin of profile.filters) {
    const result = plugin.filter(pod, nodeInfo, state);
    if (!result.ok) return result.reasons;
  }
  return undefined;
}

/** Upstream's `FitError` text (without the preemption part Skiff does not do). */
export function unschedulableMessage(nodeCount: number, failedNodes: Readonly<Record<string, readonly string[]>>): string {
  if (nodeCount === 0) return "no nodes available to schedule pods";
  const counts = new Map<string, number>();
  for (const reasons of Object.values(failedNodes)) {
    for (const reason of reasons) counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${nodeCount} nodes are available: ${parts.join(", ")}.`;
}
