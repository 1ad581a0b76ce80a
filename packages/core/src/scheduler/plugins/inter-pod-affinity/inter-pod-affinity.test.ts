import { test } from "node:test";
import assert from "node:assert/strict";
import { interPodAffinity, preferredInterPodAffinity } from "./inter-pod-affinity.js";
import { makeNode, makePod } from "../../testing/fixtures.js";
import { ClusterSnapshot } from "../../cluster-snapshot.js";
import { CycleState } from "../../framework.js";
import type { Pod } from "../../../api/types.js";
import type { Affinity } from "kubernetes-types/core/v1.js";

const nodes = [
  makeNode("a", { labels: { zone: "z1" } }),
  makeNode("b", { labels: { zone: "z1" } }),
  makeNode("c", { labels: { zone: "z2" } }),
];

function verdicts(pod: Pod, placed: Pod[]): Record<string, string> {
  const snapshot = ClusterSnapshot.build(nodes, placed);
  const state = new CycleState(snapshot);
  return Object.fromEntries(
    snapshot.nodes.map((n) => {
      const r = interPodAffinity.filter(pod, n, state);
      return [n.name, r.ok ? "ok" : r.reasons.join(";")];
    }),
  );
}

const antiWeb = (topologyKey: string): Affinity => ({
  podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey, labelSelector: { matchLabels: { app: "web" } } }] },
});

test("required anti-affinity by hostname keeps matching pods on different nodes", () => {
  const pod = makePod("web-2", { labels: { app: "web" }, affinity: antiWeb("kubernetes.io/hostname") });
  const placed = [makePod("web-1", { nodeName: "a", labels: { app: "web" } }), makePod("db", { nodeName: "b", labels: { app: "db" } })];
  assert.deepEqual(verdicts(pod, placed), { a: "node(s) didn't match pod anti-affinity rules", b: "ok", c: "ok" });
});

test("required anti-affinity by zone excludes the whole zone", () => {
  const pod = makePod("web-2", { labels: { app: "web" }, affinity: antiWeb("zone") });
  const placed = [makePod("web-1", { nodeName: "a", labels: { app: "web" } })];
  const v = verdicts(pod, placed);
  assert.equal(v["a"], "node(s) didn't match pod anti-affinity rules");
  assert.equal(v["b"], "node(s) didn't match pod anti-affinity rules");
  assert.equal(v["c"], "ok");
});

test("anti-affinity only counts pods in the term's namespaces", () => {
  const pod = makePod("web-2", { labels: { app: "web" }, affinity: antiWeb("kubernetes.io/hostname") });
  const placed = [makePod("web-1", { nodeName: "a", labels: { app: "web" }, namespace: "other" })];
  assert.deepEqual(verdicts(pod, placed), { a: "ok", b: "ok", c: "ok" });
});

test("a placed pod's anti-affinity keeps matching newcomers away (symmetry)", () => {
  const placed = [makePod("loner", { nodeName: "c", labels: { app: "loner" }, affinity: antiWeb("kubernetes.io/hostname") })];
  const pod = makePod("web-1", { labels: { app: "web" } });
  assert.deepEqual(verdicts(pod, placed), { a: "ok", b: "ok", c: "node(s) didn't satisfy existing pods anti-affinity rules" });
});

test("required affinity needs a matching pod in the domain, except for the first of a group", () => {
  const affinity: Affinity = {
    podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "zone", labelSelector: { matchLabels: { app: "cache" } } }] },
  };
  const withCache = [makePod("cache-1", { nodeName: "c", labels: { app: "cache" } })];
  assert.deepEqual(verdicts(makePod("web", { affinity }), withCache), {
    a: "node(s) didn't match pod affinity rules",
    b: "node(s) didn't match pod affinity rules",
    c: "ok",
  });
  // Nobody matches yet: a pod that matches its own term may start the group anywhere; one that does not, nowhere.
  assert.deepEqual(verdicts(makePod("cache-1", { labels: { app: "cache" }, affinity }), []), { a: "ok", b: "ok", c: "ok" });
  assert.equal(verdicts(makePod("web", { affinity }), [])["a"], "node(s) didn't match pod affinity rules");
});

test("preferred affinity scores nodes near matching pods higher, anti-affinity lower", () => {
  const pod = makePod("web", {
    affinity: {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, podAffinityTerm: { topologyKey: "zone", labelSelector: { matchLabels: { app: "cache" } } } }] },
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 5, podAffinityTerm: { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { app: "noisy" } } } }],
      },
    },
  });
  const placed = [makePod("cache", { nodeName: "a", labels: { app: "cache" } }), makePod("noisy", { nodeName: "b", labels: { app: "noisy" } })];
  const snapshot = ClusterSnapshot.build(nodes, placed);
  const state = new CycleState(snapshot);
  const raw = snapshot.nodes.map((n) => preferredInterPodAffinity.score(pod, n, state));
  assert.deepEqual(raw, [10, 5, 0]);
  assert.deepEqual(preferredInterPodAffinity.normalize!(raw, state), [100, 50, 0]);
});
