import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { applyMergePatch } from "./merge-patch.js";
import { isBadRequest } from "../../api/errors.js";

describe("applyMergePatch (RFC 7386)", () => {
  // The examples of RFC 7386 appendix A.
  const rfcCases: [unknown, unknown, unknown][] = [
    [{ a: "b" }, { a: "c" }, { a: "c" }],
    [{ a: "b" }, { b: "c" }, { a: "b", b: "c" }],
    [{ a: "b" }, { a: null }, {}],
    [{ a: "b", b: "c" }, { a: null }, { b: "c" }],
    [{ a: ["b"] }, { a: "c" }, { a: "c" }],
    [{ a: "c" }, { a: ["b"] }, { a: ["b"] }],
    [{ a: { b: "c" } }, { a: { b: "d", c: null } }, { a: { b: "d" } }],
    [{ a: [{ b: "c" }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  for (const [doc, patch, want] of rfcCases) {
    it(`${JSON.stringify(doc)} + ${JSON.stringify(patch)}`, () => {
      assert.deepEqual(applyMergePatch(doc, patch), want);
    });
  }

  it("scales a deployment the way kubectl scale does", () => {
    const doc = { spec: { replicas: 1, template: { spec: { containers: [{ name: "a" }] } } } };
    assert.deepEqual(applyMergePatch(doc, { spec: { replicas: 4 } }), {
      spec: { replicas: 4, template: { spec: { containers: [{ name: "a" }] } } },
    });
  });

  it("does not change its inputs", () => {
    const doc = { a: { b: 1 } };
    const patch = { a: { c: { d: 1 } } };
    const out = applyMergePatch(doc, patch) as { a: { c: { d: number } } };
    out.a.c.d = 2;
    assert.deepEqual(doc, { a: { b: 1 } });
    assert.deepEqual(patch, { a: { c: { d: 1 } } });
  });

  it("rejects a patch that is not an object", () => {
    assert.throws(() => applyMergePatch({}, [1]), isBadRequest);
    assert.throws(() => applyMergePatch({}, "x"), isBadRequest);
  });
});
