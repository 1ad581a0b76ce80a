import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, ResourceInfo } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeApi, FakeInformer } from "../garbage-collector/testing/index.js";
import { NamespaceController, deletableNamespacedResources, namespacesRef } from "./namespace-controller.js";

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
function resource(group: string, plural: string, kind: string, namespaced: boolean, resourceVerbs = verbs): ResourceInfo {
  return {
    group, version: "v1", kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(),
    namespaced, shortNames: [], categories: [], verbs: resourceVerbs, subresources: {},
  };
}
const configmaps = resource("", "configmaps", "ConfigMap", true);
const secrets = resource("", "secrets", "Secret", true);
const deployments = resource("apps", "deployments", "Deployment", true);
const namespaces = resource("", "namespaces", "Namespace", false);
/** A resource that can be deleted one by one but offers no deletecollection. */
const widgets = resource("example.com", "widgets", "Widget", true, ["delete", "get", "list", "watch"]);
const bindings = resource("", "bindings", "Binding", true, ["create"]);

function ns(name: string, terminating: boolean): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name, uid: `uid-${name}`, ...(terminating ? { deletionTimestamp: "2024-01-01T00:00:00Z" } : {}) },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: terminating ? "Terminating" : "Active" },
  };
}

function obj(kind: string, name: string, namespace: string, meta: Partial<KubeObject["metadata"]> = {}): KubeObject {
  return { kind, metadata: { name, namespace, uid: `uid-${kind}-${name}`, ...meta } };
}

