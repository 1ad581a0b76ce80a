import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeUnschedulable } from "./node-unschedulable.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";

test("a cordoned node refuses pods unless they tolerate the unschedulable taint", () => {
  const cases = [
    { cordoned: false, tolerations: [], ok: true },
    { cordoned: true, tolerations: [], ok: false },
    { cordoned: true, tolerations: [{ key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" }], ok: true },
    { cordoned: true, tolerations: [{ operator: "Exists" }], ok: true },
    { cordoned: true, tolerations: [{ key: "other", operator: "Exists" }], ok: false },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(makeNode("n1", { unschedulable: c.cordoned }));
    const result = nodeUnschedulable.filter(makePod("p", { tolerations: c.tolerations }), nodeInfo, state);
    assert.equal(result.ok, c.ok, JSON.stringify(c));
    if (!result.ok) assert.deepEqual(result.reasons, ["node(s) were unschedulable"]);
  }
});
