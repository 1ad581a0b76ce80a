import { test } from "node:test";
import assert from "node:assert/strict";
import { schedule } from "./schedule.js";
import { ClusterSnapshot } from "./cluster-snapshot.js";
import { profiles } from "./registry.js";
import { makeNode, makePod } from "./testing/fixtures.js";
import type { Node, Pod } from "../api/types.js";
import type { Profile } from "./framework.js";

/** Schedules pods one after another, each seeing the ones before it (as the scheduler's assume step does). */
function scheduleAll(nodes: Node[], pods: Pod[], profile: Profile = profiles.default, placed: Pod[] = []): string[] {
  const assigned = [...placed];
  return pods.map((pod, round) => {
    const result = schedule(pod, ClusterSnapshot.build(nodes, assigned), profile, { round });
    if (!("node" in result)) return `unschedulable: ${result.message}`;
    assigned.push({ ...pod, spec: { ...pod.spec!, nodeName: result.node } });
    return result.node;
  });
}

function count(names: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const n of names) out[n] = (out[n] ?? 0) + 1;
  return out;
}

const threeNodes = () => [makeNode("node-a"), makeNode("node-b"), makeNode("node-c")];

test("six replicas of one ReplicaSet spread 2/2/2 over three equal nodes", () => {
  const replicas = Array.from({ length: 6 }, (_, i) => makePod(`web-${i}`, { owner: "rs-web", cpu: "100m", memory: "128Mi" }));
  assert.deepEqual(count(scheduleAll(threeNodes(), replicas)), { "node-a": 2, "node-b": 2, "node-c": 2 });
});

test("six request-less replicas spread 2/2/2 too (non-zero requests in scores)", () => {
  const replicas = Array.from({ length: 6 }, (_, i) => makePod(`web-${i}`, { owner: "rs-web" }));
  assert.deepEqual(count(scheduleAll(threeNodes(), replicas)), { "node-a": 2, "node-b": 2, "node-c": 2 });
});

test("a pod lands on the node that still has room", () => {
  const nodes = [makeNode("small", { cpu: "1" }), makeNode("big", { cpu: "8" })];
  const placed = [makePod("hog", { nodeName: "big", cpu: "6" })];
  assert.deepEqual(scheduleAll(nodes, [makePod("p", { cpu: "1500m" })], profiles.default, placed), ["big"]);
  assert.deepEqual(scheduleAll(nodes, [makePod("p", { cpu: "3" })], profiles.default, placed), [
    "unschedulable: 0/2 nodes are available: 2 Insufficient cpu.",
  ]);
});

test("the least loaded node wins when all fit", () => {
  const nodes = threeNodes();
  const placed = [makePod("x", { nodeName: "node-a", cpu: "2", memory: "4Gi" }), makePod("y", { nodeName: "node-c", cpu: "1", memory: "2Gi" })];
  assert.deepEqual(scheduleAll(nodes, [makePod("p", { cpu: "500m", memory: "1Gi" })], profiles.default, placed), ["node-b"]);
});

test("the unschedulable message counts each reason over the nodes, as upstream writes it", () => {
  const nodes = [
    makeNode("cp", { cpu: "8", taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] }),
    makeNode("w1", { cpu: "2" }),
    makeNode("w2", { cpu: "2" }),
  ];
  const result = schedule(makePod("big", { cpu: "4" }), ClusterSnapshot.build(nodes, []), profiles.default);
  assert.ok("unschedulable" in result);
  assert.equal(
    result.message,
    "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu.",
  );
  assert.deepEqual(result.failedNodes["w1"], ["Insufficient cpu"]);
});

test("a node short of several resources counts once per resource", () => {
  const nodes = [makeNode("a", { cpu: "1", memory: "1Gi" }), makeNode("b", { cpu: "1", memory: "1Gi", unschedulable: true })];
  const result = schedule(makePod("p", { cpu: "2", memory: "2Gi" }), ClusterSnapshot.build(nodes, []), profiles.default);
  assert.ok("unschedulable" in result);
  assert.equal(result.message, "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 1 node(s) were unschedulable.");
});

test("no nodes at all", () => {
  const result = schedule(makePod("p"), ClusterSnapshot.build([], []), profiles.default);
  assert.deepEqual("unschedulable" in result && result.message, "no nodes available to schedule pods");
});

test("tainted and not-ready nodes are skipped; a tolerating pod may use the tainted one", () => {
  const nodes = [
    makeNode("gpu", { taints: [{ key: "dedicated", value: "gpu", effect: "NoSchedule" }] }),
    makeNode("down", { ready: "False" }),
    makeNode("plain"),
  ];
  assert.deepEqual(scheduleAll(nodes, [makePod("p")]), ["plain"]);
  const gpuPod = makePod("g", { tolerations: [{ key: "dedicated", operator: "Equal", value: "gpu", effect: "NoSchedule" }], nodeSelector: { "kubernetes.io/hostname": "gpu" } });
  assert.deepEqual(scheduleAll(nodes, [gpuPod]), ["gpu"]);
  assert.deepEqual(scheduleAll([nodes[0]!, nodes[1]!], [makePod("p")]), [
    "unschedulable: 0/2 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 1 node(s) were not ready.",
  ]);
});

test("hostname anti-affinity puts one replica per node, and the fourth waits", () => {
  const replicas = Array.from({ length: 4 }, (_, i) =>
    makePod(`db-${i}`, {
      labels: { app: "db" },
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "db" } } }],
        },
      },
    }),
  );
  const result = scheduleAll(threeNodes(), replicas);
  assert.deepEqual([...result.slice(0, 3)].sort(), ["node-a", "node-b", "node-c"]);
  assert.equal(result[3], "unschedulable: 0/3 nodes are available: 3 node(s) didn't match pod anti-affinity rules.");
});

test("ties between equal nodes are broken by the round, deterministically", () => {
  const snapshot = ClusterSnapshot.build(threeNodes(), []);
  const picks = [0, 1, 2, 3].map((round) => {
    const r = schedule(makePod("p"), snapshot, profiles.default, { round });
    return "node" in r ? r.node : "none";
  });
  assert.deepEqual(picks, ["node-a", "node-b", "node-c", "node-a"]);
  assert.deepEqual(picks, [0, 1, 2, 3].map((round) => {
    const r = schedule(makePod("p"), snapshot, profiles.default, { round });
    return "node" in r ? r.node : "none";
  }));
});

test("the round-robin profile walks the feasible nodes in name order, ignoring load", () => {
  const nodes = [makeNode("c"), makeNode("a"), makeNode("b"), makeNode("cordoned", { unschedulable: true })];
  const placed = [makePod("hog", { nodeName: "a", cpu: "3500m" })];
  const pods = Array.from({ length: 4 }, (_, i) => makePod(`p-${i}`, { cpu: "100m" }));
  assert.deepEqual(scheduleAll(nodes, pods, profiles["round-robin"], placed), ["a", "b", "c", "a"]);
});
