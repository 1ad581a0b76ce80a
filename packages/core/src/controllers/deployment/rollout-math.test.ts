import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { resolveFenceposts } from "./rollout-math.js";
import { computeHash, templatesEqualIgnoringHash } from "./pod-template-hash.js";

describe("resolveFenceposts", () => {
  it("rounds surge up and unavailable down, 25% by default", () => {
    assert.deepEqual(resolveFenceposts(undefined, undefined, 4), [1, 1]);
    assert.deepEqual(resolveFenceposts(undefined, undefined, 10), [3, 2]);
    assert.deepEqual(resolveFenceposts("50%", 2, 3), [2, 2]);
  });
  it("treats both zero as one unavailable", () => {
    assert.deepEqual(resolveFenceposts(0, "0%", 4), [0, 1]);
    assert.deepEqual(resolveFenceposts("10%", "10%", 3), [1, 0]);
  });
});

describe("computeHash", () => {
  const t = { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "nginx" }] } };
  it("is stable under key order, changes with the template and the collision count, and is DNS-safe", () => {
    const reordered = { spec: { containers: [{ image: "nginx", name: "c" }] }, metadata: { labels: { app: "web" } } };
    assert.equal(computeHash(t), computeHash(reordered as typeof t));
    assert.notEqual(computeHash(t), computeHash({ ...t, spec: { containers: [{ name: "c", image: "nginx:2" }] } }));
    assert.notEqual(computeHash(t), computeHash(t, 1));
    assert.match(computeHash(t), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  });
  it("template equality ignores the pod-template-hash label", () => {
    const withHash = { ...t, metadata: { labels: { app: "web", "pod-template-hash": computeHash(t) } } };
    assert.equal(templatesEqualIgnoringHash(t, withHash), true);
  });
});
