import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FakeClock } from "../util/index.js";
import { WorkQueue } from "./work-queue.js";
import { exponentialRateLimiter } from "./rate-limiter.js";

/** Lets resolved promises run their continuations. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Resolves to the key if `get()` answered by now, or "pending". */
async function settled(p: Promise<string | undefined>): Promise<string | undefined | "pending"> {
  let value: string | undefined | "pending" = "pending";
  void p.then((v) => (value = v));
  await flush();
  return value;
}

describe("WorkQueue guarantees", () => {
  it("one entry per key (dedup)", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    q.add("b");
    q.add("a");
    q.add("a");
    assert.equal(q.len(), 2);
    assert.equal(await q.get(), "a");
    assert.equal(await q.get(), "b");
    assert.equal(await settled(q.get()), "pending");
  });

  it("a key is never processed by two workers at once", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    assert.equal(await q.get(), "a");
    q.add("a");
    // Another worker asking now must not get "a" while the first holds it.
    const second = q.get();
    assert.equal(await settled(second), "pending");
    assert.equal(q.len(), 0);
    q.done("a");
    assert.equal(await settled(second), "a");
  });

  it("a key re-added while being processed runs again after done()", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    q.add("a");
    const key = await q.get();
    q.add("a");
    q.add("a");
    q.done(key!);
    assert.equal(q.len(), 1, "re-added once, however many adds");
    assert.equal(await q.get(), "a");
    q.done("a");
    assert.equal(q.len(), 0, "not re-queued when nothing was added meanwhile");
  });

  it("get() waits for work", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const first = q.get();
    const second = q.get();
    assert.equal(await settled(first), "pending");
    q.add("x");
    q.add("y");
    assert.equal(await first, "x", "oldest waiter first, FIFO order");
    assert.equal(await second, "y");
  });

  it("shutDown() wakes waiters (get returns undefined)", async () => {
    const q = new WorkQueue({ clock: new FakeClock() });
    const waiting = [q.get(), q.get()];
    q.shutDown();
    assert.deepEqual(await Promise.all(waiting), [undefined, undefined]);
    assert.equal(q.shuttingDown, true);
    q.add("late");
    assert.equal(await q.get(), undefined);
    assert.equal(q.len(), 0);
  });
});

describe("WorkQueue delays", () => {
  it("addAfter adds the key once the clock reaches the delay", async () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter("a", 100);
    assert.equal(q.len(), 0);
    clock.advance(99);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(await q.get(), "a");
  });

  it("a key delayed twice keeps the earlier deadline and is added once", () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter("a", 100);
    q.addAfter("a", 50);
    q.addAfter("a", 500);
    clock.advance(50);
    assert.equal(q.len(), 1);
    clock.advance(1000);
    assert.equal(q.len(), 1);
  });

  it("addRateLimited waits longer after each failure until forget()", () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock, rateLimiter: exponentialRateLimiter(10, 1000) });
    q.addRateLimited("a");
    assert.equal(q.numRequeues("a"), 1);
    clock.advance(9);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    q.addRateLimited("b");
    q.addRateLimited("b");
    assert.equal(q.numRequeues("b"), 2);
    q.forget("b");
    assert.equal(q.numRequeues("b"), 0);
  });

  it("shutDown cancels delayed adds", () => {
    const clock = new FakeClock();
    const q = new WorkQueue({ clock });
    q.addAfter("a", 10);
    q.shutDown();
    clock.advance(100);
    assert.equal(q.len(), 0);
  });
});
