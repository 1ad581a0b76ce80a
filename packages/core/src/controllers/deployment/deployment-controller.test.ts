import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, PodTemplateSpec } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeClock } from "../../util/index.js";
import { EventRecorder, newControllerRef } from "../shared/index.js";
import { FakeApi, FakeInformer } from "../shared/testing/index.js";
import { DeploymentController, type DeploymentObject } from "./deployment-controller.js";
import type { ReplicaSetObject } from "./deployment-controller.js";
import { computeHash, podTemplateHashLabel } from "./pod-template-hash.js";

const dPath = "/apis/apps/v1/namespaces/ns/deployments";
const rsPath = "/apis/apps/v1/namespaces/ns/replicasets";
const start = Date.parse("2024-05-01T12:00:00Z");

const template = (image: string): PodTemplateSpec => ({ metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image }] } });

function deployment(image: string, spec: Partial<NonNullable<DeploymentObject["spec"]>> = {}, status?: DeploymentObject["status"], revision?: number): DeploymentObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { namespace: "ns", name: "web", uid: "d-uid", generation: 1, ...(revision ? { annotations: { "deployment.kubernetes.io/revision": String(revision) } } : {}) },
    spec: { replicas: 4, selector: { matchLabels: { app: "web" } }, template: template(image), progressDeadlineSeconds: 600, revisionHistoryLimit: 10, ...spec },
    ...(status ? { status } : {}),
  };
}
const dRef = newControllerRef(deployment("x"), "apps/v1", "Deployment");

function replicaSet(image: string, revision: number, replicas: number, available: number, ageMs: number, desired = 4): ReplicaSetObject {
  const hash = computeHash(template(image));
  const t = template(image);
  t.metadata!.labels![podTemplateHashLabel] = hash;
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: {
      namespace: "ns",
      name: `web-${hash}`,
      uid: `rs-${image}`,
      generation: 1,
      resourceVersion: "3",
      creationTimestamp: new Date(start - ageMs).toISOString(),
      labels: { ...t.metadata!.labels },
      annotations: {
        "deployment.kubernetes.io/revision": String(revision),
        "deployment.kubernetes.io/desired-replicas": String(desired),
        "deployment.kubernetes.io/max-replicas": String(desired + Math.ceil(desired / 4)),
      },
      ownerReferences: [dRef],
    },
    spec: { replicas, selector: { matchLabels: { app: "web", [podTemplateHashLabel]: hash } }, template: t },
    status: { replicas, readyReplicas: available, availableReplicas: available, observedGeneration: 1 },
  };
}

function withStatus(rs: ReplicaSetObject, status: ReplicaSetObject["status"]): ReplicaSetObject {
  return { ...rs, status };
}

