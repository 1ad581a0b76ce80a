import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, Taint } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeClock } from "../../util/index.js";
import { EventRecorder } from "../shared/index.js";
import { FakeApi, FakeInformer } from "../shared/testing/index.js";
import { NodeLifecycleController, type LeaseObject, type NodeObject, type PodObject } from "./node-lifecycle-controller.js";
import { nodeLifecycleProfiles, resolveNodeLifecycleTimings, type NodeLifecycleOptions } from "./node-lifecycle-options.js";

const nodesPath = "/api/v1/nodes";
const podsPath = "/api/v1/namespaces/ns/pods";
const start = Date.parse("2024-05-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function node(name: string, ready: "True" | "False" | "Unknown" | undefined, heartbeat = start - 5_000, taints?: Taint[]): NodeObject {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, uid: `uid-${name}`, resourceVersion: "3", creationTimestamp: iso(start - 3_600_000) },
    spec: taints ? { taints } : {},
    status: {
      conditions: ready
        ? [
            { type: "MemoryPressure", status: "False", reason: "KubeletHasSufficientMemory", lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(start - 3_600_000) },
            { type: "Ready", status: ready, reason: "KubeletReady", lastHeartbeatTime: iso(heartbeat), lastTransitionTime: iso(start - 3_600_000) },
          ]
        : [],
    },
  };
}

function lease(name: string, renewTime: number): LeaseObject {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: { namespace: "kube-node-lease", name, resourceVersion: String(renewTime) },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(renewTime).toISOString().replace("Z", "000Z") },
  };
}

function pod(name: string, tolerations?: NonNullable<PodObject["spec"]>["tolerations"]): PodObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { namespace: "ns", name, uid: `uid-${name}`, resourceVersion: "7" },
    spec: { nodeName: "n1", containers: [{ name: "c", image: "busybox" }], ...(tolerations ? { tolerations } : {}) },
    status: { phase: "Running", conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(start - 60_000) }] },
  };
}

