import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/object.js";
import { findBuiltin } from "../../api/builtin-resources.js";
import { createStrategy } from "./default-strategy.js";

const deployments = findBuiltin("apps", "deployments")!;
const configmaps = findBuiltin("", "configmaps")!;

const base = (): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name: "web", namespace: "default", uid: "u1", creationTimestamp: "2024-01-01T00:00:00Z", generation: 3, resourceVersion: "7" },
  spec: { replicas: 1 },
  status: { replicas: 1 },
});

test("create drops status for status-subresource kinds and sets generation 1", () => {
  const s = createStrategy(deployments);
  const obj = base();
  s.prepareForCreate(obj);
  assert.equal(obj.status, undefined);
  assert.equal(obj.metadata.generation, 1);
  const cm: KubeObject = { metadata: { name: "c" }, data: { a: "b" } };
  createStrategy(configmaps).prepareForCreate(cm);
  assert.deepEqual(cm.data, { a: "b" });
});

test("update keeps old status and bumps generation only on spec change", () => {
  const s = createStrategy(deployments);
  const old = base();
  const same = base();
  same.status = { replicas: 99 };
  same.metadata.labels = { changed: "yes" };
  s.prepareForUpdate(same, old);
  assert.deepEqual(same.status, { replicas: 1 });
  assert.equal(same.metadata.generation, 3);

  const changed = base();
  changed.spec = { replicas: 2 };
  changed.metadata.generation = 1; // clients cannot move generation
  s.prepareForUpdate(changed, old);
  assert.equal(changed.metadata.generation, 4);
});

test("update carries server-owned metadata a PUT left out", () => {
  const s = createStrategy(deployments);
  const next: KubeObject = { metadata: { name: "web", namespace: "default", resourceVersion: "7" }, spec: { replicas: 1 } };
  s.prepareForUpdate(next, base());
  assert.equal(next.metadata.uid, "u1");
  assert.equal(next.metadata.creationTimestamp, "2024-01-01T00:00:00Z");
  assert.deepEqual(s.validateUpdate(next, base()), []);
});

test("status update keeps everything but status and resourceVersion from the stored object", () => {
  const s = createStrategy(deployments);
  const next = base();
  next.spec = { replicas: 5 };
  next.metadata.labels = { sneaky: "x" };
  next.metadata.resourceVersion = "8";
  next.status = { replicas: 3 };
  s.prepareForStatusUpdate(next, base());
  assert.deepEqual(next.spec, { replicas: 1 });
  assert.equal(next.metadata.labels, undefined);
  assert.equal(next.metadata.resourceVersion, "8");
  assert.deepEqual(next.status, { replicas: 3 });
});

test("default table is Name, Age and default field selectors are name and namespace", () => {
  const s = createStrategy(configmaps);
  const obj: KubeObject = { metadata: { name: "c", namespace: "ns", creationTimestamp: "2024-01-01T00:00:00Z" } };
  const s2 = createStrategy({ ...configmaps, plural: "things" });
  assert.deepEqual(
    s2.columns.map((c) => c.name),
    ["Name", "Age"],
  );
  assert.deepEqual(s2.row(obj, Date.parse("2024-01-01T00:00:05Z")), ["c", "5s"]);
  assert.deepEqual(s.selectableFields(obj), { "metadata.name": "c", "metadata.namespace": "ns" });
});

test("validate applies object-meta rules for the resource's scope", () => {
  const s = createStrategy(configmaps);
  assert.equal(s.validate({ metadata: { name: "Bad" } }).length, 2); // bad name + missing namespace
});
