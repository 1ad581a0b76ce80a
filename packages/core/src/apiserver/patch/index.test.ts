import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { patchTypeFromContentType } from "./index.js";

describe("patchTypeFromContentType", () => {
  it("maps each PATCH media type, ignoring parameters and case", () => {
    assert.equal(patchTypeFromContentType("application/json-patch+json"), "json");
    assert.equal(patchTypeFromContentType("application/merge-patch+json; charset=utf-8"), "merge");
    assert.equal(patchTypeFromContentType("Application/Strategic-Merge-Patch+JSON"), "strategic");
    assert.equal(patchTypeFromContentType("application/apply-patch+yaml"), "apply");
    assert.equal(patchTypeFromContentType("application/apply-patch+json"), "apply");
  });

  it("answers undefined for anything else", () => {
    assert.equal(patchTypeFromContentType(undefined), undefined);
    assert.equal(patchTypeFromContentType(""), undefined);
    assert.equal(patchTypeFromContentType("application/json"), undefined);
    assert.equal(patchTypeFromContentType("application/apply-patch+cbor"), undefined);
  });
});
