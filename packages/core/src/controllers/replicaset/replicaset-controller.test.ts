import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeClock } from "../../util/index.js";
import { EventRecorder, newControllerRef } from "../shared/index.js";
import { FakeApi, FakeInformer } from "../shared/testing/index.js";
import { ReplicaSetController, type PodObject, type ReplicaSetObject } from "./replicaset-controller.js";

const rsPath = "/apis/apps/v1/namespaces/ns/replicasets";
const podsPath = "/api/v1/namespaces/ns/pods";
const start = Date.parse("2024-05-01T12:00:00Z");

function replicaSet(replicas: number, extra: Partial<NonNullable<ReplicaSetObject["spec"]>> = {}, status?: ReplicaSetObject["status"]): ReplicaSetObject {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { namespace: "ns", name: "web", uid: "rs-uid", generation: 2, resourceVersion: "10" },
    spec: {
      replicas,
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web", tier: "front" } }, spec: { containers: [{ name: "c", image: "nginx" }] } },
      ...extra,
    },
    ...(status ? { status } : {}),
  };
}
const rsRef = newControllerRef(replicaSet(1), "apps/v1", "ReplicaSet");

type PodState = "pending" | "unscheduled" | "running" | "ready" | "failed" | "terminating";
function pod(name: string, state: PodState, options: { owned?: boolean; labels?: Record<string, string>; created?: number; readySince?: number } = {}): PodObject {
  const ready = state === "ready";
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: "ns",
      name,
      uid: `uid-${name}`,
      resourceVersion: "5",
      labels: options.labels ?? { app: "web", tier: "front" },
      creationTimestamp: new Date(options.created ?? start - 60_000).toISOString(),
      ...(options.owned === false ? {} : { ownerReferences: [rsRef] }),
      ...(state === "terminating" ? { deletionTimestamp: new Date(start).toISOString() } : {}),
    },
    spec: { containers: [{ name: "c", image: "nginx" }], ...(state === "unscheduled" ? {} : { nodeName: "n1" }) },
    status: {
      phase: state === "running" || ready ? "Running" : state === "failed" ? "Failed" : "Pending",
      ...(state === "running" || ready
        ? { conditions: [{ type: "Ready", status: ready ? "True" : "False", lastTransitionTime: new Date(options.readySince ?? start - 30_000).toISOString() }] }
        : {}),
    },
  };
}

