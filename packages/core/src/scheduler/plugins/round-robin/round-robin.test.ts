import { test } from "node:test";
import assert from "node:assert/strict";
import { roundRobin } from "./round-robin.js";
import { makeNode, makePod } from "../../testing/fixtures.js";
import { ClusterSnapshot } from "../../cluster-snapshot.js";
import { CycleState } from "../../framework.js";

test("round robin gives the full score to the round's feasible node, in name order", () => {
  const snapshot = ClusterSnapshot.build([makeNode("c"), makeNode("a"), makeNode("b")], []);
  const picks = [0, 1, 2, 3, 4].map((round) => {
    const state = new CycleState(snapshot, round);
    state.feasibleNodes = snapshot.nodes;
    return snapshot.nodes.filter((n) => roundRobin.score(makePod("p"), n, state) === 100).map((n) => n.name);
  });
  assert.deepEqual(picks, [["a"], ["b"], ["c"], ["a"], ["b"]]);
});
