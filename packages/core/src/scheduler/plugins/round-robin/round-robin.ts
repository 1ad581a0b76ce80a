/**
 * RoundRobin: the simplest policy. Gives 100 to one feasible node and 0 to
 * the others, walking the feasible nodes in name order by the attempt's
 * round: with three feasible nodes, rounds 0, 1, 2, 3 pick a, b, c, a.
 * Alone in a profile it decides; beside other scores it is a tie-breaker.
 */
import { maxNodeScore, type ScorePlugin } from "../../framework.js";

export const roundRobin: ScorePlugin = {
  name: "RoundRobin",
  weight: 1,
  score(_pod, nodeInfo, state) {
    const feasible = state.feasibleNodes;
    if (feasible.length === 0) return 0;
    return feasible[state.round % feasible.length]!.name === nodeInfo.name ? maxNodeScore : 0;
  },
};
