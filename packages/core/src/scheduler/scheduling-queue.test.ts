import { test } from "node:test";
import assert from "node:assert/strict";
import { SchedulingQueue } from "./scheduling-queue.js";
import { FakeClock } from "../util/clock.js";
import { makePod } from "./testing/fixtures.js";

function newQueue() {
  const clock = new FakeClock(1_000_000);
  return { clock, queue: new SchedulingQueue({ clock, initialBackoffMs: 1000, maxBackoffMs: 10_000, maxUnschedulableMs: 60_000 }) };
}

async function popKey(queue: SchedulingQueue): Promise<string | undefined> {
  return (await queue.pop())?.key;
}

test("one entry per pod key; adding a queued pod only refreshes it", async () => {
  const { queue } = newQueue();
  queue.add(makePod("a"));
  queue.add(makePod("a", { labels: { v: "2" } }));
  assert.deepEqual(queue.snapshot().active, ["default/a"]);
  const popped = await queue.pop();
  assert.deepEqual(popped?.pod.metadata?.labels, { v: "2" });
  queue.add(makePod("a"));
  assert.deepEqual(queue.snapshot(), { active: [], backoff: [], unschedulable: [], "in-flight": ["default/a"] });
});

test("active is ordered by priority, then creation time, then key", async () => {
  const { queue } = newQueue();
  queue.add(makePod("late", { created: "2024-01-01T00:00:03Z" }));
  queue.add(makePod("early", { created: "2024-01-01T00:00:01Z" }));
  queue.add(makePod("urgent", { created: "2024-01-01T00:00:09Z", priority: 1000 }));
  queue.add(makePod("b-same", { created: "2024-01-01T00:00:02Z" }));
  queue.add(makePod("a-same", { created: "2024-01-01T00:00:02Z" }));
  const order = [];
  for (let i = 0; i < 5; i++) order.push(await popKey(queue));
  assert.deepEqual(order, ["default/urgent", "default/early", "default/a-same", "default/b-same", "default/late"]);
});

test("backoff starts at 1s, doubles per failed attempt and is capped at 10s", async () => {
  const { queue, clock } = newQueue();
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => queue.backoffMs(n)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
  queue.add(makePod("p"));
  const waits: number[] = [];
  for (let attempt = 1; attempt <= 5; attempt++) {
    await popKey(queue);
    const started = clock.now();
    queue.requeueBackoff("default/p");
    assert.deepEqual(queue.snapshot().backoff, ["default/p"]);
    while (queue.snapshot().active.length === 0) clock.advance(100);
    waits.push(clock.now() - started);
  }
  assert.deepEqual(waits, [1000, 2000, 4000, 8000, 10_000]);
});

test("an unschedulable pod waits for a cluster event, then goes to active once its backoff is over", async () => {
  const { queue, clock } = newQueue();
  queue.add(makePod("p"));
  await popKey(queue);
  queue.requeueUnschedulable("default/p");
  clock.advance(5000);
  assert.deepEqual(queue.snapshot().unschedulable, ["default/p"], "no event: still waiting");
  queue.moveAllToActiveOrBackoff();
  assert.deepEqual(queue.snapshot().active, ["default/p"]);
});

test("an event during the pod's backoff sends it to backoff, and to active when the backoff ends", async () => {
  const { queue, clock } = newQueue();
  queue.add(makePod("p"));
  await popKey(queue);
  queue.requeueUnschedulable("default/p");
  clock.advance(400);
  queue.moveAllToActiveOrBackoff();
  assert.deepEqual(queue.snapshot().backoff, ["default/p"]);
  clock.advance(599);
  assert.deepEqual(queue.snapshot().active, []);
  clock.advance(1);
  assert.deepEqual(queue.snapshot().active, ["default/p"]);
});

test("an event during an attempt that then fails sends the pod to backoff, not to the unschedulable pool", async () => {
  const { queue, clock } = newQueue();
  queue.add(makePod("p"));
  await popKey(queue);
  queue.moveAllToActiveOrBackoff();
  queue.requeueUnschedulable("default/p");
  assert.deepEqual(queue.snapshot().backoff, ["default/p"]);
  clock.advance(1000);
  assert.deepEqual(queue.snapshot().active, ["default/p"]);
});

test("a spec or label change moves an unschedulable pod; a status change does not", async () => {
  const { queue, clock } = newQueue();
  queue.add(makePod("p"));
  await popKey(queue);
  queue.requeueUnschedulable("default/p");
  clock.advance(2000);
  queue.add({ ...makePod("p"), status: { conditions: [{ type: "PodScheduled", status: "False", reason: "Unschedulable" }] } });
  assert.deepEqual(queue.snapshot().unschedulable, ["default/p"]);
  queue.add(makePod("p", { labels: { fixed: "yes" } }));
  assert.deepEqual(queue.snapshot().active, ["default/p"]);
});

test("unschedulable pods are retried after maxUnschedulableMs without any event", async () => {
  const { queue, clock } = newQueue();
  queue.add(makePod("p"));
  await popKey(queue);
  queue.requeueUnschedulable("default/p");
  clock.advance(59_000);
  assert.deepEqual(queue.snapshot().unschedulable, ["default/p"]);
  clock.advance(31_000);
  assert.deepEqual(queue.snapshot().active, ["default/p"]);
});

test("pop waits for a pod; delete forgets one wherever it is; close releases waiters", async () => {
  const { queue } = newQueue();
  const waiting = queue.pop();
  queue.add(makePod("p"));
  assert.equal((await waiting)?.key, "default/p");
  queue.requeueUnschedulable("default/p");
  queue.delete("default/p");
  queue.moveAllToActiveOrBackoff();
  assert.deepEqual(queue.snapshot(), { active: [], backoff: [], unschedulable: [], "in-flight": [] });
  const pending = queue.pop();
  queue.close();
  assert.equal(await pending, undefined);
  const aborted = new AbortController();
  const { queue: q2 } = newQueue();
  const p2 = q2.pop(aborted.signal);
  aborted.abort();
  assert.equal(await p2, undefined);
});
