import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { slowStartBatch } from "./slow-start.js";

describe("slowStartBatch", () => {
  it("runs batches of 1, 2, 4 … in parallel until the count is reached", async () => {
    const batches: number[] = [];
    let inFlight = 0;
    const result = await slowStartBatch(10, 1, async () => {
      if (inFlight++ === 0) batches.push(0);
      batches[batches.length - 1]!++;
      await Promise.resolve();
      inFlight--;
    });
    assert.deepEqual(result, { successes: 10 });
    assert.deepEqual(batches, [1, 2, 4, 3]);
  });

  it("stops after the first batch with a failure, counting that batch's successes", async () => {
    let calls = 0;
    const result = await slowStartBatch(10, 1, async () => {
      if (++calls === 3) throw new Error("quota");
    });
    assert.equal(calls, 3, "1 + a batch of 2, no batch of 4");
    assert.equal(result.successes, 2);
    assert.match(String(result.error), /quota/);
  });
});