function fixture(rs: ReplicaSetObject, pods: PodObject[] = []) {
  const api = new FakeApi();
  const clock = new FakeClock(start);
  const rsInformer = new FakeInformer<ReplicaSetObject>();
  const podInformer = new FakeInformer<PodObject>();
  const recorder = new EventRecorder(api.client, "replicaset-controller", clock);
  const controller = new ReplicaSetController(api.client, {
    clock,
    recorder,
    newInformer: (ref) => (ref.plural === "pods" ? podInformer : rsInformer) as unknown as Informer<KubeObject>,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((k) => enqueued.push(k), (k, ms) => delayed.push([k, ms]));
  api.seed(rsPath, rs);
  rsInformer.seed(rs);
  for (const p of pods) {
    api.seed(podsPath, p);
    podInformer.seed(p);
  }
  return { api, clock, controller, rsInformer, podInformer, recorder, enqueued, delayed };
}

const statusOf = (api: FakeApi) => api.actions().find((a) => a.subresource === "status")?.body?.["status"];

describe("ReplicaSetController", () => {
  it("creates exactly the missing pods from the template, owned by the replica set", async () => {
    const f = fixture(replicaSet(3), [pod("web-a", "pending")]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary().slice(0, 2).map((s) => s.split(" ").slice(0, 2).join(" ")), ["create pods", "create pods"]);
    assert.equal(f.api.summary()[2], "update replicasets/status ns/web");
    assert.equal(f.api.summary().length, 3);
    const created = f.api.actions()[0]!.body!;
    assert.deepEqual(created.metadata, {
      generateName: "web-",
      namespace: "ns",
      labels: { app: "web", tier: "front" },
      ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", uid: "rs-uid", controller: true, blockOwnerDeletion: true }],
    });
    assert.deepEqual(created["spec"], { containers: [{ name: "c", image: "nginx" }] });
    // The status counts what the cache showed: one pod, not ready.
    assert.deepEqual(statusOf(f.api), { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 0, availableReplicas: 0, observedGeneration: 2 });
    await f.recorder.flush();
    const events = f.api.actions({ events: true }).filter((a) => a.resource === "events");
    assert.deepEqual(events.map((e) => e.body!["reason"]), ["SuccessfulCreate", "SuccessfulCreate"]);
    assert.match(String(events[0]!.body!["message"]), /^Created pod: web-/);
    assert.deepEqual(events[0]!.body!["involvedObject"], { apiVersion: "apps/v1", kind: "ReplicaSet", name: "web", namespace: "ns", uid: "rs-uid", resourceVersion: "10" });
    assert.deepEqual(events[0]!.body!["source"], { component: "replicaset-controller" });
  });

  it("does not create again while its creations have not reached the cache", async () => {
    const f = fixture(replicaSet(3));
    await f.controller.sync("ns/web");
    assert.equal(f.api.summary().filter((s) => s.startsWith("create pods")).length, 3);
    const created = listPods(f.api);
    f.api.clearActions();
    // The cache still shows no pods: a second sync must not create three more.
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary().filter((s) => s.startsWith("create")), []);
    assert.deepEqual(f.controller.expectations.pending("ns/web"), { adds: 3, deletes: [] });
    // The watch delivers them: expectations are met, and the counts agree, so nothing more happens.
    for (const obj of created) f.podInformer.add(obj);
    assert.equal(f.controller.expectations.satisfied("ns/web"), true);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary().filter((s) => s.startsWith("create")), []);
  });

  it("creates in slow-start batches and stops at the first failing batch", async () => {
    const f = fixture(replicaSet(10));
    f.api.failNext("create", "pods", 403, "Forbidden");
    await assert.rejects(f.controller.sync("ns/web"), (err: { reason?: string }) => err.reason === "Forbidden");
    // One attempt (batch of 1) only; the nine never tried and the failed one are not awaited.
    assert.equal(f.api.summary().filter((s) => s.startsWith("create pods")).length, 1);
    assert.equal(f.controller.expectations.satisfied("ns/web"), true);
    const status = statusOf(f.api) as { conditions: { type: string; reason: string }[] };
    assert.deepEqual(status.conditions.map((c) => [c.type, c.reason]), [["ReplicaFailure", "FailedCreate"]]);

  });

  it("grows batches 1, 2, 4 … when every creation succeeds", async () => {
    const f = fixture(replicaSet(7));
    await f.controller.sync("ns/web");
    assert.equal(f.api.summary().filter((s) => s.startsWith("create pods")).length, 7);
  });

  it("deletes extras, unscheduled and pending before not-ready before ready, newer first", async () => {
    const f = fixture(replicaSet(2), [
      pod("ready-old", "ready", { created: start - 100_000 }),
      pod("ready-new", "ready", { created: start - 10_000, readySince: start - 60_000 }),
      pod("not-ready", "running"),
      pod("pending", "pending"),
      pod("unscheduled", "unscheduled"),
    ]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary(), [
      "delete pods ns/unscheduled",
      "delete pods ns/pending",
      "delete pods ns/not-ready",
      "update replicasets/status ns/web",
    ]);
    assert.deepEqual(f.controller.expectations.pending("ns/web"), { adds: 0, deletes: ["ns/not-ready", "ns/pending", "ns/unscheduled"] });
    // Deleting with the pod's uid as precondition: a pod recreated under the same name is not hit.
    assert.deepEqual(JSON.parse(f.api.transport.requests.find((r) => r.method === "DELETE")!.body as string).preconditions, { uid: "uid-unscheduled" });
    f.podInformer.remove(pod("pending", "pending"));
    f.podInformer.remove(pod("unscheduled", "unscheduled"));
    assert.equal(f.controller.expectations.satisfied("ns/web"), false);
    f.podInformer.add({ ...pod("not-ready", "running"), metadata: { ...pod("not-ready", "running").metadata, resourceVersion: "6", deletionTimestamp: new Date(start).toISOString() } });
    assert.equal(f.controller.expectations.satisfied("ns/web"), true, "a pod being deleted counts as gone");
  });

  it("adopts a matching orphan and releases an owned pod that no longer matches", async () => {
    const f = fixture(replicaSet(2), [
      pod("owned", "pending"),
      pod("orphan", "pending", { owned: false }),
      pod("strayed", "pending", { labels: { app: "debug" } }),
      pod("other-orphan", "pending", { owned: false, labels: { app: "db" } }),
    ]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary(), ["patch pods ns/strayed", "patch pods ns/orphan", "update replicasets/status ns/web"]);
    const [release, adopt] = f.api.actions();
    assert.deepEqual(adopt!.body, { metadata: { resourceVersion: "5", ownerReferences: [rsRef] } });
    assert.deepEqual(release!.body, { metadata: { resourceVersion: "5", ownerReferences: null } });
    assert.equal((statusOf(f.api) as { replicas: number }).replicas, 2);
  });

  it("writes the status only when it changed", async () => {
    const status = { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 1, availableReplicas: 1, observedGeneration: 2 };
    const f = fixture(replicaSet(2, {}, status), [pod("a", "ready"), pod("b", "pending")]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary(), []);

    const g = fixture(replicaSet(2, {}, { ...status, observedGeneration: 1 }), [pod("a", "ready"), pod("b", "pending")]);
    await g.controller.sync("ns/web");
    assert.deepEqual(g.api.summary(), ["update replicasets/status ns/web"]);
    assert.deepEqual(statusOf(g.api), status);
  });

  it("does not count terminal pods or pods being deleted, and replaces them", async () => {
    const f = fixture(replicaSet(2), [pod("a", "pending"), pod("failed", "failed"), pod("going", "terminating")]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary().map((s) => s.split(" ").slice(0, 2).join(" ")), ["create pods", "update replicasets/status"]);
    assert.equal((statusOf(f.api) as { replicas: number }).replicas, 1);
  });

  it("counts a pod available only after minReadySeconds, and looks again then", async () => {
    const f = fixture(replicaSet(1, { minReadySeconds: 10 }), [pod("a", "ready", { readySince: start - 4_000 })]);
    await f.controller.sync("ns/web");
    assert.deepEqual(statusOf(f.api), { replicas: 1, fullyLabeledReplicas: 1, readyReplicas: 1, availableReplicas: 0, observedGeneration: 2 });
    assert.deepEqual(f.delayed, [["ns/web", 10_000]]);
  });

  it("maps pod events to the owning replica set, and orphans to the ones that match", () => {
    const f = fixture(replicaSet(1));
    f.podInformer.add(pod("owned", "pending"));
    f.podInformer.add(pod("orphan", "pending", { owned: false }));
    f.podInformer.add(pod("unrelated", "pending", { owned: false, labels: { app: "db" } }));
    f.podInformer.add({ ...pod("foreign", "pending"), metadata: { ...pod("foreign", "pending").metadata, ownerReferences: [{ ...rsRef, uid: "someone-else" }] } });
    assert.deepEqual(f.enqueued, ["ns/web", "ns/web"]);
  });

  it("forgets a deleted replica set", async () => {
    const f = fixture(replicaSet(3));
    await f.controller.sync("ns/web");
    f.rsInformer.remove(replicaSet(3));
    assert.equal(f.controller.expectations.pending("ns/web"), undefined);
    f.api.clearActions();
    await f.controller.sync("ns/web");
    assert.deepEqual(f.api.summary(), []);
  });
});

function listPods(api: FakeApi): PodObject[] {
  return api
    .actions()
    .filter((a) => a.verb === "create" && a.resource === "pods")
    .map((a) => api.find(podsPath, a.name) as PodObject)
    .filter(Boolean);
}
