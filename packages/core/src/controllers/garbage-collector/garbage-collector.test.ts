import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, OwnerReference, ResourceInfo } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { GarbageCollector, collectableResources } from "./garbage-collector.js";
import { formatObjectRef, parseObjectRef } from "./object-ref.js";
import { FakeApi, FakeInformer } from "./testing/index.js";

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
const configmaps: ResourceInfo = {
  group: "", version: "v1", kind: "ConfigMap", listKind: "ConfigMapList", plural: "configmaps", singular: "configmap",
  namespaced: true, shortNames: ["cm"], categories: [], verbs, subresources: {},
};
const deployments: ResourceInfo = {
  group: "apps", version: "v1", kind: "Deployment", listKind: "DeploymentList", plural: "deployments", singular: "deployment",
  namespaced: true, shortNames: ["deploy"], categories: ["all"], verbs, subresources: { status: true },
};
const namespaces: ResourceInfo = {
  group: "", version: "v1", kind: "Namespace", listKind: "NamespaceList", plural: "namespaces", singular: "namespace",
  namespaced: false, shortNames: ["ns"], categories: [], verbs, subresources: { status: true },
};
const bindings: ResourceInfo = { ...configmaps, kind: "Binding", plural: "bindings", verbs: ["create"] };

function ownerRef(owner: KubeObject, extra: Partial<OwnerReference> = {}): OwnerReference {
  return { apiVersion: owner.apiVersion!, kind: owner.kind!, name: owner.metadata.name!, uid: owner.metadata.uid!, ...extra };
}

function configMap(name: string, uid: string, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "default", uid, ...meta } };
}

function deployment(name: string, uid: string, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: "default", uid, ...meta } };
}

/** A collector over fake informers; `seed` puts an object in the API and in its informer's cache. */
function fixture() {
  const api = new FakeApi();
  const informers = new Map<string, FakeInformer>();
  const gc = new GarbageCollector(api.client, [configmaps, deployments, bindings], {
    newInformer: (info) => {
      const informer = new FakeInformer(info);
      informers.set(info.plural, informer);
      return informer as unknown as Informer<KubeObject>;
    },
  });
  const enqueued: string[] = [];
  gc.register((key) => enqueued.push(key));
  const refOf = (obj: KubeObject) => (obj.kind === "Deployment" ? deployments : configmaps);
  return {
    api,
    gc,
    enqueued,
    informers,
    seed(...objs: KubeObject[]) {
      for (const obj of objs) informers.get(refOf(obj).plural)!.add(api.seed(refOf(obj), obj));
    },
  };
}

const cmPath = (name: string) => `/api/v1/namespaces/default/configmaps/${name}`;
const deployPath = (name: string) => `/apis/apps/v1/namespaces/default/deployments/${name}`;

describe("object refs", () => {
  it("round-trips keys of core, grouped and cluster-scoped objects", () => {
    for (const ref of [
      { group: "", plural: "configmaps", namespace: "default", name: "a" },
      { group: "apps", plural: "deployments", namespace: "ns", name: "web" },
      { group: "", plural: "namespaces", namespace: "", name: "ns" },
    ]) {
      assert.deepEqual(parseObjectRef(formatObjectRef(ref)), ref);
    }
    assert.equal(parseObjectRef("configmaps/default/a"), undefined);
  });
});

describe("collectableResources", () => {
  it("keeps resources that can be listed, watched and deleted, once each", () => {
    assert.deepEqual(
      collectableResources([configmaps, bindings, namespaces, { ...configmaps, version: "v2" }]).map((r) => r.plural),
      ["configmaps", "namespaces"],
    );
  });
});