function fixture(d: DeploymentObject, sets: ReplicaSetObject[] = []) {
  const api = new FakeApi();
  const clock = new FakeClock(start);
  const informers = { deployments: new FakeInformer<KubeObject>(), replicasets: new FakeInformer<KubeObject>(), pods: new FakeInformer<KubeObject>() };
  const recorder = new EventRecorder(api.client, "deployment-controller", clock);
  const controller = new DeploymentController(api.client, {
    clock,
    recorder,
    newInformer: (ref) => informers[ref.plural as keyof typeof informers] as unknown as Informer<KubeObject>,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((k) => enqueued.push(k), (k, ms) => delayed.push([k, ms]));
  api.seed(dPath, d);
  informers.deployments.seed(d);
  for (const rs of sets) {
    api.seed(rsPath, rs);
    informers.replicasets.seed(rs);
  }
  const rsWrites = () =>
    api
      .actions()
      .filter((a) => a.resource === "replicasets" && a.verb !== "patch")
      .map((a) => `${a.verb} ${a.verb === "create" ? a.name : a.name}${a.verb === "delete" ? "" : ` replicas=${(a.body?.["spec"] as { replicas: number }).replicas}`}`);
  const events = async () => {
    await recorder.flush();
    return api.actions({ events: true }).filter((a) => a.resource === "events").map((a) => String(a.body!["message"]));
  };
  const lastStatus = () => [...api.actions()].reverse().find((a) => a.subresource === "status")?.body?.["status"] as DeploymentObject["status"];
  return { api, clock, controller, informers, enqueued, delayed, rsWrites, events, lastStatus };
}

describe("DeploymentController", () => {
  it("first sync creates the replica set named by the template hash, revision 1, all replicas at once", async () => {
    const f = fixture(deployment("nginx:1"));
    await f.controller.sync("ns/web");
    const hash = computeHash(template("nginx:1"));
    const create = f.api.actions().find((a) => a.verb === "create" && a.resource === "replicasets")!;
    const rs = create.body as unknown as ReplicaSetObject;
    assert.equal(rs.metadata.name, `web-${hash}`);
    assert.deepEqual(rs.metadata.labels, { app: "web", [podTemplateHashLabel]: hash });
    assert.deepEqual(rs.spec!.selector.matchLabels, { app: "web", [podTemplateHashLabel]: hash });
    assert.deepEqual(rs.spec!.template!.metadata!.labels, { app: "web", [podTemplateHashLabel]: hash });
    assert.deepEqual(rs.metadata.ownerReferences, [dRef]);
    assert.deepEqual(rs.metadata.annotations, {
      "deployment.kubernetes.io/revision": "1",
      "deployment.kubernetes.io/desired-replicas": "4",
      "deployment.kubernetes.io/max-replicas": "5",
    });
    assert.equal(rs.spec!.replicas, 4);
    const patch = f.api.actions().find((a) => a.resource === "deployments" && a.verb === "patch")!;
    assert.deepEqual((patch.body!.metadata as { annotations: unknown }).annotations, { "deployment.kubernetes.io/revision": "1" });
    const status = f.lastStatus()!;
    assert.deepEqual(
      status.conditions!.map((c) => [c.type, c.status, c.reason]).sort(),
      [["Available", "False", "MinimumReplicasUnavailable"], ["Progressing", "True", "NewReplicaSetCreated"]],
    );
    assert.equal(status.observedGeneration, 1);
    assert.deepEqual(await f.events(), [`Scaled up replica set web-${hash} to 4`]);
  });

  it("a template change creates revision 2 and takes one rolling step within maxSurge and maxUnavailable", async () => {
    const old = replicaSet("nginx:1", 1, 4, 4, 60_000);
    const f = fixture(deployment("nginx:2", {}, { replicas: 4, updatedReplicas: 4, availableReplicas: 4, readyReplicas: 4, observedGeneration: 1 }, 1), [old]);
    await f.controller.sync("ns/web");
    const newName = `web-${computeHash(template("nginx:2"))}`;
    assert.deepEqual(f.rsWrites(), [`create ${newName} replicas=1`, `update ${old.metadata.name} replicas=3`]);
    const created = f.api.actions().find((a) => a.verb === "create")!.body!;
    assert.equal(created.metadata.annotations!["deployment.kubernetes.io/revision"], "2");
    const scaledDown = f.api.find(rsPath, old.metadata.name!)!;
    assert.equal(scaledDown.metadata.annotations!["deployment.kubernetes.io/revision"], "1");
    assert.deepEqual(await f.events(), [`Scaled up replica set ${newName} to 1`, `Scaled down replica set ${old.metadata.name} to 3`]);
  });

  it("does not scale old pods down past maxUnavailable while the new ones are not available", async () => {
    const old = replicaSet("nginx:1", 1, 3, 3, 60_000);
    const next = replicaSet("nginx:2", 2, 1, 0, 1_000);
    const f = fixture(deployment("nginx:2", {}, undefined, 2), [old, next]);
    await f.controller.sync("ns/web");
    // 4 pods wanted, 5 allowed (surge 1): the new set grows to 2; the 3 available old pods are the minimum and stay.
    assert.deepEqual(f.rsWrites(), [`update ${next.metadata.name} replicas=2`]);

    const atSurge = replicaSet("nginx:2", 2, 2, 0, 1_000);
    const g = fixture(deployment("nginx:2", {}, undefined, 2), [old, atSurge]);
    await g.controller.sync("ns/web");
    assert.deepEqual(g.rsWrites(), []);
  });

  it("Recreate scales the old set to zero, waits for its pods, then creates the new set at full size", async () => {
    const strategy = { type: "Recreate" } as const;
    const old = replicaSet("nginx:1", 1, 4, 4, 60_000);
    const f = fixture(deployment("nginx:2", { strategy }, undefined, 1), [old]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.rsWrites(), [`update ${old.metadata.name} replicas=0`]);

    const drained = withStatus(replicaSet("nginx:1", 1, 0, 0, 60_000), { replicas: 0, observedGeneration: 1 });
    const g = fixture(deployment("nginx:2", { strategy }, undefined, 1), [drained]);
    g.informers.pods.seed({ apiVersion: "v1", kind: "Pod", metadata: { namespace: "ns", name: "p", uid: "p", ownerReferences: [newControllerRef(drained, "apps/v1", "ReplicaSet")] }, status: { phase: "Running" } });
    await g.controller.sync("ns/web");
    assert.deepEqual(g.rsWrites(), [], "an old pod is still running");

    const h = fixture(deployment("nginx:2", { strategy }, undefined, 1), [drained]);
    await h.controller.sync("ns/web");
    assert.deepEqual(h.rsWrites(), [`create web-${computeHash(template("nginx:2"))} replicas=4`]);
  });

  it("a paused deployment does not roll out a new template, and says so", async () => {
    const old = replicaSet("nginx:1", 1, 4, 4, 60_000);
    const f = fixture(deployment("nginx:2", { paused: true }, undefined, 1), [old]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.rsWrites(), []);
    const progressing = f.lastStatus()!.conditions!.find((c) => c.type === "Progressing")!;
    assert.deepEqual([progressing.status, progressing.reason], ["Unknown", "DeploymentPaused"]);
  });

  it("scales proportionally when replicas change: the single active set goes to the new size", async () => {
    const current = replicaSet("nginx:1", 1, 4, 4, 60_000);
    const f = fixture(deployment("nginx:1", { replicas: 6 }, undefined, 1), [current]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.rsWrites(), [`update ${current.metadata.name} replicas=6`]);
    assert.equal(f.api.find(rsPath, current.metadata.name!)!.metadata.annotations!["deployment.kubernetes.io/desired-replicas"], "6");
  });

  it("scales proportionally across sets in the middle of a rollout", async () => {
    // replicas 10 → 20 while an old set has 8 and a new one 5 (max 13 = 10 + 25% surge).
    const old = replicaSet("nginx:1", 1, 8, 8, 60_000, 10);
    const next = replicaSet("nginx:2", 2, 5, 0, 1_000, 10);
    const f = fixture(deployment("nginx:2", { replicas: 20 }, { replicas: 13 }, 2), [old, next]);
    await f.controller.sync("ns/web");
    // Allowed 25, have 13: +12 split 8:5 of 13 → +7 and +5 (rounding leftover to the largest).
    assert.deepEqual(f.rsWrites(), [`update ${old.metadata.name} replicas=15`, `update ${next.metadata.name} replicas=10`]);
  });

  it("deletes the oldest unused sets beyond revisionHistoryLimit once complete", async () => {
    const sets = [1, 2, 3].map((rev) => withStatus(replicaSet(`nginx:${rev}`, rev, 0, 0, 100_000 - rev * 1000), { replicas: 0, observedGeneration: 1 }));
    const current = replicaSet("nginx:4", 4, 4, 4, 1_000);
    const complete = { replicas: 4, updatedReplicas: 4, availableReplicas: 4, readyReplicas: 4, observedGeneration: 1 };
    const f = fixture(deployment("nginx:4", { revisionHistoryLimit: 1 }, complete, 4), [...sets, current]);
    await f.controller.sync("ns/web");
    assert.deepEqual(f.rsWrites(), [`delete ${sets[0]!.metadata.name}`, `delete ${sets[1]!.metadata.name}`]);
  });

  it("a rollback reuses the old set with the old template and gives it the next revision", async () => {
    const first = replicaSet("nginx:1", 1, 0, 0, 60_000);
    const second = replicaSet("nginx:2", 2, 4, 4, 30_000);
    const f = fixture(deployment("nginx:1", {}, { replicas: 4, updatedReplicas: 4, availableReplicas: 4, observedGeneration: 1 }, 2), [first, second]);
    await f.controller.sync("ns/web");
    assert.equal(f.api.actions().filter((a) => a.verb === "create" && a.resource === "replicasets").length, 0, "no new set");
    const reused = f.api.find(rsPath, first.metadata.name!)!;
    assert.equal(reused.metadata.annotations!["deployment.kubernetes.io/revision"], "3");
    assert.equal(reused.metadata.annotations!["deployment.kubernetes.io/revision-history"], "1");
    assert.equal(f.api.find(dPath, "web")!.metadata.annotations!["deployment.kubernetes.io/revision"], "3");
    // The revision bump, then one step up (within surge); the old set comes down in a later sync, as upstream.
    assert.deepEqual(f.rsWrites(), [`update ${first.metadata.name} replicas=0`, `update ${first.metadata.name} replicas=1`]);
  });

  it("adopts an orphan replica set that matches its selector", async () => {
    const orphan = replicaSet("nginx:1", 1, 4, 4, 60_000);
    orphan.metadata.ownerReferences = undefined;
    const d = deployment("nginx:1", {}, undefined, 1);
    const f = fixture(d);
    f.api.seed(rsPath, orphan);
    f.informers.replicasets.add(orphan);
    assert.deepEqual(f.enqueued, ["ns/web"]);
    await f.controller.sync("ns/web");
    assert.equal(f.api.summary()[0], `patch replicasets ns/${orphan.metadata.name}`);
    assert.equal(f.rsWrites().filter((w) => w.startsWith("create")).length, 0);
  });

  it("marks a rollout that made no progress before its deadline as timed out", async () => {
    const next = withStatus(replicaSet("nginx:2", 2, 4, 0, 1_000), { replicas: 4, observedGeneration: 1 });
    const stuckSince = new Date(start - 700_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const status = {
      replicas: 4, updatedReplicas: 4, readyReplicas: 0, availableReplicas: 0, unavailableReplicas: 4, observedGeneration: 1,
      conditions: [
        { type: "Available", status: "False", reason: "MinimumReplicasUnavailable", message: "Deployment does not have minimum availability.", lastUpdateTime: stuckSince, lastTransitionTime: stuckSince },
        { type: "Progressing", status: "True", reason: "ReplicaSetUpdated", message: "x", lastUpdateTime: stuckSince, lastTransitionTime: stuckSince },
      ],
    };
    const f = fixture(deployment("nginx:2", {}, status, 2), [next]);
    await f.controller.sync("ns/web");
    const progressing = f.lastStatus()!.conditions!.find((c) => c.type === "Progressing")!;
    assert.deepEqual([progressing.status, progressing.reason], ["False", "ProgressDeadlineExceeded"]);
  });

  it("writes nothing when the deployment is complete and its status current", async () => {
    const current = replicaSet("nginx:1", 1, 4, 4, 60_000);
    const f = fixture(deployment("nginx:1", {}, undefined, 1), [current]);
    await f.controller.sync("ns/web");
    const written = f.api.find(dPath, "web")!;
    const g = fixture(written as DeploymentObject, [current]);
    await g.controller.sync("ns/web");
    assert.deepEqual(g.api.summary(), []);
  });
});
