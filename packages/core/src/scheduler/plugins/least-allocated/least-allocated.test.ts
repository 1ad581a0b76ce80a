import { test } from "node:test";
import assert from "node:assert/strict";
import { leastAllocated } from "./least-allocated.js";
import { balancedAllocation } from "../balanced-allocation/balanced-allocation.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";

test("least allocated: the share of cpu and memory left after placing the pod", () => {
  const node = makeNode("n1", { cpu: "4", memory: "8Gi" });
  const cases = [
    // (4000-1000)/4000 = 75, (8-2)/8 = 75
    { placed: [], pod: makePod("p", { cpu: "1", memory: "2Gi" }), score: 75 },
    // cpu (4000-3000)/4000 = 25, memory (8-4)/8 = 50 → 37
    { placed: [makePod("a", { nodeName: "n1", cpu: "2", memory: "2Gi" })], pod: makePod("p", { cpu: "1", memory: "2Gi" }), score: 37 },
    // request-less pod counts as 100m / 200Mi: 97 and 97
    { placed: [], pod: makePod("p"), score: 97 },
    // over-committed resource scores 0 for that resource: cpu 0, memory 75 → 37
    { placed: [], pod: makePod("p", { cpu: "5", memory: "2Gi" }), score: 37 },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(node, c.placed);
    assert.equal(leastAllocated.score(c.pod, nodeInfo, state), c.score);
  }
});

test("balanced allocation: 100 when cpu and memory are used in the same proportion", () => {
  const node = makeNode("n1", { cpu: "4", memory: "8Gi" });
  const cases = [
    { pod: makePod("p", { cpu: "2", memory: "4Gi" }), score: 100 },
    // fractions 0.5 and 0 → std 0.25 → 75
    { pod: makePod("p", { cpu: "2", memory: "1" }), score: 75 },
    // fractions 1 and 0 → std 0.5 → 50
    { pod: makePod("p", { cpu: "4", memory: "1" }), score: 50 },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(node);
    assert.equal(balancedAllocation.score(c.pod, nodeInfo, state), c.score, JSON.stringify(c.pod.spec?.containers[0]?.resources));
  }
});
