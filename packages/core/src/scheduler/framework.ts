/**
 * The scheduling framework's extension points (kube-scheduler's model, cut
 * down to the two that decide where a pod goes):
 *
 *   filter: may the pod run on this node?   (every node, every filter plugin)
 *   score:  how good is this feasible node? (0..100, weighted, summed)
 *
 * Plugins are pure functions of the pod, one node and the cycle state; they
 * never call the API. Anything a plugin needs about the rest of the cluster
 * (other nodes' pods, for spreading and anti-affinity) it reads from
 * `state.snapshot`, and may memoize per attempt with `state.memo`.
 */
import type { Pod } from "../api/types.js";
import type { ClusterSnapshot } from "./cluster-snapshot.js";
import type { NodeInfo } from "./node-info.js";

/**
 * A filter's verdict. `reasons` are upstream's words, counted across nodes
 * in the unschedulable message ("2 Insufficient cpu"); one node may fail for
 * several reasons of one plugin (cpu and memory).
 */
export type FilterResult = { ok: true } | { ok: false; reasons: readonly string[] };

export const fits: FilterResult = { ok: true };

export function unfit(...reasons: string[]): FilterResult {
  return { ok: false, reasons };
}

export interface FilterPlugin {
  readonly name: string;
  filter(pod: Readonly<Pod>, nodeInfo: NodeInfo, state: CycleState): FilterResult;
}

export const maxNodeScore = 100;

export interface ScorePlugin {
  readonly name: string;
  /** Multiplies the (normalized) score in the weighted sum. */
  readonly weight: number;
  /** The node's raw score; 0..100 unless `normalize` maps it there. */
  score(pod: Readonly<Pod>, nodeInfo: NodeInfo, state: CycleState): number;
  /**
   * Maps the raw scores of all feasible nodes (same order as
   * `state.feasibleNodes`) to 0..100, for plugins whose raw score is a count
   * (taints, matching pods) that only means something relative to the others.
   */
  normalize?(scores: number[], state: CycleState): number[];
}

/** A named set of plugins: the filters run in order (the first failure decides), the scores are summed. */
export interface Profile {
  readonly name: string;
  readonly filters: readonly FilterPlugin[];
  readonly scores: readonly ScorePlugin[];
}

/**
 * State of one scheduling attempt. `round` is a counter the caller advances
 * every attempt: ties between equally good nodes are broken by it (and the
 * round-robin policy picks with it), so decisions are deterministic for a
 * given sequence of attempts yet still rotate across equal nodes.
 */
export class CycleState {
  /** The feasible nodes, in name order; set after filtering, before scoring. */
  feasibleNodes: readonly NodeInfo[] = [];
  private readonly memos = new Map<string, unknown>();

  constructor(
    readonly snapshot: ClusterSnapshot,
    readonly round = 0,
  ) {}

  /** Computes `compute()` once per attempt under `key` (for per-pod precomputation shared by all nodes). */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }
}

/**
 * Upstream's `DefaultNormalizeScore`: scales so that the highest raw score
 * becomes 100; `reverse` makes the lowest raw score the best (counts of bad
 * things). All zero: 0 each, or 100 each when reversed.
 */
export function normalizeToMax(scores: number[], reverse = false): number[] {
  const max = Math.max(0, ...scores);
  if (max === 0) return scores.map(() => (reverse ? maxNodeScore : 0));
  return scores.map((s) => {
    const scaled = Math.floor((maxNodeScore * s) / max);
    return reverse ? maxNodeScore - scaled : scaled;
  });
}
