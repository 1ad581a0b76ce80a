import { test } from "node:test";
import assert from "node:assert/strict";
import { validateAgainstSchema } from "./schema-validation.js";
import { formatFieldError } from "./errors.js";
import { resolveSchema, schemaFor } from "./openapi/schema-graph.js";

const podSchema = schemaFor({ group: "", version: "v1", kind: "Pod" })!;
const deploymentSchema = schemaFor({ group: "apps", version: "v1", kind: "Deployment" })!;

function pod(spec: unknown): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Pod", metadata: { name: "web", labels: { app: "web" } }, spec };
}

function deployment(spec: Record<string, unknown>): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", creationTimestamp: null },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "app", image: "nginx" }] } },
      ...spec,
    },
    status: {},
  };
}

test("a valid Pod passes with no errors or warnings", () => {
  const obj = pod({
    containers: [
      {
        name: "app",
        image: "nginx:1.27",
        ports: [{ containerPort: 80, protocol: "TCP" }],
        resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: 0.25 } },
        env: [{ name: "A", value: "1" }],
        livenessProbe: { httpGet: { path: "/", port: "http" } },
      },
    ],
    restartPolicy: "Always",
  });
  assert.deepEqual(validateAgainstSchema(obj, podSchema, { unknownFields: "Strict" }), { errors: [], warnings: [] });
});

test("type errors carry Kubernetes paths and upstream's message", () => {
  const { errors } = validateAgainstSchema(
    pod({ containers: [{ name: "app", image: "nginx", ports: [{ containerPort: "eighty" }] }] }),
    podSchema,
    { unknownFields: "Strict" },
  );
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.type, "FieldValueTypeInvalid");
  assert.equal(errors[0]!.field, "spec.containers[0].ports[0].containerPort");
  assert.equal(
    formatFieldError(errors[0]!),
    'spec.containers[0].ports[0].containerPort: Invalid value: "string": spec.containers[0].ports[0].containerPort in body must be of type integer: "string"',
  );
});

test("map values are addressed with brackets", () => {
  const obj = pod({ containers: [{ name: "a", image: "x" }] });
  (obj.metadata as Record<string, unknown>).labels = { app: 3 };
  const { errors } = validateAgainstSchema(obj, podSchema, { unknownFields: "Strict" });
  assert.deepEqual(errors.map((e) => e.field), ["metadata.labels[app]"]);
});

test("required fields are reported; nulls in built-in kinds count as unset", () => {
  const { errors } = validateAgainstSchema(pod({ containers: [{ image: "nginx", name: null }] }), podSchema, {
    unknownFields: "Strict",
  });
  assert.deepEqual(
    errors.map((e) => [e.type, e.field]),
    [["FieldValueRequired", "spec.containers[0].name"]],
  );
  const noContainers = validateAgainstSchema(pod({}), podSchema, { unknownFields: "Strict" });
  assert.deepEqual(noContainers.errors.map((e) => e.field), ["spec.containers"]);
});

test("int-or-string and quantity fields accept both forms and reject others", () => {
  const ok = deployment({ strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" } } });
  assert.deepEqual(validateAgainstSchema(ok, deploymentSchema, { unknownFields: "Strict" }).errors, []);
  const bad = deployment({ strategy: { rollingUpdate: { maxSurge: true } } });
  const { errors } = validateAgainstSchema(bad, deploymentSchema, { unknownFields: "Strict" });
  assert.deepEqual(errors.map((e) => e.field), ["spec.strategy.rollingUpdate.maxSurge"]);
  const badQuantity = pod({ containers: [{ name: "a", image: "x", resources: { limits: { cpu: "lots" } } }] });
  const q = validateAgainstSchema(badQuantity, podSchema, { unknownFields: "Strict" }).errors;
  assert.deepEqual(q.map((e) => [e.type, e.field]), [["FieldValueInvalid", "spec.containers[0].resources.limits[cpu]"]]);
});

test("a Deployment with a string replica count is rejected with upstream's wording", () => {
  const { errors } = validateAgainstSchema(deployment({ replicas: "3" }), deploymentSchema, { unknownFields: "Strict" });
  assert.equal(
    formatFieldError(errors[0]!),
    'spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
  );
});

test("status required fields are not enforced on built-in kinds", () => {
  const ds = schemaFor({ group: "apps", version: "v1", kind: "DaemonSet" })!;
  const obj = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "d" },
    spec: deployment({}).spec,
    status: {},
  };
  delete (obj.spec as Record<string, unknown>).replicas;
  assert.deepEqual(validateAgainstSchema(obj, ds, { unknownFields: "Strict" }).errors, []);
});

test("unknown fields: Strict errors, Warn warns, Ignore says nothing; prune removes them", () => {
  const make = () => {
    const d = deployment({ replicas: 2, foo: 1 });
    ((d.spec as Record<string, any>).template.spec.containers[0] as Record<string, unknown>).imagePolicy = "x";
    return d;
  };
  const strict = validateAgainstSchema(make(), deploymentSchema, { unknownFields: "Strict" });
  assert.deepEqual(
    strict.errors.map((e) => [e.type, e.field, e.detail]),
    [
      ["UnknownField", "spec.template.spec.containers[0].imagePolicy", 'unknown field "spec.template.spec.containers[0].imagePolicy"'],
      ["UnknownField", "spec.foo", 'unknown field "spec.foo"'],
    ],
  );
  const warn = validateAgainstSchema(make(), deploymentSchema, { unknownFields: "Warn" });
  assert.deepEqual(warn.errors, []);
  assert.deepEqual(warn.warnings, ['unknown field "spec.template.spec.containers[0].imagePolicy"', 'unknown field "spec.foo"']);
  const ignored = make();
  assert.deepEqual(validateAgainstSchema(ignored, deploymentSchema, { unknownFields: "Ignore" }), { errors: [], warnings: [] });
  assert.equal((ignored.spec as Record<string, unknown>).foo, 1);
  const pruned = make();
  validateAgainstSchema(pruned, deploymentSchema, { unknownFields: "Ignore", prune: true });
  assert.equal("foo" in (pruned.spec as Record<string, unknown>), false);
  assert.equal((pruned.spec as Record<string, unknown>).replicas, 2);
});

