import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeAffinity, preferredNodeAffinity } from "./node-affinity.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";
import type { NodeSelectorRequirement } from "kubernetes-types/core/v1.js";
import { ClusterSnapshot } from "../../cluster-snapshot.js";
import { CycleState } from "../../framework.js";

const node = makeNode("n1", { labels: { disk: "ssd", zone: "a", cores: "8" } });

function required(...expressions: NodeSelectorRequirement[]) {
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: expressions }] } } };
}

test("nodeSelector and required node affinity operators", () => {
  const cases: { name: string; pod: ReturnType<typeof makePod>; ok: boolean }[] = [
    { name: "no selection", pod: makePod("p"), ok: true },
    { name: "nodeSelector match", pod: makePod("p", { nodeSelector: { disk: "ssd" } }), ok: true },
    { name: "nodeSelector miss", pod: makePod("p", { nodeSelector: { disk: "hdd" } }), ok: false },
    { name: "In", pod: makePod("p", { affinity: required({ key: "zone", operator: "In", values: ["a", "b"] }) }), ok: true },
    { name: "In miss", pod: makePod("p", { affinity: required({ key: "zone", operator: "In", values: ["b"] }) }), ok: false },
    { name: "NotIn", pod: makePod("p", { affinity: required({ key: "zone", operator: "NotIn", values: ["b"] }) }), ok: true },
    { name: "NotIn missing key", pod: makePod("p", { affinity: required({ key: "gpu", operator: "NotIn", values: ["x"] }) }), ok: true },
    { name: "Exists", pod: makePod("p", { affinity: required({ key: "disk", operator: "Exists" }) }), ok: true },
    { name: "DoesNotExist", pod: makePod("p", { affinity: required({ key: "disk", operator: "DoesNotExist" }) }), ok: false },
    { name: "Gt", pod: makePod("p", { affinity: required({ key: "cores", operator: "Gt", values: ["4"] }) }), ok: true },
    { name: "Lt", pod: makePod("p", { affinity: required({ key: "cores", operator: "Lt", values: ["4"] }) }), ok: false },
    { name: "AND within a term", pod: makePod("p", { affinity: required({ key: "disk", operator: "Exists" }, { key: "zone", operator: "In", values: ["b"] }) }), ok: false },
    {
      name: "OR across terms",
      pod: makePod("p", {
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["b"] }] }, { matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }],
            },
          },
        },
      }),
      ok: true,
    },
    { name: "empty term matches nothing", pod: makePod("p", { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{}] } } } }), ok: false },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(node);
    const result = nodeAffinity.filter(c.pod, nodeInfo, state);
    assert.equal(result.ok, c.ok, c.name);
    if (!result.ok) assert.deepEqual(result.reasons, ["node(s) didn't match Pod's node affinity/selector"]);
  }
});

test("preferred node affinity scores the sum of matched weights, scaled to the best node", () => {
  const nodes = [makeNode("a", { labels: { disk: "ssd", zone: "z1" } }), makeNode("b", { labels: { disk: "ssd" } }), makeNode("c")];
  const pod = makePod("p", {
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 30, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
          { weight: 10, preference: { matchExpressions: [{ key: "zone", operator: "Exists" }] } },
        ],
      },
    },
  });
  const snapshot = ClusterSnapshot.build(nodes, []);
  const state = new CycleState(snapshot);
  const raw = snapshot.nodes.map((n) => preferredNodeAffinity.score(pod, n, state));
  assert.deepEqual(raw, [40, 30, 0]);
  assert.deepEqual(preferredNodeAffinity.normalize!(raw, state), [100, 75, 0]);
});
