import { test } from "node:test";
import assert from "node:assert/strict";
import { formatFieldError } from "../errors.js";
import { validateObjectMeta, validateObjectMetaUpdate } from "./object-meta.js";

const ns = { namespaced: true, nameValidator: "subdomain" } as const;
const messages = (errs: ReturnType<typeof validateObjectMeta>) => errs.map(formatFieldError);

test("a well-formed namespaced object passes", () => {
  assert.deepEqual(
    validateObjectMeta(
      {
        name: "web",
        namespace: "default",
        labels: { app: "web", "app.kubernetes.io/part-of": "" },
        annotations: { "Example.com/Note": "x" },
        finalizers: ["example.com/cleanup"],
        ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-1", uid: "u1", controller: true }],
      },
      ns,
    ),
    [],
  );
});

test("name is required unless generateName is set", () => {
  assert.deepEqual(messages(validateObjectMeta({ namespace: "default" }, ns)), [
    "metadata.name: Required value: name or generateName is required",
  ]);
  assert.deepEqual(validateObjectMeta({ generateName: "web-", namespace: "default" }, ns), []);
});

test("namespace is required for namespaced kinds and forbidden otherwise", () => {
  assert.deepEqual(messages(validateObjectMeta({ name: "a" }, ns)), ["metadata.namespace: Required value"]);
  assert.deepEqual(messages(validateObjectMeta({ name: "a", namespace: "x" }, { namespaced: false, nameValidator: "subdomain" })), [
    "metadata.namespace: Forbidden: not allowed on this type",
  ]);
  assert.equal(validateObjectMeta({ name: "a", namespace: "Bad_NS" }, ns)[0]?.field, "metadata.namespace");
});

test("label namespace names must be DNS labels", () => {
  const errs = validateObjectMeta({ name: "a.b" }, { namespaced: false, nameValidator: "label" });
  assert.equal(errs.length, 1);
  assert.match(formatFieldError(errs[0]!), /^metadata.name: Invalid value: "a.b": a lowercase RFC 1123 label/);
});

test("labels report keys and values at metadata.labels", () => {
  const errs = validateObjectMeta({ name: "a", namespace: "d", labels: { "bad key": "ok", ok: "bad value" } }, ns);
  assert.deepEqual(
    errs.map((e) => [e.field, e.value]),
    [
      ["metadata.labels", "bad key"],
      ["metadata.labels", "bad value"],
    ],
  );
});

test("annotations may not exceed 256 KiB in total", () => {
  const errs = validateObjectMeta({ name: "a", namespace: "d", annotations: { big: "x".repeat(256 * 1024) } }, ns);
  assert.deepEqual(messages(errs), ["metadata.annotations: Too long: must have at most 262144 bytes"]);
});

test("owner references need apiVersion, kind, name, uid and at most one controller", () => {
  const errs = validateObjectMeta(
    {
      name: "a",
      namespace: "d",
      ownerReferences: [
        { apiVersion: "", kind: "", name: "", uid: "" },
        { apiVersion: "v1", kind: "A", name: "x", uid: "1", controller: true },
        { apiVersion: "v1", kind: "B", name: "y", uid: "2", controller: true },
      ],
    },
    ns,
  );
  assert.deepEqual(
    errs.map((e) => e.field),
    [
      "metadata.ownerReferences.apiVersion",
      "metadata.ownerReferences.kind",
      "metadata.ownerReferences.name",
      "metadata.ownerReferences.uid",
      "metadata.ownerReferences",
    ],
  );
  assert.match(errs[4]!.detail, /Only one reference can have Controller set to true. Found "true" in references for A\/x and B\/y/);
});

test("finalizers must be qualified names", () => {
  assert.equal(validateObjectMeta({ name: "a", namespace: "d", finalizers: ["bad/name/x"] }, ns)[0]?.field, "metadata.finalizers");
});

test("identity fields are immutable on update", () => {
  const old = { name: "a", namespace: "d", uid: "1", creationTimestamp: "2024-01-01T00:00:00Z", generation: 2 };
  assert.deepEqual(validateObjectMetaUpdate({ ...old, labels: { x: "y" } }, old), []);
  const errs = validateObjectMetaUpdate({ ...old, name: "b", uid: "2", creationTimestamp: "2025-01-01T00:00:00Z", generation: 1 }, old);
  assert.deepEqual(messages(errs), [
    'metadata.generation: Invalid value: 1: must not be decremented',
    'metadata.name: Invalid value: "b": field is immutable',
    'metadata.uid: Invalid value: "2": field is immutable',
    'metadata.creationTimestamp: Invalid value: "2025-01-01T00:00:00Z": field is immutable',
  ]);
});

test("no finalizers may be added once deletion started", () => {
  const old = { name: "a", deletionTimestamp: "2024-01-01T00:00:00Z", finalizers: ["a"] };
  assert.equal(validateObjectMetaUpdate({ ...old, finalizers: ["a", "b"] }, old)[0]?.type, "FieldValueForbidden");
  assert.deepEqual(validateObjectMetaUpdate({ ...old, finalizers: [] }, old), []);
});
