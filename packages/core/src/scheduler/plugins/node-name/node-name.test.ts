import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeName } from "./node-name.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";

test("a pod that names its node fits only there", () => {
  const { nodeInfo, state } = oneNode(makeNode("n1"));
  assert.equal(nodeName.filter(makePod("p"), nodeInfo, state).ok, true);
  assert.equal(nodeName.filter(makePod("p", { nodeName: "n1" }), nodeInfo, state).ok, true);
  assert.deepEqual(nodeName.filter(makePod("p", { nodeName: "n2" }), nodeInfo, state), {
    ok: false,
    reasons: ["node(s) didn't match the requested node name"],
  });
});
