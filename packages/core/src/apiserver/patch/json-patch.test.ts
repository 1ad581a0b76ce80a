import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyJsonPatch } from "./json-patch.js";
import { isBadRequest, isInvalid } from "../../api/errors.js";

const pod = () => ({ metadata: { name: "p", labels: { app: "web" } }, spec: { containers: [{ name: "a", image: "x:1" }] } });

describe("applyJsonPatch (RFC 6902)", () => {
  it("applies add, replace, remove, move, copy and test", () => {
    const out = applyJsonPatch(pod(), [
      { op: "test", path: "/metadata/name", value: "p" },
      { op: "replace", path: "/spec/containers/0/image", value: "x:2" },
      { op: "add", path: "/spec/containers/-", value: { name: "b", image: "y" } },
      { op: "add", path: "/metadata/labels/tier", value: "front" },
      { op: "remove", path: "/metadata/labels/app" },
      { op: "copy", from: "/metadata/name", path: "/metadata/annotations" },
      { op: "move", from: "/metadata/annotations", path: "/metadata/generateName" },
    ]);
    assert.deepEqual(out, {
      metadata: { name: "p", labels: { tier: "front" }, generateName: "p" },
      spec: { containers: [{ name: "a", image: "x:2" }, { name: "b", image: "y" }] },
    });
  });

  it("understands escaped pointer segments", () => {
    const out = applyJsonPatch(pod(), [{ op: "add", path: "/metadata/labels/example.com~1role", value: "db" }]);
    assert.equal((out as ReturnType<typeof pod>).metadata.labels["example.com/role" as "app"], "db");
  });

  it("does not change the input, even when a later operation fails", () => {
    const doc = pod();
    assert.throws(() =>
      applyJsonPatch(doc, [
        { op: "replace", path: "/metadata/name", value: "q" },
        { op: "test", path: "/metadata/name", value: "nope" },
      ]),
    );
    assert.deepEqual(doc, pod());
  });

  it("a failing test operation is Invalid with a clear message", () => {
    assert.throws(
      () => applyJsonPatch(pod(), [{ op: "test", path: "/spec/containers/0/image", value: "x:9" }]),
      (err: Error) => isInvalid(err) && /test operation failed/.test(err.message) && err.message.includes("/spec/containers/0/image"),
    );
  });

  it("a path that does not exist is Invalid", () => {
    assert.throws(() => applyJsonPatch(pod(), [{ op: "remove", path: "/spec/nope" }]), isInvalid);
    assert.throws(() => applyJsonPatch(pod(), [{ op: "replace", path: "/spec/containers/5/image", value: "z" }]), isInvalid);
  });

  it("malformed operations are BadRequest", () => {
    const bad: unknown[] = [
      { op: "add", path: "/a", value: 1 },
      [{ op: "frobnicate", path: "/a" }],
      [{ path: "/a", value: 1 }],
      [{ op: "add", path: "a", value: 1 }],
      [{ op: "add", path: "/a" }],
      [{ op: "move", path: "/a" }],
      ["add"],
    ];
    for (const ops of bad) assert.throws(() => applyJsonPatch(pod(), ops), isBadRequest, JSON.stringify(ops));
  });

  it("an empty patch returns an equal copy", () => {
    const doc = pod();
    const out = applyJsonPatch(doc, []);
    assert.deepEqual(out, doc);
    assert.notEqual(out, doc);
  });
});
