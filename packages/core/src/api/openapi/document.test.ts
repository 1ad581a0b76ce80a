import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import {
  customResourceSchema,
  definitionNameFor,
  openApiV3Document,
  openApiV3DocumentHash,
  openApiV3Index,
} from "./document.js";
import { sha512Hex } from "./sha512.js";
import type { ResourceInfo } from "../resource-info.js";
import { standardVerbs } from "../resource-info.js";

type Any = Record<string, any>;

function resource(r: Partial<ResourceInfo> & Pick<ResourceInfo, "group" | "version" | "kind" | "plural">): ResourceInfo {
  return {
    listKind: `${r.kind}List`,
    singular: r.kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    categories: [],
    verbs: standardVerbs,
    subresources: {},
    ...r,
  };
}

const pods = resource({ group: "", version: "v1", kind: "Pod", plural: "pods", subresources: { status: true } });
const namespaces = resource({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false });
const deployments = resource({
  group: "apps",
  version: "v1",
  kind: "Deployment",
  plural: "deployments",
  subresources: { status: true, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
});

/** What kubectl's `--validate=strict` looks for (notes/kubectl.md §0.3). */
function patchOperationFor(doc: Any, gvk: { group: string; version: string; kind: string }): Any | undefined {
  for (const item of Object.values(doc.paths as Any)) {
    const op = (item as Any).patch;
    const tag = op?.["x-kubernetes-group-version-kind"];
    if (tag && tag.group === gvk.group && tag.version === gvk.version && tag.kind === gvk.kind) return op;
  }
  return undefined;
}

test("core/v1: the Pod PATCH lists fieldValidation, and explain finds Container with its merge key", () => {
  const doc = openApiV3Document("", "v1", [pods, namespaces, deployments]) as Any;
  const patch = patchOperationFor(doc, { group: "", version: "v1", kind: "Pod" });
  assert.ok(patch, "a PATCH operation tagged with Pod's GVK");
  assert.ok(patch.parameters.some((p: Any) => p.name === "fieldValidation" && p.in === "query"));
  assert.ok(patchOperationFor(doc, { group: "", version: "v1", kind: "Namespace" }));
  for (const [path, item] of Object.entries(doc.paths as Any)) {
    for (const verb of ["post", "put", "patch"]) {
      const op = (item as Any)[verb];
      if (!op) continue;
      const names = op.parameters.map((p: Any) => p.name);
      for (const required of ["fieldValidation", "fieldManager", "dryRun"]) {
        assert.ok(names.includes(required), `${verb} ${path} lists ${required}`);
      }
    }
  }
  const schemas = doc.components.schemas as Any;
  const podSchema = schemas["io.k8s.api.core.v1.Pod"];
  assert.deepEqual(podSchema["x-kubernetes-group-version-kind"], [{ group: "", kind: "Pod", version: "v1" }]);
  const containers = schemas["io.k8s.api.core.v1.PodSpec"].properties.containers;
  assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
  assert.equal(containers["x-kubernetes-patch-strategy"], "merge");
  assert.equal(containers.items.$ref, "#/components/schemas/io.k8s.api.core.v1.Container");
  assert.ok(schemas["io.k8s.api.core.v1.Container"].description);
  assert.equal(schemas["io.k8s.api.core.v1.Container"].properties.image.type, "string");
  assert.ok(schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
  assert.equal(schemas["io.k8s.api.apps.v1.Deployment"], undefined, "other groups' kinds stay out");
});

test("paths: namespaced collection, item, all-namespaces list and subresources", () => {
  const doc = openApiV3Document("apps", "v1", [deployments, pods]) as Any;
  assert.deepEqual(Object.keys(doc.paths), [
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/namespaces/{namespace}/deployments",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
    "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/status",
  ]);
  const item = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"];
  assert.deepEqual(Object.keys(item).filter((k) => k !== "parameters").sort(), ["delete", "get", "patch", "put"]);
  assert.equal(item.patch["x-kubernetes-action"], "patch");
  assert.equal(item.patch.operationId, "patchAppsV1NamespacedDeployment");
  const scale = doc.paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale"];
  assert.deepEqual(scale.patch["x-kubernetes-group-version-kind"], { group: "autoscaling", kind: "Scale", version: "v1" });
  assert.ok(doc.components.schemas["io.k8s.api.autoscaling.v1.Scale"]);
  assert.ok(doc.components.schemas["io.k8s.api.apps.v1.DeploymentList"]);
  const strategy = doc.components.schemas["io.k8s.api.apps.v1.DeploymentSpec"].properties.strategy;
  assert.equal(strategy["x-kubernetes-patch-strategy"], "retainKeys");
});

test("custom resources: named like upstream, with type meta and merge patch only", () => {
  const gvk = { group: "stable.example.com", version: "v1", kind: "CronTab" };
  const name = definitionNameFor(gvk);
  assert.equal(name, "com.example.stable.v1.CronTab");
  const crontabs = resource({ ...gvk, plural: "crontabs" });
  const schema = customResourceSchema(gvk, { type: "object", properties: { spec: { type: "object", properties: { cronSpec: { type: "string" } } } } });
  const doc = openApiV3Document(gvk.group, gvk.version, [crontabs], { [name]: schema }) as Any;
  const s = doc.components.schemas[name];
  assert.deepEqual(Object.keys(s.properties), ["apiVersion", "kind", "metadata", "spec"]);
  assert.deepEqual(s["x-kubernetes-group-version-kind"], [gvk]);
  assert.ok(doc.components.schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"]);
  assert.ok(doc.components.schemas[`${name}List`]);
  const patch = patchOperationFor(doc, gvk)!;
  assert.equal("application/strategic-merge-patch+json" in patch.requestBody.content, false);
  assert.ok(patch.parameters.some((p: Any) => p.name === "fieldValidation"));
});

test("documents and the index are deterministic; hashes are upper-case SHA-512", () => {
  const a = openApiV3Document("", "v1", [pods, namespaces]);
  const b = openApiV3Document("", "v1", [namespaces, pods]);
  assert.equal(JSON.stringify(a), JSON.stringify(b));
  const hash = openApiV3DocumentHash(a);
  assert.equal(hash, createHash("sha512").update(JSON.stringify(a)).digest("hex").toUpperCase());
  const index = openApiV3Index([
    { group: "apps", version: "v1", document: openApiV3Document("apps", "v1", [deployments]) },
    { group: "", version: "v1", document: a },
  ]) as Any;
  assert.deepEqual(Object.keys(index.paths), ["api/v1", "apis/apps/v1"]);
  assert.equal(index.paths["api/v1"].serverRelativeURL, `/openapi/v3/api/v1?hash=${hash}`);
});

test("sha512Hex matches node:crypto across block boundaries and non-ASCII text", () => {
  for (const s of ["", "abc", "a".repeat(111), "a".repeat(112), "a".repeat(239), "ünïcödé ✓".repeat(50)]) {
    assert.equal(sha512Hex(s), createHash("sha512").update(s).digest("hex"));
  }
});
