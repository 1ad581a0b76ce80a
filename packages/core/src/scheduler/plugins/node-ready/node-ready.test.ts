import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeReady } from "./node-ready.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";

test("only Ready=True nodes take pods, unless the pod tolerates the matching taint", () => {
  const cases = [
    { ready: "True" as const, tolerations: [], ok: true },
    { ready: "False" as const, tolerations: [], ok: false },
    { ready: "Unknown" as const, tolerations: [], ok: false },
    { ready: undefined, tolerations: [], ok: false },
    { ready: "False" as const, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }], ok: true },
    { ready: "Unknown" as const, tolerations: [{ key: "node.kubernetes.io/not-ready", operator: "Exists" }], ok: false },
    { ready: "Unknown" as const, tolerations: [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoSchedule" }], ok: true },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(makeNode("n1", { ready: c.ready }));
    const result = nodeReady.filter(makePod("p", { tolerations: c.tolerations }), nodeInfo, state);
    assert.equal(result.ok, c.ok, JSON.stringify(c));
    if (!result.ok) assert.deepEqual(result.reasons, ["node(s) were not ready"]);
  }
});
