import { test } from "node:test";
import assert from "node:assert/strict";
import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";
import type { KubeObject } from "../../api/object.js";
import { formatFieldError } from "../../api/errors.js";
import { crdStrategies } from "./crd-strategy.js";
import { evaluateJsonPath } from "./json-path.js";
import { strategyFor } from "./registry.js";

const now = Date.parse("2024-01-01T00:05:00Z");

function crd(): CustomResourceDefinition {
  return {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: "widgets.example.com" },
    spec: {
      group: "example.com",
      scope: "Namespaced",
      names: { plural: "widgets", singular: "widget", kind: "Widget", shortNames: ["wd"], categories: ["all"] },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          subresources: { status: {}, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
          additionalPrinterColumns: [
            { name: "Color", type: "string", jsonPath: ".spec.color" },
            { name: "Replicas", type: "integer", jsonPath: ".spec.replicas" },
            { name: "First", type: "string", jsonPath: ".spec.items[0].name", priority: 1 },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
          selectableFields: [{ jsonPath: ".spec.color" }],
        },
        { name: "v1beta1", served: true, storage: false },
        { name: "v1alpha1", served: false, storage: false },
      ],
    },
  };
}

const widget = (): KubeObject => ({
  apiVersion: "example.com/v1",
  kind: "Widget",
  metadata: { name: "w", namespace: "default", creationTimestamp: "2024-01-01T00:00:00Z", generation: 1 },
  spec: { color: "red", replicas: 2, items: [{ name: "first" }] },
  status: { replicas: 1 },
});

test("one entry per served version with ResourceInfo from the CRD", () => {
  const versions = crdStrategies(crd());
  assert.deepEqual(versions.map((v) => [v.version, v.storage]), [["v1", true], ["v1beta1", false]]);
  const r = versions[0]!.resource;
  assert.deepEqual(
    { ...r },
    {
      group: "example.com", version: "v1", kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget",
      namespaced: true, shortNames: ["wd"], categories: ["all"],
      verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
      subresources: { status: true, scale: { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" } },
    },
  );
  assert.deepEqual(versions[1]!.resource.subresources, {});
});

test("printer columns and cells follow additionalPrinterColumns", () => {
  const s = crdStrategies(crd())[0]!.strategy;
  assert.deepEqual(s.columns.map((c) => [c.name, c.type, c.priority]), [
    ["Name", "string", 0], ["Color", "string", 0], ["Replicas", "integer", 0], ["First", "string", 1], ["Age", "date", 0],
  ]);
  assert.deepEqual(s.row(widget(), now), ["w", "red", 2, "first", "5m"]);
  const noColor = widget();
  delete (noColor.spec as Record<string, unknown>).color;
  assert.equal(s.row(noColor, now)[1], null);
});

test("default columns are Name and Age", () => {
  const s = crdStrategies(crd())[1]!.strategy;
  assert.deepEqual(s.columns.map((c) => c.name), ["Name", "Age"]);
  assert.deepEqual(s.row(widget(), now), ["w", "5m"]);
});

test("selectable fields include spec.selectableFields", () => {
  const s = crdStrategies(crd())[0]!.strategy;
  assert.deepEqual(s.selectableFields(widget()), { "metadata.name": "w", "metadata.namespace": "default", "spec.color": "red" });
});

test("status subresource: main updates keep status and bump generation on spec change", () => {
  const [withStatus, withoutStatus] = crdStrategies(crd());
  const next = widget();
  (next.spec as Record<string, unknown>).color = "blue";
  next.status = { replicas: 9 };
  withStatus!.strategy.prepareForUpdate(next, widget());
  assert.deepEqual(next.status, { replicas: 1 });
  assert.equal(next.metadata.generation, 2);
  const plain = widget();
  plain.status = { replicas: 9 };
  withoutStatus!.strategy.prepareForUpdate(plain, widget());
  assert.deepEqual(plain.status, { replicas: 9 });
  assert.equal(plain.metadata.generation, 1);
});

test("json path subset", () => {
  const obj = { a: { b: [{ c: 1 }], "x.y": true } };
  assert.equal(evaluateJsonPath(obj, ".a.b[0].c"), 1);
  assert.equal(evaluateJsonPath(obj, "{.a['x.y']}"), true);
  assert.equal(evaluateJsonPath(obj, ".a.missing.c"), undefined);
  assert.equal(evaluateJsonPath(obj, ".a.b[*].c"), undefined);
});

test("the CRD kind: name must be plural.group, one storage version; create accepts names", () => {
  const s = strategyFor("apiextensions.k8s.io", "customresourcedefinitions")!;
  const good = crd() as unknown as KubeObject;
  assert.deepEqual(s.validate(good), []);
  const bad = crd();
  bad.metadata!.name = "widgets.example.org";
  bad.spec.versions[1]!.storage = true;
  bad.spec.scope = "Galaxy";
  assert.deepEqual(s.validate(bad as unknown as KubeObject).map((e) => e.field), ["metadata.name", "spec.scope", "spec.versions"]);
  assert.equal(formatFieldError(s.validate(bad as unknown as KubeObject)[0]!), 'metadata.name: Invalid value: "widgets.example.org": must be spec.names.plural+"."+spec.group');
  s.prepareForCreate(good);
  const status = good.status as { acceptedNames: { listKind: string }; conditions: { type: string; status: string }[]; storedVersions: string[] };
  assert.equal(status.acceptedNames.listKind, "WidgetList");
  assert.deepEqual(status.conditions.map((c) => [c.type, c.status]), [["NamesAccepted", "True"], ["Established", "True"]]);
  assert.deepEqual(status.storedVersions, ["v1"]);
});