function fixture(n: NodeObject, pods: PodObject[] = [], options: NodeLifecycleOptions = {}) {
  const api = new FakeApi();
  const clock = new FakeClock(start);
  const informers = { nodes: new FakeInformer<NodeObject>(), pods: new FakeInformer<PodObject>(), leases: new FakeInformer<LeaseObject>() };
  const recorder = new EventRecorder(api.client, "node-controller", clock);
  const controller = new NodeLifecycleController(api.client, {
    clock,
    recorder,
    newInformer: (ref) => informers[ref.plural as keyof typeof informers] as unknown as Informer<KubeObject>,
    ...options,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((k) => enqueued.push(k), (k, ms) => delayed.push([k, ms]));
  api.seed(nodesPath, n);
  informers.nodes.seed(n);
  for (const p of pods) {
    api.seed(podsPath, p);
    informers.pods.seed(p);
  }
  /** The watch catches up: the caches show what the API server holds. */
  const observe = () => {
    for (const key of informers.nodes.cache.keys()) {
      const fresh = api.find(nodesPath, key);
      if (fresh) informers.nodes.seed(fresh as NodeObject);
    }
    for (const key of informers.pods.cache.keys()) {
      const fresh = api.find(podsPath, key.split("/")[1]!);
      if (fresh) informers.pods.seed(fresh as PodObject);
      else informers.pods.cache.delete(key);
    }
  };
  const renew = (name = "n1") => informers.leases.seed(lease(name, clock.now()));
  const nodeNow = () => api.find(nodesPath, "n1") as NodeObject;
  const events = async () => {
    await recorder.flush();
    return api.actions({ events: true }).filter((a) => a.resource === "events").map((e) => `${e.body!["reason"]} ${(e.body!["involvedObject"] as { name: string }).name}`);
  };
  return { api, clock, controller, informers, enqueued, delayed, observe, renew, nodeNow, events };
}

const taintIds = (n: NodeObject) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`);

describe("NodeLifecycleController", () => {
  it("does nothing to a ready node that keeps renewing its lease, even when its Ready heartbeat is old", async () => {
    const f = fixture(node("n1", "True", start - 600_000), [pod("web")]);
    f.renew();
    await f.controller.sync("n1");
    for (let i = 0; i < 10; i++) {
      f.clock.advance(10_000);
      f.renew();
      await f.controller.sync("n1");
    }
    assert.deepEqual(f.api.summary(), []);
    assert.deepEqual(await f.events(), []);
    assert.deepEqual(f.delayed.at(-1), ["n1", 5_000], "checked again every nodeMonitorPeriod");
  });

  it("sets a silent node's conditions to Unknown after the grace period and taints it unreachable", async () => {
    const f = fixture(node("n1", "True"), [pod("web")]);
    f.renew();
    await f.controller.sync("n1");
    f.clock.advance(40_000);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), [], "not before the grace period has passed");

    f.clock.advance(1);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["update nodes/status /n1", "patch nodes /n1", "update pods/status ns/web"]);
    const n = f.nodeNow();
    const ready = n.status!.conditions!.find((c) => c.type === "Ready")!;
    assert.equal(ready.status, "Unknown");
    assert.equal(ready.reason, "NodeStatusUnknown");
    assert.equal(ready.message, "Kubelet stopped posting node status.");
    assert.equal(ready.lastHeartbeatTime, iso(start - 5_000), "the kubelet's heartbeat is kept");
    assert.equal(ready.lastTransitionTime, iso(f.clock.now()));
    assert.deepEqual(
      n.status!.conditions!.map((c) => [c.type, c.status, c.reason]),
      [
        ["MemoryPressure", "Unknown", "NodeStatusUnknown"],
        ["Ready", "Unknown", "NodeStatusUnknown"],
        ["DiskPressure", "Unknown", "NodeStatusNeverUpdated"],
        ["PIDPressure", "Unknown", "NodeStatusNeverUpdated"],
      ],
    );
    assert.deepEqual(n.spec!.taints, [
      { key: "node.kubernetes.io/unreachable", effect: "NoSchedule" },
      { key: "node.kubernetes.io/unreachable", effect: "NoExecute", timeAdded: iso(f.clock.now()) },
    ]);
    const web = f.api.find(podsPath, "web") as PodObject;
    assert.equal(web.status!.conditions!.find((c) => c.type === "Ready")!.status, "False", "endpoints stop sending traffic to it");
    assert.deepEqual(await f.events(), ["NodeNotReady n1", "NodeNotReady web"]);

    // Once the watch shows the controller's own writes, a sync changes nothing more.
    f.observe();
    f.api.clearActions();
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
  });

  it("evicts pods without tolerations after podEvictionTimeout, sooner with a short toleration, never when tolerated forever", async () => {
    const f = fixture(node("n1", "True"), [
      pod("plain"),
      pod("short", [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 60 }]),
      pod("forever", [{ key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" }]),
      pod("everything", [{ operator: "Exists" }]),
    ]);
    f.renew();
    await f.controller.sync("n1");
    // Whole seconds: timeAdded, like every metav1.Time, has second precision.
    f.clock.advance(41_000);
    await f.controller.sync("n1");
    const taintedAt = f.clock.now();
    f.observe();
    assert.deepEqual(f.delayed.at(-1), ["n1", 60_000], "synced again when the first toleration runs out");
    f.api.clearActions();

    f.clock.advance(59_999);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
    f.clock.advance(1);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["update pods/status ns/short", "delete pods ns/short"]);
    const condition = (f.api.actions()[0]!.body!["status"] as PodObject["status"])!.conditions!.find((c) => c.type === "DisruptionTarget");
    assert.deepEqual(condition, {
      type: "DisruptionTarget",
      status: "True",
      reason: "DeletionByTaintManager",
      message: "Taint manager: deleting due to NoExecute taint",
      lastTransitionTime: iso(f.clock.now()),
    });
    assert.deepEqual(f.delayed.at(-1), ["n1", taintedAt + 300_000 - f.clock.now()]);
    assert.deepEqual(await f.events(), ["TaintManagerEviction short"]);
    f.observe();
    f.api.clearActions();

    f.clock.advance(taintedAt + 300_000 - f.clock.now());
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["update pods/status ns/plain", "delete pods ns/plain"]);
    assert.deepEqual(await f.events(), ["TaintManagerEviction plain"]);
    f.observe();
    f.api.clearActions();
    f.clock.advance(3_600_000);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
    assert.deepEqual(f.informers.pods.cache.keys().sort(), ["ns/everything", "ns/forever"]);
  });

  it("evicts at once from a NoExecute taint the pod does not tolerate", async () => {
    const dedicated: Taint = { key: "dedicated", value: "gpu", effect: "NoExecute", timeAdded: iso(start) };
    const f = fixture(node("n1", "True", start, [dedicated]), [pod("web"), pod("gpu", [{ key: "dedicated", operator: "Equal", value: "gpu" }])]);
    f.renew();
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["update pods/status ns/web", "delete pods ns/web"]);
  });

  it("taints a node reported NotReady by its kubelet not-ready, and swaps to unreachable when it falls silent", async () => {
    const f = fixture(node("n1", "False"));
    f.renew();
    await f.controller.sync("n1");
    assert.deepEqual(taintIds(f.nodeNow()), ["node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"]);
    assert.deepEqual(await f.events(), [], "the kubelet said so itself: no NodeNotReady event");
    f.observe();
    f.clock.advance(40_001);
    await f.controller.sync("n1");
    assert.deepEqual(taintIds(f.nodeNow()), ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
  });

  it("removes its taints when the node is Ready again, and keeps other taints", async () => {
    const other: Taint = { key: "example.com/special", effect: "NoSchedule" };
    const f = fixture(node("n1", "True"), [pod("web")]);
    f.api.seed(nodesPath, { ...f.nodeNow(), spec: { taints: [other] } });
    f.observe();
    f.renew();
    await f.controller.sync("n1");
    f.clock.advance(40_001);
    await f.controller.sync("n1");
    f.observe();
    assert.deepEqual(taintIds(f.nodeNow()), ["example.com/special:NoSchedule", "node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);

    // The kubelet comes back: renews its lease and posts Ready.
    f.clock.advance(5_000);
    f.renew();
    const back = f.nodeNow();
    const conditions = back.status!.conditions!.map((c) => (c.type === "Ready" ? { ...c, status: "True", reason: "KubeletReady", lastHeartbeatTime: iso(f.clock.now()) } : c));
    f.api.seed(nodesPath, { ...back, metadata: { ...back.metadata, resourceVersion: undefined }, status: { conditions } });
    f.observe();
    f.api.clearActions();
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["patch nodes /n1"]);
    assert.deepEqual(f.nodeNow().spec!.taints, [other]);
    f.observe();
    f.clock.advance(3_600_000);
    f.renew();
    f.api.clearActions();
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), [], "no pod was evicted");
  });

  it("gives a node that never posted Ready the startup grace period from its creation", async () => {
    const fresh = node("n1", undefined);
    const f = fixture({ ...fresh, metadata: { ...fresh.metadata, creationTimestamp: iso(start) } });
    await f.controller.sync("n1");
    f.clock.advance(60_000);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
    f.clock.advance(1);
    await f.controller.sync("n1");
    const ready = f.nodeNow().status!.conditions!.find((c) => c.type === "Ready")!;
    assert.deepEqual([ready.status, ready.reason, ready.message], ["Unknown", "NodeStatusNeverUpdated", "Kubelet never posted node status."]);
    assert.deepEqual(await f.events(), [], "it was never Ready: no NodeNotReady event");
  });

  it("retries on a conflict with the kubelet's own status update", async () => {
    const f = fixture(node("n1", "True"));
    f.renew();
    await f.controller.sync("n1");
    f.clock.advance(40_001);
    f.api.failNext("update", "nodes", 409, "Conflict");
    await assert.rejects(f.controller.sync("n1"), (err: { reason?: string }) => err.reason === "Conflict");
  });

  it("maps pod events to their node and forgets deleted nodes", async () => {
    const f = fixture(node("n1", "True"));
    f.informers.pods.add(pod("web"));
    f.informers.pods.add({ ...pod("unbound"), spec: { containers: [] } });
    assert.deepEqual(f.enqueued, ["n1"]);
    f.informers.nodes.remove(f.nodeNow());
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
  });

  it("uses the fast profile's timings", async () => {
    assert.deepEqual(nodeLifecycleProfiles.fast, { nodeMonitorGracePeriodMs: 8_000, nodeStartupGracePeriodMs: 15_000, nodeMonitorPeriodMs: 1_000, podEvictionTimeoutMs: 10_000 });
    assert.deepEqual(nodeLifecycleProfiles.default, { nodeMonitorGracePeriodMs: 40_000, nodeStartupGracePeriodMs: 60_000, nodeMonitorPeriodMs: 5_000, podEvictionTimeoutMs: 300_000 });
    assert.equal(resolveNodeLifecycleTimings({ profile: "fast", podEvictionTimeoutMs: 30_000 }).podEvictionTimeoutMs, 30_000);

    const f = fixture(node("n1", "True"), [pod("web")], { profile: "fast" });
    f.renew();
    await f.controller.sync("n1");
    assert.deepEqual(f.delayed.at(-1), ["n1", 1_000]);
    f.clock.advance(9_000);
    await f.controller.sync("n1");
    f.observe();
    assert.deepEqual(taintIds(f.nodeNow()), ["node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"]);
    f.api.clearActions();
    f.clock.advance(9_999);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), []);
    f.clock.advance(1);
    await f.controller.sync("n1");
    assert.deepEqual(f.api.summary(), ["update pods/status ns/web", "delete pods ns/web"], "evicted 10 s after the taint");
  });
});
