import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../api/object.js";
import { ApiError, isConflict } from "../../api/errors.js";
import { applyConfiguration, recordUpdate } from "./server-side-apply.js";
import { FieldSet, fieldSetOf, formatFieldPath } from "./field-set.js";
import { deploymentSchema, podSchema } from "./testing/schemas.js";

const T0 = "2024-01-01T00:00:00Z";
const T1 = "2024-01-01T00:01:00Z";
const T2 = "2024-01-01T00:02:00Z";

function deployment(spec: Record<string, unknown>, labels: Record<string, string> = { app: "web" }): KubeObject {
  return { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "default", labels }, spec };
}

const container = (over: Record<string, unknown> = {}) => ({ name: "app", image: "nginx:1.25", ...over });
const template = (...containers: Record<string, unknown>[]) => ({ metadata: { labels: { app: "web" } }, spec: { containers } });

function apply(live: KubeObject | undefined, config: KubeObject, manager = "kubectl", force = false, now = T1): KubeObject {
  return applyConfiguration(live, config, { manager, force, schema: deploymentSchema, now });
}

function entry(obj: KubeObject, manager: string) {
  return obj.metadata.managedFields?.find((e) => e.manager === manager);
}

// Tests read deep into specs; a loose view keeps them short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

function spec(obj: KubeObject): Loose {
  return obj.spec;
}

function fieldsOf(obj: KubeObject, manager: string): Loose {
  return entry(obj, manager)!.fieldsV1;
}

describe("fieldSetOf", () => {
  it("encodes owned fields as upstream FieldsV1", () => {
    const obj = deployment({ replicas: 2, selector: { matchLabels: { app: "web" } }, template: template(container({ ports: [{ containerPort: 80, protocol: "TCP" }] })) });
    obj.metadata.uid = "u";
    obj.metadata.resourceVersion = "7";
    obj.metadata.finalizers = ["a"];
    obj.status = { replicas: 1 };
    assert.deepEqual(fieldSetOf(obj, deploymentSchema), {
      "f:metadata": { "f:finalizers": { 'v:"a"': {} }, "f:labels": { "f:app": {} } },
      "f:spec": {
        "f:replicas": {},
        "f:selector": {},
        "f:template": {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:containers": {
              'k:{"name":"app"}': {
                ".": {},
                "f:image": {},
                "f:name": {},
                "f:ports": { 'k:{"containerPort":80,"protocol":"TCP"}': { ".": {}, "f:containerPort": {}, "f:protocol": {} } },
              },
            },
          },
        },
      },
    });
  });

  it("owns every key of a subtree without schema", () => {
    assert.deepEqual(fieldSetOf({ spec: { extra: { a: { b: 1 }, c: [1] } } }, podSchema), {
      "f:spec": { "f:extra": { "f:a": { ".": {}, "f:b": {} }, "f:c": {} } },
    });
  });

  it("round-trips through FieldSet", () => {
    const v1 = fieldSetOf(deployment({ replicas: 1, template: template(container()) }), deploymentSchema);
    assert.deepEqual(FieldSet.fromFieldsV1(v1).toFieldsV1(), v1);
  });

  it("formats paths as upstream conflict messages do", () => {
    assert.equal(formatFieldPath(["f:spec", "f:replicas"]), ".spec.replicas");
    assert.equal(formatFieldPath(["f:spec", "f:containers", 'k:{"name":"app"}', "f:image"]), '.spec.containers[name="app"].image');
    assert.equal(formatFieldPath(["f:ports", 'k:{"containerPort":80,"protocol":"TCP"}']), '.ports[containerPort=80,protocol="TCP"]');
    assert.equal(formatFieldPath(["f:metadata", "f:finalizers", 'v:"x"']), '.metadata.finalizers[="x"]');
  });
});