function fixture() {
  const api = new FakeApi();
  const informer = new FakeInformer({ group: "", plural: "namespaces" });
  const controller = new NamespaceController(api.client, [configmaps, secrets, deployments, namespaces, widgets, bindings], {
    recheckMs: 1000,
    newInformer: () => informer as unknown as Informer<KubeObject>,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((key) => enqueued.push(key), (key, ms) => delayed.push([key, ms]));
  return {
    api,
    controller,
    informer,
    enqueued,
    delayed,
    seedNamespace(n: KubeObject) {
      informer.add(api.seed(namespacesRef, n));
    },
    /** `METHOD path` of every write. */
    writes: () => api.actions().map((a) => `${a.verb} ${a.path}`),
  };
}

describe("deletableNamespacedResources", () => {
  it("keeps namespaced resources that can be listed and deleted", () => {
    assert.deepEqual(
      deletableNamespacedResources([configmaps, namespaces, bindings, widgets, { ...configmaps, version: "v2" }]).map((r) => r.plural),
      ["configmaps", "widgets"],
    );
  });
});

describe("NamespaceController", () => {
  it("ignores a namespace that is not being deleted", async () => {
    const f = fixture();
    f.seedNamespace(ns("live", false));
    f.api.seed(configmaps, obj("ConfigMap", "a", "live"));
    assert.deepEqual(f.enqueued, []);
    await f.controller.sync("live");
    assert.deepEqual(f.writes(), []);
  });

  it("deletes the content of a terminating namespace, and only that namespace's", async () => {
    const f = fixture();
    f.seedNamespace(ns("doomed", true));
    assert.deepEqual(f.enqueued, ["doomed"]);
    f.api.seed(configmaps, obj("ConfigMap", "a", "doomed"));
    f.api.seed(configmaps, obj("ConfigMap", "b", "doomed"));
    f.api.seed(configmaps, obj("ConfigMap", "kept", "other"));
    f.api.seed(deployments, obj("Deployment", "web", "doomed"));
    f.api.seed(widgets, obj("Widget", "w", "doomed"));
    await f.controller.sync("doomed");
    assert.deepEqual(f.writes(), [
      "deletecollection /api/v1/namespaces/doomed/configmaps",
      "deletecollection /apis/apps/v1/namespaces/doomed/deployments",
      // No deletecollection verb: one delete per object.
      "delete /apis/example.com/v1/namespaces/doomed/widgets/w",
      // Everything is gone: the finalizer goes (no /finalize route here, so a patch follows).
      "update /api/v1/namespaces/doomed/finalize",
      "patch /api/v1/namespaces/doomed",
    ]);
    assert.equal(f.api.find(namespacesRef, "doomed"), undefined);
    assert.ok(f.api.find(configmaps, "other/kept"), "other namespaces are untouched");
    assert.equal(f.api.find(configmaps, "doomed/a"), undefined);
    assert.equal(f.api.find(widgets, "doomed/w"), undefined);
  });

  it("keeps the finalizer and looks again later while content remains", async () => {
    const f = fixture();
    f.seedNamespace(ns("doomed", true));
    f.api.seed(secrets, obj("Secret", "s", "doomed", { finalizers: ["example.com/hold"] }));
    await f.controller.sync("doomed");
    assert.deepEqual(f.writes(), ["deletecollection /api/v1/namespaces/doomed/secrets"]);
    assert.deepEqual(f.delayed, [["doomed", 1000]]);
    assert.deepEqual((f.api.find(namespacesRef, "doomed")?.["spec"] as { finalizers: string[] }).finalizers, ["kubernetes"]);
  });

  it("finalizes an empty namespace through /finalize when the server routes it", async () => {
    const f = fixture();
    f.seedNamespace(ns("empty", true));
    let finalized: unknown;
    f.api.override = (req) => {
      if (req.method !== "PUT" || !req.path.endsWith("/finalize")) return undefined;
      finalized = JSON.parse(req.body as string);
      return { status: 200, body: finalized };
    };
    await f.controller.sync("empty");
    assert.deepEqual(f.writes(), ["update /api/v1/namespaces/empty/finalize"]);
    assert.deepEqual((finalized as { spec: unknown }).spec, { finalizers: [] });
    assert.deepEqual(f.delayed, []);
  });

  it("falls back to a merge patch of the namespace when /finalize is not routed", async () => {
    const f = fixture();
    f.seedNamespace(ns("empty", true));
    await f.controller.sync("empty");
    const actions = f.api.actions();
    assert.deepEqual(actions.map((a) => `${a.verb} ${a.path}`), [
      "update /api/v1/namespaces/empty/finalize",
      "patch /api/v1/namespaces/empty",
    ]);
    assert.deepEqual(actions[1]!.body, { metadata: { resourceVersion: "101" }, spec: { finalizers: null } });
    assert.equal(f.api.find(namespacesRef, "empty"), undefined);
  });

  it("fails the sync when the server keeps the finalizer", async () => {
    const f = fixture();
    f.seedNamespace(ns("stuck", true));
    f.api.override = (req) =>
      req.method === "PATCH" ? { status: 200, body: f.api.find(namespacesRef, "stuck") } : undefined;
    await assert.rejects(f.controller.sync("stuck"), /kept the "kubernetes" finalizer/);
  });

  it("does nothing for a namespace already finalized or gone", async () => {
    const f = fixture();
    const finalized = ns("done", true);
    finalized["spec"] = { finalizers: [] };
    f.seedNamespace(finalized);
    await f.controller.sync("done");
    await f.controller.sync("missing");
    assert.deepEqual(f.writes(), []);
  });

  it("tries every resource when one fails, then reports the failure", async () => {
    const f = fixture();
    f.seedNamespace(ns("doomed", true));
    f.api.seed(configmaps, obj("ConfigMap", "a", "doomed"));
    f.api.seed(deployments, obj("Deployment", "web", "doomed"));
    f.api.override = (req) =>
      req.method === "DELETE" && req.path.endsWith("/configmaps")
        ? { status: 500, body: { kind: "Status", reason: "InternalError", code: 500, message: "boom" } }
        : undefined;
    await assert.rejects(f.controller.sync("doomed"), /boom/);
    assert.equal(f.api.find(deployments, "doomed/web"), undefined);
    assert.ok(f.api.find(namespacesRef, "doomed"));
  });
});
