import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Pod, Taint } from "../../api/index.js";
import { evictionDecision, toleratesTaint, tolerationsWithDefaults } from "./taint-eviction.js";
import { reconcileTaints } from "./node-taints.js";

const t0 = Date.parse("2024-05-01T12:00:00Z");
const unreachable: Taint = { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: "2024-05-01T12:00:00Z" };
const podWith = (tolerations?: NonNullable<Pod["spec"]>["tolerations"]): Pod => ({ spec: { containers: [], ...(tolerations ? { tolerations } : {}) } });

describe("toleratesTaint", () => {
  it("matches upstream: effect, key, Equal compares values, Exists with no key tolerates everything", () => {
    const taint: Taint = { key: "k", value: "v", effect: "NoExecute" };
    assert.equal(toleratesTaint({ key: "k", value: "v" }, taint), true);
    assert.equal(toleratesTaint({ key: "k", value: "w" }, taint), false);
    assert.equal(toleratesTaint({ key: "k", operator: "Exists", effect: "NoSchedule" }, taint), false);
    assert.equal(toleratesTaint({ operator: "Exists" }, taint), true);
    assert.equal(toleratesTaint({ key: "other", operator: "Exists" }, taint), false);
  });
});

describe("evictionDecision", () => {
  it("gives a pod without its own toleration the default toleration, and keeps one that brings its own", () => {
    assert.deepEqual(tolerationsWithDefaults(podWith(), 300_000).map((t) => [t.key, t.tolerationSeconds]), [
      ["node.kubernetes.io/not-ready", 300],
      ["node.kubernetes.io/unreachable", 300],
    ]);
    assert.equal(tolerationsWithDefaults(podWith([{ operator: "Exists" }]), 300_000).length, 1);
    assert.deepEqual(evictionDecision(podWith(), [unreachable], t0, 300_000), { kind: "wait", at: t0 + 300_000 });
    assert.deepEqual(evictionDecision(podWith(), [unreachable], t0 + 300_000, 300_000), { kind: "evict" });
  });

  it("takes the first matching toleration per taint and the earliest deadline over taints", () => {
    const notReady: Taint = { key: "node.kubernetes.io/not-ready", effect: "NoExecute", timeAdded: "2024-05-01T12:00:10Z" };
    const pod = podWith([
      { key: "node.kubernetes.io/unreachable", operator: "Exists", tolerationSeconds: 100 },
      { key: "node.kubernetes.io/unreachable", operator: "Exists" },
      { key: "node.kubernetes.io/not-ready", operator: "Exists", tolerationSeconds: 30 },
    ]);
    assert.deepEqual(evictionDecision(pod, [unreachable, notReady], t0, 300_000), { kind: "wait", at: t0 + 40_000 });
    assert.deepEqual(evictionDecision(podWith([{ operator: "Exists", effect: "NoExecute" }]), [unreachable], t0 + 1e9, 1), { kind: "keep" });
    assert.deepEqual(evictionDecision(podWith(), [{ key: "x", effect: "NoExecute" }], t0, 300_000), { kind: "evict" });
    assert.deepEqual(evictionDecision(podWith(), [{ key: "x", effect: "NoSchedule" }], t0, 300_000), { kind: "keep" });
  });
});

describe("reconcileTaints", () => {
  it("derives pressure and cordon taints, keeps others' taints, and changes nothing when all is in place", () => {
    const node = {
      spec: { unschedulable: true, taints: [{ key: "mine", effect: "NoSchedule" }, { key: "node.kubernetes.io/not-ready", effect: "NoSchedule" }] },
      status: { conditions: [{ type: "Ready", status: "True" }, { type: "DiskPressure", status: "True" }] },
    };
    const taints = reconcileTaints(node, t0)!;
    assert.deepEqual(taints, [
      { key: "mine", effect: "NoSchedule" },
      { key: "node.kubernetes.io/disk-pressure", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" },
    ]);
    assert.equal(reconcileTaints({ ...node, spec: { ...node.spec, taints } }, t0), undefined);
  });
});
