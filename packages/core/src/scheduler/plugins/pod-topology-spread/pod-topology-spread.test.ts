import { test } from "node:test";
import assert from "node:assert/strict";
import { podTopologySpread, podTopologySpreadScore } from "./pod-topology-spread.js";
import { makeNode, makePod } from "../../testing/fixtures.js";
import { ClusterSnapshot } from "../../cluster-snapshot.js";
import { CycleState } from "../../framework.js";
import type { Pod } from "../../../api/types.js";

const nodes = [
  makeNode("a", { labels: { zone: "z1" } }),
  makeNode("b", { labels: { zone: "z1" } }),
  makeNode("c", { labels: { zone: "z2" } }),
  makeNode("nozone"),
];

function verdicts(pod: Pod, placed: Pod[]): Record<string, string> {
  const snapshot = ClusterSnapshot.build(nodes, placed);
  const state = new CycleState(snapshot);
  return Object.fromEntries(
    snapshot.nodes.map((n) => {
      const r = podTopologySpread.filter(pod, n, state);
      return [n.name, r.ok ? "ok" : r.reasons.join(";")];
    }),
  );
}

test("DoNotSchedule: a zone may not get more than maxSkew above the emptiest zone", () => {
  const pod = makePod("web-3", {
    labels: { app: "web" },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { app: "web" } } }],
  });
  const placed = [makePod("web-1", { nodeName: "a", labels: { app: "web" } }), makePod("web-2", { nodeName: "b", labels: { app: "web" } })];
  assert.deepEqual(verdicts(pod, placed), {
    a: "node(s) didn't match pod topology spread constraints",
    b: "node(s) didn't match pod topology spread constraints",
    c: "ok",
    nozone: "node(s) didn't match pod topology spread constraints (missing required label)",
  });
  // ScheduleAnyway never filters.
  const soft = makePod("web-3", {
    labels: { app: "web" },
    topologySpreadConstraints: [{ maxSkew: 1, topologyKey: "zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: { app: "web" } } }],
  });
  assert.deepEqual(Object.values(verdicts(soft, placed)), ["ok", "ok", "ok", "ok"]);
});

test("default spreading scores nodes with fewer siblings (same controller) higher", () => {
  const three = nodes.slice(0, 3);
  const placed = [
    makePod("r-1", { nodeName: "a", owner: "rs-1" }),
    makePod("r-2", { nodeName: "a", owner: "rs-1" }),
    makePod("r-3", { nodeName: "b", owner: "rs-1" }),
    makePod("other", { nodeName: "c", owner: "rs-2" }),
  ];
  const snapshot = ClusterSnapshot.build(three, placed);
  const state = new CycleState(snapshot);
  const pod = makePod("r-4", { owner: "rs-1" });
  const raw = snapshot.nodes.map((n) => podTopologySpreadScore.score(pod, n, state));
  const scores = podTopologySpreadScore.normalize!(raw, state);
  assert.ok(scores[2]! > scores[1]! && scores[1]! > scores[0]!, `scores ${scores}`);
  // A pod without a controller and without constraints is not spread: equal scores.
  const lone = new CycleState(snapshot);
  const flat = podTopologySpreadScore.normalize!(snapshot.nodes.map((n) => podTopologySpreadScore.score(makePod("x"), n, lone)), lone);
  assert.deepEqual(flat, [100, 100, 100]);
});