describe("applyConfiguration", () => {
  it("creates the object and records the applier's fields", () => {
    const out = apply(undefined, deployment({ replicas: 2, template: template(container()) }));
    assert.equal(spec(out).replicas, 2);
    assert.deepEqual(out.metadata.managedFields, [
      {
        manager: "kubectl",
        operation: "Apply",
        apiVersion: "apps/v1",
        time: T1,
        fieldsType: "FieldsV1",
        fieldsV1: {
          "f:metadata": { "f:labels": { "f:app": {} } },
          "f:spec": {
            "f:replicas": {},
            "f:template": {
              "f:metadata": { "f:labels": { "f:app": {} } },
              "f:spec": { "f:containers": { 'k:{"name":"app"}': { ".": {}, "f:image": {}, "f:name": {} } } },
            },
          },
        },
      },
    ]);
  });

  it("merges into the live object: keyed lists by key, sets as unions, other fields kept", () => {
    let live = apply(undefined, deployment({ replicas: 2, template: template(container(), container({ name: "side", image: "busybox" })) }));
    live.metadata.finalizers = ["a"];
    live.metadata.uid = "uid-1";
    const config = deployment({ template: template(container({ image: "nginx:1.26", env: [{ name: "A", value: "1" }] })) });
    config.metadata.finalizers = ["b"];
    live = apply(live, config, "other", true);
    assert.deepEqual(spec(live).template.spec.containers, [
      { name: "app", image: "nginx:1.26", env: [{ name: "A", value: "1" }] },
      { name: "side", image: "busybox" },
    ]);
    assert.deepEqual(live.metadata.finalizers, ["a", "b"]);
    assert.equal(live.metadata.uid, "uid-1");
    assert.equal(spec(live).replicas, 2);
  });

  it("conflicts when the config changes a field another manager owns (kubectl's message and causes)", () => {
    let live = deployment({ replicas: 1, template: template(container()) });
    recordUpdate(undefined, live, { manager: "kubectl-client-side-apply", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    live = structuredClone(live);
    assert.throws(
      () => apply(live, deployment({ replicas: 3, template: template(container()) })),
      (err: unknown) => {
        assert.ok(isConflict(err));
        const e = err as ApiError;
        assert.equal(e.code, 409);
        assert.equal(e.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
        assert.deepEqual(e.details?.causes, [
          { reason: "FieldManagerConflict", message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: ".spec.replicas" },
        ]);
        return true;
      },
    );
  });

  it("lists several conflicts grouped by manager", () => {
    let live = deployment({ replicas: 1, template: template(container()) });
    recordUpdate(undefined, live, { manager: "kubectl-client-side-apply", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    live = structuredClone(live);
    assert.throws(
      () => apply(live, deployment({ replicas: 3, template: template(container({ image: "nginx:2" })) })),
      (err: ApiError) =>
        err.message ===
          'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image' &&
        err.details?.causes?.length === 2,
    );
  });

  it("setting the same value as another manager shares the field instead of conflicting", () => {
    let live = deployment({ replicas: 1, template: template(container()) });
    recordUpdate(undefined, live, { manager: "kubectl-create", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    live = apply(live, deployment({ replicas: 1 }));
    const create = fieldsOf(live, "kubectl-create");
    const applier = fieldsOf(live, "kubectl");
    assert.ok(create["f:spec"]["f:replicas"]);
    assert.ok(applier["f:spec"]["f:replicas"]);
  });

  it("force takes ownership away from the other manager", () => {
    let live = deployment({ replicas: 1, template: template(container()) });
    recordUpdate(undefined, live, { manager: "kubectl-client-side-apply", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    live = apply(live, deployment({ replicas: 3 }), "kubectl", true);
    assert.equal(spec(live).replicas, 3);
    const other = fieldsOf(live, "kubectl-client-side-apply");
    assert.equal(other["f:spec"]["f:replicas"], undefined);
    assert.ok(other["f:spec"]["f:template"]);
    assert.deepEqual((fieldsOf(live, "kubectl"))["f:spec"], { "f:replicas": {} });
  });

  it("removes fields the applier stops setting, unless someone else owns them", () => {
    let live = apply(undefined, deployment({ replicas: 2, template: template(container({ env: [{ name: "A", value: "1" }, { name: "B", value: "2" }] }), container({ name: "side" })) }));
    // Another applier co-owns env B.
    live = apply(live, deployment({ template: template(container({ env: [{ name: "B", value: "2" }] })) }), "helper");
    live = apply(live, deployment({ template: template(container()) }), "kubectl", false, T2);
    assert.equal(spec(live).replicas, undefined);
    assert.deepEqual(spec(live).template.spec.containers, [{ name: "app", image: "nginx:1.25", env: [{ name: "B", value: "2" }] }]);
  });

  it("prunes emptied structs when a retained field goes away", () => {
    let live = apply(undefined, deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "1" } }, replicas: 1 }));
    live = apply(live, deployment({ strategy: { type: "Recreate" }, replicas: 1 }));
    assert.deepEqual(spec(live).strategy, { type: "Recreate" });
  });

  it("keeps fields written by an Update manager when the applier drops them", () => {
    let live = apply(undefined, deployment({ replicas: 2 }));
    const scaled = structuredClone(live);
    spec(scaled).replicas = 5;
    recordUpdate(live, scaled, { manager: "kube-controller-manager", apiVersion: "apps/v1", now: T1, schema: deploymentSchema });
    // The applier lost .spec.replicas to the controller, so dropping it from the config leaves it alone.
    assert.deepEqual(entry(scaled, "kubectl")!.fieldsV1, { "f:metadata": { "f:labels": { "f:app": {} } } });
    live = apply(scaled, deployment({}, { app: "web" }), "kubectl", false, T2);
    assert.equal(spec(live).replicas, 5);
  });

  it("an object made without managed fields is owned by before-first-apply", () => {
    const live = deployment({ replicas: 1 });
    assert.throws(() => apply(live, deployment({ replicas: 2 })), (err: ApiError) => err.message.includes('conflict with "before-first-apply" using apps/v1: .spec.replicas'));
    const forced = apply(live, deployment({ replicas: 2 }), "kubectl", true);
    assert.deepEqual(
      forced.metadata.managedFields?.map((e) => [e.manager, e.operation]),
      [
        ["kubectl", "Apply"],
        ["before-first-apply", "Update"],
      ],
    );
  });

  it("a repeated identical apply changes nothing, not even the timestamp", () => {
    const config = deployment({ replicas: 2, template: template(container()) });
    const first = apply(undefined, config, "kubectl", false, T1);
    const second = apply(first, config, "kubectl", false, T2);
    assert.deepEqual(second, first);
  });

  it("does not change its inputs", () => {
    const live = apply(undefined, deployment({ replicas: 2 }));
    const config = deployment({ replicas: 3 });
    const liveCopy = structuredClone(live);
    const configCopy = structuredClone(config);
    apply(live, config);
    assert.deepEqual(live, liveCopy);
    assert.deepEqual(config, configCopy);
  });

  it("keeps atomic lists and maps whole", () => {
    let live = apply(undefined, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { tolerations: [{ key: "a" }, { key: "b" }], nodeSelector: { a: "1", b: "2" } } });
    live = applyConfiguration(live, { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { tolerations: [{ key: "c" }], nodeSelector: { c: "3" } } }, { manager: "kubectl", force: false, schema: podSchema, now: T2 });
    assert.deepEqual(live.spec, { tolerations: [{ key: "c" }], nodeSelector: { c: "3" } });
  });
});

describe("recordUpdate", () => {
  it("gives the creator every field", () => {
    const obj = deployment({ replicas: 1 });
    recordUpdate(undefined, obj, { manager: "kubectl-create", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    assert.deepEqual(obj.metadata.managedFields, [
      {
        manager: "kubectl-create",
        operation: "Update",
        apiVersion: "apps/v1",
        time: T0,
        fieldsType: "FieldsV1",
        fieldsV1: { "f:metadata": { "f:labels": { "f:app": {} } }, "f:spec": { "f:replicas": {} } },
      },
    ]);
  });

  it("moves changed fields to the writer and drops managers left with nothing", () => {
    const v1 = deployment({ replicas: 1 });
    recordUpdate(undefined, v1, { manager: "a", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    const v2 = structuredClone(v1);
    spec(v2).replicas = 2;
    v2.metadata.labels = { app: "web", tier: "x" };
    recordUpdate(v1, v2, { manager: "b", apiVersion: "apps/v1", now: T1, schema: deploymentSchema });
    assert.deepEqual(entry(v2, "a")!.fieldsV1, { "f:metadata": { "f:labels": { "f:app": {} } } });
    assert.deepEqual(entry(v2, "b")!.fieldsV1, { "f:metadata": { "f:labels": { "f:tier": {} } }, "f:spec": { "f:replicas": {} } });
    const v3 = structuredClone(v2);
    v3.metadata.labels = { tier: "x" };
    recordUpdate(v2, v3, { manager: "b", apiVersion: "apps/v1", now: T2, schema: deploymentSchema });
    assert.equal(entry(v3, "a"), undefined);
    assert.equal(v3.metadata.managedFields?.length, 1);
  });

  it("keeps the stored managed fields when the client sends them back unchanged or not at all", () => {
    const v1 = deployment({ replicas: 1 });
    recordUpdate(undefined, v1, { manager: "a", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    const v2 = structuredClone(v1);
    delete v2.metadata.managedFields;
    recordUpdate(v1, v2, { manager: "a", apiVersion: "apps/v1", now: T1, schema: deploymentSchema });
    assert.deepEqual(v2.metadata.managedFields, v1.metadata.managedFields);
  });

  it("a single empty entry resets tracking", () => {
    const v1 = deployment({ replicas: 1 });
    recordUpdate(undefined, v1, { manager: "a", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    const v2 = structuredClone(v1);
    v2.metadata.managedFields = [{}];
    recordUpdate(v1, v2, { manager: "b", apiVersion: "apps/v1", now: T1, schema: deploymentSchema });
    assert.equal(v2.metadata.managedFields, undefined);
  });

  it("never tracks system metadata or status", () => {
    const obj = deployment({ replicas: 1 });
    Object.assign(obj.metadata, { uid: "u", resourceVersion: "1", generation: 1, creationTimestamp: T0 });
    obj.status = { replicas: 1 };
    recordUpdate(undefined, obj, { manager: "a", apiVersion: "apps/v1", now: T0, schema: deploymentSchema });
    const fields = JSON.stringify(obj.metadata.managedFields);
    for (const f of ["f:uid", "f:resourceVersion", "f:generation", "f:creationTimestamp", "f:status", "f:name", "f:kind"]) {
      assert.ok(!fields.includes(f), f);
    }
  });
});

describe("applyConfiguration list order", () => {
  it("keeps live-only items in place and follows the config's order for shared ones", () => {
    let live = apply(undefined, deployment({ template: template(container({ name: "a" }), container({ name: "b" }), container({ name: "c" })) }), "one");
    live = apply(live, deployment({ template: template(container({ name: "c" }), container({ name: "d" })) }), "two");
    assert.deepEqual(
      spec(live).template.spec.containers.map((c: { name: string }) => c.name),
      ["a", "b", "c", "d"],
    );
  });
});
