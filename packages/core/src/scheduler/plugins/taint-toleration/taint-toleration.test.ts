import { test } from "node:test";
import assert from "node:assert/strict";
import { preferNoScheduleTaints, taintToleration } from "./taint-toleration.js";
import { toleratesTaint } from "../../tolerations.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";
import { ClusterSnapshot } from "../../cluster-snapshot.js";
import { CycleState } from "../../framework.js";

test("toleration matching follows upstream's rule", () => {
  const taint = { key: "dedicated", value: "gpu", effect: "NoSchedule" };
  const cases = [
    { t: { key: "dedicated", value: "gpu", effect: "NoSchedule" }, ok: true },
    { t: { key: "dedicated", operator: "Equal", value: "gpu" }, ok: true },
    { t: { key: "dedicated", value: "cpu" }, ok: false },
    { t: { key: "dedicated", operator: "Exists" }, ok: true },
    { t: { key: "dedicated", operator: "Exists", effect: "NoExecute" }, ok: false },
    { t: { operator: "Exists" }, ok: true },
    { t: { key: "other", operator: "Exists" }, ok: false },
  ];
  for (const c of cases) assert.equal(toleratesTaint(c.t, taint), c.ok, JSON.stringify(c.t));
});

test("NoSchedule and NoExecute taints keep off pods that do not tolerate them", () => {
  const controlPlane = makeNode("cp", { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] });
  const draining = makeNode("d", { taints: [{ key: "drain", value: "now", effect: "NoExecute" }] });
  const soft = makeNode("s", { taints: [{ key: "spot", value: "true", effect: "PreferNoSchedule" }] });
  const cases = [
    { node: controlPlane, pod: makePod("p"), reasons: ["node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"] },
    { node: controlPlane, pod: makePod("p", { tolerations: [{ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" }] }), reasons: [] },
    { node: draining, pod: makePod("p"), reasons: ["node(s) had untolerated taint {drain: now}"] },
    { node: draining, pod: makePod("p", { tolerations: [{ key: "drain", value: "now" }] }), reasons: [] },
    { node: soft, pod: makePod("p"), reasons: [] },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(c.node);
    const result = taintToleration.filter(c.pod, nodeInfo, state);
    assert.deepEqual(result.ok ? [] : result.reasons, c.reasons);
  }
});

test("PreferNoSchedule taints lower the score; tolerated ones do not", () => {
  const nodes = [
    makeNode("a"),
    makeNode("b", { taints: [{ key: "spot", effect: "PreferNoSchedule" }] }),
    makeNode("c", { taints: [{ key: "spot", effect: "PreferNoSchedule" }, { key: "old", effect: "PreferNoSchedule" }] }),
  ];
  const snapshot = ClusterSnapshot.build(nodes, []);
  const state = new CycleState(snapshot);
  const score = (pod: ReturnType<typeof makePod>) => preferNoScheduleTaints.normalize!(snapshot.nodes.map((n) => preferNoScheduleTaints.score(pod, n, state)), state);
  assert.deepEqual(score(makePod("p")), [100, 50, 0]);
  assert.deepEqual(score(makePod("p", { tolerations: [{ key: "spot", operator: "Exists" }] })), [100, 100, 0]);
  assert.deepEqual(score(makePod("p", { tolerations: [{ operator: "Exists", effect: "PreferNoSchedule" }] })), [100, 100, 100]);
});
