import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { DaemonSetStatus, KubeObject, Taint } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeClock } from "../../util/index.js";
import { computeHash } from "../deployment/index.js";
import { EventRecorder, newControllerRef } from "../shared/index.js";
import { FakeApi, FakeInformer } from "../shared/testing/index.js";
import { DaemonSetController, type DaemonSetObject, type NodeObject } from "./daemonset-controller.js";
import type { Pod } from "../../api/index.js";

type PodObject = Pod & KubeObject;

const dsPath = "/apis/apps/v1/namespaces/ns/daemonsets";
const podsPath = "/api/v1/namespaces/ns/pods";
const start = Date.parse("2024-05-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

function daemonSet(spec: Partial<NonNullable<DaemonSetObject["spec"]>> = {}, image = "agent:v1"): DaemonSetObject {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { namespace: "ns", name: "agent", uid: "ds-uid", generation: 3, resourceVersion: "10" },
    spec: {
      selector: { matchLabels: { app: "agent" } },
      template: { metadata: { labels: { app: "agent" } }, spec: { containers: [{ name: "c", image }] } },
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      ...spec,
    },
  };
}
const v1 = computeHash(daemonSet().spec!.template);
const v2 = computeHash(daemonSet({}, "agent:v2").spec!.template);
const dsRef = newControllerRef(daemonSet(), "apps/v1", "DaemonSet");

function node(name: string, options: { labels?: Record<string, string>; taints?: Taint[] } = {}): NodeObject {
  return { apiVersion: "v1", kind: "Node", metadata: { name, uid: `node-${name}`, labels: { "kubernetes.io/hostname": name, ...options.labels } }, spec: { taints: options.taints } };
}

type PodState = "pending" | "ready" | "failed" | "terminating";
function pod(name: string, nodeName: string, state: PodState, options: { hash?: string; created?: number; bound?: boolean } = {}): PodObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: "ns",
      name,
      uid: `uid-${name}`,
      resourceVersion: "5",
      labels: { app: "agent", "controller-revision-hash": options.hash ?? v1 },
      creationTimestamp: iso(options.created ?? start - 600_000),
      ownerReferences: [dsRef],
      ...(state === "terminating" ? { deletionTimestamp: iso(start) } : {}),
    },
    spec: {
      containers: [{ name: "c", image: "agent:v1" }],
      ...(options.bound === false
        ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: [nodeName] }] }] } } } }
        : { nodeName }),
    },
    status: {
      phase: state === "ready" ? "Running" : state === "failed" ? "Failed" : "Pending",
      ...(state === "ready" ? { conditions: [{ type: "Ready", status: "True", lastTransitionTime: iso(start - 300_000) }] } : {}),
    },
  };
}

function fixture(ds: DaemonSetObject, nodes: NodeObject[], pods: PodObject[] = []) {
  const api = new FakeApi();
  const clock = new FakeClock(start);
  const dsInformer = new FakeInformer<DaemonSetObject>();
  const podInformer = new FakeInformer<PodObject>();
  const nodeInformer = new FakeInformer<NodeObject>();
  const recorder = new EventRecorder(api.client, "daemonset-controller", clock);
  const controller = new DaemonSetController(api.client, {
    clock,
    recorder,
    newInformer: (ref) => ({ pods: podInformer, nodes: nodeInformer, daemonsets: dsInformer })[ref.plural] as unknown as Informer<KubeObject>,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((k) => enqueued.push(k), (k, ms) => delayed.push([k, ms]));
  api.seed(dsPath, ds);
  dsInformer.seed(ds);
  nodeInformer.seed(...nodes);
  for (const p of pods) {
    api.seed(podsPath, p);
    podInformer.seed(p);
  }
  return { api, clock, controller, dsInformer, podInformer, nodeInformer, recorder, enqueued, delayed };
}

const statusOf = (api: FakeApi) => api.actions().find((a) => a.subresource === "status")?.body?.["status"] as DaemonSetStatus | undefined;
const createdFor = (api: FakeApi) =>
  api
    .actions()
    .filter((a) => a.verb === "create" && a.resource === "pods")
    .map((a) => (a.body!["spec"] as { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchFields: { values: string[] }[] }[] } } } }).affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]!.matchFields[0]!.values[0]);