describe("GarbageCollector", () => {
  it("deletes in background a dependent whose owner is gone", async () => {
    const f = fixture();
    const owner = configMap("owner", "uid-owner");
    const dep = configMap("dep", "uid-dep", { ownerReferences: [ownerRef(owner)] });
    f.seed(dep);
    await f.gc.sync("/configmaps/default/dep");
    assert.deepEqual(f.api.actions(), [
      {
        verb: "delete",
        path: cmPath("dep"),
        body: {
          kind: "DeleteOptions",
          apiVersion: "v1",
          propagationPolicy: "Background",
          preconditions: { uid: "uid-dep", resourceVersion: "101" },
        },
      },
    ]);
    assert.equal(f.api.find(configmaps, "default/dep"), undefined);
  });

  it("treats an owner re-created under the same name (another uid) as gone", async () => {
    const f = fixture();
    const dep = configMap("dep", "uid-dep", { ownerReferences: [ownerRef(deployment("web", "uid-old"))] });
    f.seed(dep);
    f.api.seed(deployments, deployment("web", "uid-new")); // in the API, not yet in the cache
    await f.gc.sync("/configmaps/default/dep");
    assert.deepEqual(f.api.actions().map((a) => `${a.verb} ${a.path}`), [`delete ${cmPath("dep")}`]);
  });

  it("leaves alone a dependent whose owner is cached, or only missing from the cache", async () => {
    const f = fixture();
    const owner = deployment("web", "uid-web");
    const late = configMap("late", "uid-late");
    f.seed(owner, configMap("dep", "uid-dep", { ownerReferences: [ownerRef(owner)] }));
    f.api.seed(configmaps, late); // the API has it; the cache has not caught up
    f.seed(configMap("dep2", "uid-dep2", { ownerReferences: [ownerRef(late)] }));
    await f.gc.sync("/configmaps/default/dep");
    await f.gc.sync("/configmaps/default/dep2");
    assert.deepEqual(f.api.actions(), []);
  });

  it("never deletes on a guess: an owner of a kind it does not watch counts as present", async () => {
    const f = fixture();
    f.seed(configMap("dep", "uid-dep", { ownerReferences: [{ apiVersion: "example.com/v1", kind: "Widget", name: "w", uid: "uid-w" }] }));
    await f.gc.sync("/configmaps/default/dep");
    assert.deepEqual(f.api.actions(), []);
  });

  it("drops only the dangling reference when another owner is still there", async () => {
    const f = fixture();
    const live = deployment("web", "uid-web");
    const gone = configMap("gone", "uid-gone");
    f.seed(live, configMap("dep", "uid-dep", { ownerReferences: [ownerRef(gone), ownerRef(live)] }));
    await f.gc.sync("/configmaps/default/dep");
    assert.deepEqual(f.api.actions(), [
      { verb: "patch", path: cmPath("dep"), body: { metadata: { ownerReferences: [ownerRef(live)], resourceVersion: "102" } } },
    ]);
    assert.deepEqual(f.api.find(configmaps, "default/dep")?.metadata.ownerReferences, [ownerRef(live)]);
  });

  it("orphan: removes the owner's reference from every dependent, then the orphan finalizer", async () => {
    const f = fixture();
    const owner = deployment("web", "uid-web", { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["orphan"] });
    const other = configMap("other", "uid-other");
    f.seed(
      owner,
      other,
      configMap("a", "uid-a", { ownerReferences: [ownerRef(owner)] }),
      configMap("b", "uid-b", { ownerReferences: [ownerRef(owner), ownerRef(other)] }),
    );
    await f.gc.sync("apps/deployments/default/web");
    const actions = f.api.actions();
    assert.deepEqual(
      actions.map((a) => `${a.verb} ${a.path}`),
      [`patch ${cmPath("a")}`, `patch ${cmPath("b")}`, `patch ${deployPath("web")}`],
    );
    assert.deepEqual((actions[0]!.body as { metadata: object }).metadata, { ownerReferences: null, resourceVersion: "103" });
    assert.deepEqual((actions[1]!.body as { metadata: object }).metadata, { ownerReferences: [ownerRef(other)], resourceVersion: "104" });
    assert.deepEqual((actions[2]!.body as { metadata: object }).metadata, { finalizers: null, resourceVersion: "101" });
    // Both dependents survive without the owner; the owner is gone.
    assert.equal(f.api.find(configmaps, "default/a")?.metadata.ownerReferences, undefined);
    assert.ok(f.api.find(configmaps, "default/b"));
    assert.equal(f.api.find(deployments, "default/web"), undefined);
  });

  it("orphan: keeps the owner's other finalizers", async () => {
    const f = fixture();
    f.seed(deployment("web", "uid-web", { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["example.com/keep", "orphan"] }));
    await f.gc.sync("apps/deployments/default/web");
    assert.deepEqual(f.api.actions(), [
      { verb: "patch", path: deployPath("web"), body: { metadata: { finalizers: ["example.com/keep"], resourceVersion: "101" } } },
    ]);
  });

  it("foreground: deletes the dependents in foreground and keeps the owner's finalizer while any remain", async () => {
    const f = fixture();
    const owner = deployment("web", "uid-web", { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["foregroundDeletion"] });
    f.seed(
      owner,
      configMap("a", "uid-a", { ownerReferences: [ownerRef(owner, { blockOwnerDeletion: true })] }),
      configMap("b", "uid-b", { ownerReferences: [ownerRef(owner)], deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["x"] }),
    );
    await f.gc.sync("apps/deployments/default/web");
    assert.deepEqual(f.api.actions(), [
      {
        verb: "delete",
        path: cmPath("a"),
        body: { kind: "DeleteOptions", apiVersion: "v1", propagationPolicy: "Foreground", preconditions: { uid: "uid-a", resourceVersion: "102" } },
      },
    ]);
    assert.ok(f.api.find(deployments, "default/web"), "the owner waits for its dependents");
  });

  it("foreground: removes the finalizer once no dependent remains", async () => {
    const f = fixture();
    const owner = deployment("web", "uid-web", { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["foregroundDeletion"] });
    const dep = configMap("a", "uid-a", { ownerReferences: [ownerRef(owner)] });
    f.seed(owner, dep);
    f.informers.get("configmaps")!.remove(dep);
    assert.ok(f.enqueued.includes("apps/deployments/default/web"), "a dependent's delete brings its owner back");
    await f.gc.sync("apps/deployments/default/web");
    assert.deepEqual(f.api.actions(), [
      { verb: "patch", path: deployPath("web"), body: { metadata: { finalizers: null, resourceVersion: "101" } } },
    ]);
    assert.equal(f.api.find(deployments, "default/web"), undefined);
  });

  it("foreground: a dependent with another live owner only loses the reference", async () => {
    const f = fixture();
    const owner = deployment("web", "uid-web", { deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["foregroundDeletion"] });
    const other = configMap("other", "uid-other");
    f.seed(owner, other, configMap("a", "uid-a", { ownerReferences: [ownerRef(owner), ownerRef(other)] }));
    await f.gc.sync("apps/deployments/default/web");
    assert.deepEqual(f.api.actions(), [
      { verb: "patch", path: cmPath("a"), body: { metadata: { ownerReferences: [ownerRef(other)], resourceVersion: "103" } } },
    ]);
  });

  it("does not collect a dependent whose live object no longer names the owner (stale cache)", async () => {
    const f = fixture();
    const gone = configMap("gone", "uid-gone");
    f.seed(configMap("dep", "uid-dep", { ownerReferences: [ownerRef(gone)] }));
    // The orphaning patch reached the API, not yet the cache.
    await f.api.client.patch(configmaps, "dep", "merge", { metadata: { ownerReferences: null } }, { namespace: "default" });
    f.api.transport.requests.length = 0;
    await f.gc.sync("/configmaps/default/dep");
    assert.deepEqual(f.api.actions(), []);
    assert.ok(f.api.find(configmaps, "default/dep"));
  });

  it("enqueues dependents when their owner is deleted, and ignores objects without owners", () => {
    const f = fixture();
    const owner = deployment("web", "uid-web");
    f.seed(owner, configMap("plain", "uid-plain"), configMap("dep", "uid-dep", { ownerReferences: [ownerRef(owner)] }));
    assert.deepEqual(f.enqueued, ["/configmaps/default/dep", "apps/deployments/default/web"]);
    f.enqueued.length = 0;
    f.informers.get("deployments")!.remove(owner);
    assert.deepEqual(f.enqueued, ["/configmaps/default/dep"]);
  });

  it("ignores keys of objects it does not have cached", async () => {
    const f = fixture();
    await f.gc.sync("/configmaps/default/missing");
    await f.gc.sync("garbage");
    assert.deepEqual(f.api.actions(), []);
  });
});