test("apiVersion, kind and metadata are always allowed at the root", () => {
  const crd = resolveSchema({ type: "object", properties: { spec: { type: "object" } } });
  const obj = { apiVersion: "example.com/v1", kind: "Thing", metadata: { name: "a" } };
  assert.deepEqual(validateAgainstSchema(obj, crd, { unknownFields: "Strict" }).errors, []);
});

// A small CRD schema, as a user would write it.
const crontab = resolveSchema({
  type: "object",
  properties: {
    spec: {
      type: "object",
      required: ["cronSpec"],
      properties: {
        cronSpec: { type: "string", pattern: "^(\\S+ ){4}\\S+$" },
        image: { type: "string", minLength: 1, maxLength: 20 },
        replicas: { type: "integer", minimum: 1, maximum: 10 },
        mode: { type: "string", enum: ["Fast", "Slow"] },
        port: { "x-kubernetes-int-or-string": true },
        tags: { type: "array", maxItems: 2, items: { type: "string" } },
        note: { type: "string", nullable: true },
        extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
        template: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true },
        env: { type: "object", additionalProperties: { type: "string" } },
      },
    },
    status: { type: "object", properties: { ready: { type: "boolean" } } },
  },
});

function cr(spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: "stable.example.com/v1", kind: "CronTab", metadata: { name: "c", creationTimestamp: null }, spec };
}

test("CRD: a valid object passes, preserved and embedded fields included", () => {
  const obj = cr({
    cronSpec: "* * * * */5",
    image: "app",
    replicas: 3,
    mode: "Fast",
    port: "http",
    tags: ["a"],
    note: null,
    extra: { anything: { goes: [1, 2] } },
    template: { apiVersion: "v1", kind: "Pod", metadata: { name: "p" }, spec: { whatever: true } },
    env: { A: "1" },
  });
  assert.deepEqual(validateAgainstSchema(obj, crontab, { unknownFields: "Strict" }), { errors: [], warnings: [] });
});

test("CRD: value constraints produce upstream-style field errors", () => {
  const obj = cr({
    cronSpec: "bad",
    image: "",
    replicas: 11,
    mode: "Medium",
    port: 1.5,
    tags: ["a", "b", "c"],
    template: { metadata: {} },
    env: { A: 1 },
  });
  const { errors } = validateAgainstSchema(obj, crontab, { unknownFields: "Strict" });
  assert.deepEqual(
    errors.map((e) => formatFieldError(e)),
    [
      "spec.cronSpec: Invalid value: \"bad\": spec.cronSpec in body should match '^(\\S+ ){4}\\S+$'",
      'spec.image: Invalid value: "": spec.image in body should be at least 1 chars long',
      "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
      'spec.mode: Unsupported value: "Medium": supported values: "Fast", "Slow"',
      'spec.port: Invalid value: "number": spec.port in body must be of type integer,string: "number"',
      "spec.tags: Invalid value: 3: spec.tags in body should have at most 2 items",
      "spec.template.apiVersion: Required value",
      "spec.template.kind: Required value",
      'spec.env[A]: Invalid value: "integer": spec.env[A] in body must be of type string: "integer"',
    ],
  );
});

test("CRD: missing required field, and null where not nullable", () => {
  const { errors } = validateAgainstSchema(cr({ image: null }), crontab, { unknownFields: "Strict" });
  assert.deepEqual(
    errors.map((e) => formatFieldError(e)),
    [
      "spec.cronSpec: Required value",
      'spec.image: Invalid value: "null": spec.image in body must be of type string: "null"',
    ],
  );
});

test("CRD: pruning drops unknown fields but keeps preserved ones", () => {
  const obj = cr({ cronSpec: "* * * * *", bogus: 1, extra: { kept: true } });
  (obj as Record<string, unknown>).status = { ready: true, phase: "x" };
  const { errors, warnings } = validateAgainstSchema(obj, crontab, { unknownFields: "Warn", prune: true });
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, ['unknown field "spec.bogus"', 'unknown field "status.phase"']);
  assert.deepEqual(obj.spec, { cronSpec: "* * * * *", extra: { kept: true } });
  assert.deepEqual((obj as Record<string, unknown>).status, { ready: true });
});

test("CRD: metadata is validated as ObjectMeta", () => {
  const obj = cr({ cronSpec: "* * * * *" });
  (obj.metadata as Record<string, unknown>).labels = { a: ["x"] };
  (obj.metadata as Record<string, unknown>).nope = 1;
  const { errors } = validateAgainstSchema(obj, crontab, { unknownFields: "Strict" });
  assert.deepEqual(errors.map((e) => [e.type, e.field]), [
    ["FieldValueTypeInvalid", "metadata.labels[a]"],
    ["UnknownField", "metadata.nope"],
  ]);
});