const deleted = (api: FakeApi) => api.summary().filter((s) => s.startsWith("delete pods")).map((s) => s.split("/")[1]);

describe("DaemonSetController", () => {
  it("creates one pod per eligible node, pinned by node affinity, with the daemon tolerations", async () => {
    const f = fixture(daemonSet(), [node("n1"), node("n2")]);
    await f.controller.sync("ns/agent");
    assert.deepEqual(createdFor(f.api), ["n1", "n2"]);
    const created = f.api.actions()[0]!.body!;
    assert.deepEqual(created.metadata, {
      generateName: "agent-",
      namespace: "ns",
      labels: { app: "agent", "controller-revision-hash": v1 },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "DaemonSet", name: "agent", uid: "ds-uid", controller: true, blockOwnerDeletion: true }],
    });
    assert.deepEqual(created["spec"], {
      containers: [{ name: "c", image: "agent:v1" }],
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute" },
        { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute" },
        { key: "node.kubernetes.io/disk-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/memory-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/pid-pressure", operator: "Exists", effect: "NoSchedule" },
        { key: "node.kubernetes.io/unschedulable", operator: "Exists", effect: "NoSchedule" },
      ],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: "metadata.name", operator: "In", values: ["n1"] }] }] } } },
    });
    assert.equal(created["spec"] && (created["spec"] as { nodeName?: string }).nodeName, undefined, "the scheduler binds it");
    assert.deepEqual(statusOf(f.api), {
      currentNumberScheduled: 0,
      desiredNumberScheduled: 2,
      numberMisscheduled: 0,
      numberReady: 0,
      numberAvailable: 0,
      numberUnavailable: 2,
      updatedNumberScheduled: 0,
      observedGeneration: 3,
    });
    await f.recorder.flush();
    assert.deepEqual(f.api.actions({ events: true }).filter((a) => a.resource === "events").map((e) => e.body!["reason"]), ["SuccessfulCreate", "SuccessfulCreate"]);
  });

  it("skips nodes with untolerated taints or not matching nodeSelector / node affinity, but runs on cordoned and not-ready nodes", async () => {
    const ds = daemonSet();
    ds.spec!.template.spec!.nodeSelector = { role: "worker" };
    ds.spec!.template.spec!.affinity = {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "NotIn", values: ["b"] }] }] } },
    };
    ds.spec!.template.spec!.tolerations = [{ key: "dedicated", operator: "Equal", value: "infra", effect: "NoSchedule" }];
    const worker = { role: "worker" };
    const f = fixture(ds, [
      node("plain", { labels: worker }),
      node("other-role", { labels: { role: "db" } }),
      node("zone-b", { labels: { ...worker, zone: "b" } }),
      node("gpu", { labels: worker, taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] }),
      node("evicting", { labels: worker, taints: [{ key: "maintenance", effect: "NoExecute" }] }),
      node("infra", { labels: worker, taints: [{ key: "dedicated", value: "infra", effect: "NoSchedule" }] }),
      node("cordoned", { labels: worker, taints: [{ key: "node.kubernetes.io/unschedulable", effect: "NoSchedule" }] }),
      node("not-ready", { labels: worker, taints: [{ key: "node.kubernetes.io/not-ready", effect: "NoExecute" }] }),
      node("soft", { labels: worker, taints: [{ key: "x", effect: "PreferNoSchedule" }] }),
    ]);
    await f.controller.sync("ns/agent");
    assert.deepEqual(createdFor(f.api).sort(), ["cordoned", "infra", "not-ready", "plain", "soft"]);
    assert.equal(statusOf(f.api)!.desiredNumberScheduled, 5);
  });

  it("deletes the pod on a node that stopped matching, keeps one on a node newly tainted NoSchedule, evicts on NoExecute", async () => {
    const ds = daemonSet();
    ds.spec!.template.spec!.nodeSelector = { role: "worker" };
    const worker = { role: "worker" };
    const f = fixture(
      ds,
      [
        node("n1", { labels: worker }),
        node("relabelled", { labels: { role: "db" } }),
        node("tainted", { labels: worker, taints: [{ key: "gpu", effect: "NoSchedule" }] }),
        node("evicting", { labels: worker, taints: [{ key: "gpu", effect: "NoExecute" }] }),
      ],
      [pod("p1", "n1", "ready"), pod("p2", "relabelled", "ready"), pod("p3", "tainted", "ready"), pod("p4", "evicting", "ready")],
    );
    await f.controller.sync("ns/agent");
    assert.deepEqual(deleted(f.api).sort(), ["p2", "p4"]);
    assert.deepEqual(createdFor(f.api), []);
    const status = statusOf(f.api)!;
    assert.equal(status.desiredNumberScheduled, 1);
    assert.equal(status.numberMisscheduled, 3);
    assert.deepEqual(f.controller.expectations.pending("ns/agent#deletions"), { adds: 0, deletes: ["ns/p2", "ns/p4"] });
  });

  it("deletes duplicates (keeping the oldest), pods for nodes that are gone, and succeeded pods", async () => {
    const f = fixture(daemonSet(), [node("n1"), node("n2")], [
      pod("old", "n1", "ready", { created: start - 900_000 }),
      pod("dup", "n1", "ready", { created: start - 100_000 }),
      pod("ghost", "gone", "pending", { bound: false }),
      pod("n2-pod", "n2", "ready"),
      pod("leaving", "n2", "terminating"),
    ]);
    await f.controller.sync("ns/agent");
    assert.deepEqual(deleted(f.api).sort(), ["dup", "ghost"]);
  });

  it("replaces a failed pod, with a back-off per node", async () => {
    const f = fixture(daemonSet(), [node("n1")], [pod("broken", "n1", "failed")]);
    await f.controller.sync("ns/agent");
    assert.deepEqual(deleted(f.api), ["broken"]);
    await f.recorder.flush();
    assert.ok(f.api.actions({ events: true }).some((a) => a.body?.["reason"] === "FailedDaemonPod"));

    // The next failed pod on that node within the back-off (1 s, then 2 s) waits.
    f.api.clearActions();
    f.controller.expectations.delete("ns/agent#deletions");
    f.podInformer.seed(pod("broken-again", "n1", "failed"));
    f.podInformer.cache.delete("ns/broken");
    f.clock.advance(500);
    await f.controller.sync("ns/agent");
    assert.deepEqual(deleted(f.api), []);
    assert.deepEqual(f.delayed.at(-1), ["ns/agent", 500]);
    f.clock.advance(500);
    await f.controller.sync("ns/agent");
    assert.deepEqual(deleted(f.api), ["broken-again"]);
  });

  it("does not create again before its creations reach the cache, and observes them from pod events", async () => {
    const f = fixture(daemonSet(), [node("n1"), node("n2")]);
    await f.controller.sync("ns/agent");
    const names = f.api.actions().filter((a) => a.verb === "create").map((a) => a.name);
    f.api.clearActions();
    await f.controller.sync("ns/agent");
    assert.deepEqual(createdFor(f.api), []);
    for (const name of names) f.podInformer.add(f.api.find(podsPath, name) as PodObject);
    assert.equal(f.controller.satisfied("ns/agent"), true);
    assert.deepEqual(f.enqueued.filter((k) => k === "ns/agent").length, 2);
  });

  it("enqueues every daemon set when a node is added or its labels or taints change, not on heartbeats", () => {
    const f = fixture(daemonSet(), [node("n1")]);
    f.nodeInformer.add(node("n2"));
    assert.deepEqual(f.enqueued, ["ns/agent"]);
    f.nodeInformer.add({ ...node("n2"), status: { conditions: [{ type: "Ready", status: "True" }] } });
    assert.deepEqual(f.enqueued, ["ns/agent"]);
    f.nodeInformer.add(node("n2", { taints: [{ key: "k", effect: "NoSchedule" }] }));
    assert.deepEqual(f.enqueued, ["ns/agent", "ns/agent"]);
  });

  describe("rolling update", () => {
    const nodes = [node("n1"), node("n2"), node("n3"), node("n4")];
    const oldPods = () => nodes.map((n, i) => pod(`old-${i + 1}`, n.metadata.name!, "ready"));

    it("deletes old pods no more than maxUnavailable at a time", async () => {
      const f = fixture(daemonSet({}, "agent:v2"), nodes, oldPods());
      await f.controller.sync("ns/agent");
      assert.deepEqual(f.api.summary().filter((s) => !s.includes("status")), ["delete pods ns/old-1"]);
      assert.equal(statusOf(f.api)!.updatedNumberScheduled, 0);

      const g = fixture(daemonSet({ updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "50%" } } }, "agent:v2"), nodes, oldPods());
      await g.controller.sync("ns/agent");
      assert.deepEqual(deleted(g.api), ["old-1", "old-2"]);
    });

    it("waits while a new pod is not yet available, and recreates on a node whose old pod went", async () => {
      const pods = oldPods();
      pods[0] = pod("new-1", "n1", "pending", { hash: v2 });
      const f = fixture(daemonSet({}, "agent:v2"), nodes, pods);
      await f.controller.sync("ns/agent");
      assert.deepEqual(deleted(f.api), [], "n1 is unavailable: the budget of 1 is spent");
      assert.equal(statusOf(f.api)!.updatedNumberScheduled, 1);

      const g = fixture(daemonSet({}, "agent:v2"), nodes, oldPods().slice(1));
      await g.controller.sync("ns/agent");
      assert.deepEqual(createdFor(g.api), ["n1"]);
      assert.equal(g.api.actions()[0]!.body!.metadata.labels!["controller-revision-hash"], v2);
      assert.deepEqual(deleted(g.api), [], "no old pod deleted while a node lacks one");
    });

    it("deletes old pods that are not available regardless of the budget", async () => {
      const pods = oldPods();
      pods[2] = pod("old-3", "n3", "pending");
      pods[3] = pod("old-4", "n4", "pending");
      const f = fixture(daemonSet({}, "agent:v2"), nodes, pods);
      await f.controller.sync("ns/agent");
      assert.deepEqual(deleted(f.api), ["old-3", "old-4"]);
    });

    it("OnDelete leaves old pods alone", async () => {
      const f = fixture(daemonSet({ updateStrategy: { type: "OnDelete" } }, "agent:v2"), nodes, oldPods());
      await f.controller.sync("ns/agent");
      assert.deepEqual(deleted(f.api), []);
    });
  });

  it("reports status counts: scheduled, ready, available after minReadySeconds, updated, misscheduled", async () => {
    const ds = daemonSet({ minReadySeconds: 400 });
    ds.spec!.template.spec!.nodeSelector = { role: "worker" };
    const worker = { role: "worker" };
    const hash = computeHash(ds.spec!.template);
    const readyLong = pod("p1", "n1", "ready", { created: start - 10_000, hash });
    readyLong.status!.conditions![0]!.lastTransitionTime = iso(start - 500_000);
    const readySoon = pod("p2", "n2", "ready", { hash });
    readySoon.status!.conditions![0]!.lastTransitionTime = iso(start - 100_000);
    const f = fixture(
      ds,
      [node("n1", { labels: worker }), node("n2", { labels: worker }), node("n3", { labels: worker }), node("n4", { labels: worker }), node("db")],
      [readyLong, readySoon, pod("p3", "n3", "pending", { hash: "old" }), pod("p5", "db", "ready")],
    );
    f.controller.expectations.expectCreations("ns/agent", 1); // keep manage out of it: only the status is under test
    await f.controller.sync("ns/agent");
    assert.deepEqual(f.api.summary(), ["update daemonsets/status ns/agent"]);
    assert.deepEqual(statusOf(f.api), {
      currentNumberScheduled: 3,
      desiredNumberScheduled: 4,
      numberMisscheduled: 1,
      numberReady: 2,
      numberAvailable: 1,
      numberUnavailable: 3,
      updatedNumberScheduled: 2,
      observedGeneration: 3,
    });
    assert.deepEqual(f.delayed, [["ns/agent", 400_000]], "looked at again when the ready pod may be available");
  });
});
