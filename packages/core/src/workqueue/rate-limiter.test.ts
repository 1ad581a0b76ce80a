import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { exponentialRateLimiter } from "./rate-limiter.js";

describe("exponentialRateLimiter", () => {
  it("doubles from the base per failure of a key, up to the cap", () => {
    const limiter = exponentialRateLimiter(5, 50);
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => limiter.when("k")),
      [5, 10, 20, 40, 50],
    );
    assert.equal(limiter.retries("k"), 5);
  });

  it("counts each key on its own and starts over after forget", () => {
    const limiter = exponentialRateLimiter();
    limiter.when("a");
    limiter.when("a");
    assert.equal(limiter.when("b"), 5);
    limiter.forget("a");
    assert.equal(limiter.retries("a"), 0);
    assert.equal(limiter.when("a"), 5);
  });

  it("stays finite after very many failures", () => {
    const limiter = exponentialRateLimiter();
    let last = 0;
    for (let i = 0; i < 2000; i++) last = limiter.when("k");
    assert.equal(last, 1_000_000);
  });
});
