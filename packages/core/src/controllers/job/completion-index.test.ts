import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { completionIndexOf, firstPendingIndexes, formatIndexes } from "./completion-index.js";

describe("completion indexes", () => {
  it("formats succeeded indexes as upstream's interval list", () => {
    assert.equal(formatIndexes([]), "");
    assert.equal(formatIndexes([7, 1, 3, 4, 5, 4]), "1,3-5,7");
  });

  it("reads the index from the annotation, else the label, refusing malformed ones", () => {
    const key = "batch.kubernetes.io/job-completion-index";
    assert.equal(completionIndexOf({ metadata: { annotations: { [key]: "3" } } }), 3);
    assert.equal(completionIndexOf({ metadata: { labels: { [key]: "2" } } }), 2);
    assert.equal(completionIndexOf({ metadata: { annotations: { [key]: "-1" } } }), undefined);
    assert.equal(completionIndexOf({ metadata: {} }), undefined);
  });

  it("picks the lowest indexes neither succeeded nor running", () => {
    assert.deepEqual(firstPendingIndexes(6, new Set([0, 2]), new Set([1]), 2), [3, 4]);
    assert.deepEqual(firstPendingIndexes(3, new Set([0, 1, 2]), new Set(), 2), []);
  });
});
