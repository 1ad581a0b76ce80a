import { test } from "node:test";
import assert from "node:assert/strict";
import { nodePorts } from "./node-ports.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";

test("a host port already claimed on the node refuses the pod", () => {
  const node = makeNode("n1");
  const placed = [makePod("web", { nodeName: "n1", hostPort: 8080 })];
  const cases = [
    { pod: makePod("p"), ok: true },
    { pod: makePod("p", { hostPort: 9090 }), ok: true },
    { pod: makePod("p", { hostPort: 8080 }), ok: false },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(node, placed);
    const result = nodePorts.filter(c.pod, nodeInfo, state);
    assert.equal(result.ok, c.ok);
    if (!result.ok) assert.deepEqual(result.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
  }
});
