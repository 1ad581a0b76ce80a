import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/index.js";
import type { ResourceRef } from "../client/index.js";
import { Informer } from "../informer/index.js";
import { FakeListWatch, settle, until } from "../informer/testing/index.js";
import { exponentialRateLimiter, type RateLimiter } from "../workqueue/index.js";
import { FakeClock } from "../util/index.js";
import type { Controller } from "./controller.js";
import { runController } from "./run-controller.js";
import { enqueueObject } from "./enqueue.js";

const configMaps: ResourceRef = { group: "", version: "v1", plural: "configmaps", namespaced: true, kind: "ConfigMap" };
const cm = (name: string): KubeObject => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { namespace: "ns", name } });

/** A promise with its resolve function outside. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/** A controller without informers whose sync is the given function. */
function controllerWith(sync: (key: string) => Promise<void>, initialKeys: string[] = []) {
  let enqueue!: (key: string) => void;
  const controller: Controller = {
    name: "test",
    informers: [],
    register(add) {
      enqueue = add;
      for (const key of initialKeys) add(key);
    },
    sync,
  };
  return { controller, enqueue: (key: string) => enqueue(key) };
}

/** Records forget() so a test can see a success clear the key's failures. */
function recordingLimiter(base: RateLimiter) {
  const forgotten: string[] = [];
  const limiter: RateLimiter = {
    when: (key) => base.when(key),
    retries: (key) => base.retries(key),
    forget: (key) => {
      forgotten.push(key);
      base.forget(key);
    },
  };
  return { limiter, forgotten };
}

describe("runController", () => {
  it("retries a failing sync with growing back-off, then forgets the key's failures", async () => {
    const clock = new FakeClock();
    const { limiter, forgotten } = recordingLimiter(exponentialRateLimiter(10, 1000));
    const calls: number[] = [];
    const { controller } = controllerWith(async () => {
      calls.push(clock.now());
      if (calls.length <= 2) throw new Error(`transient failure ${calls.length}`);
    }, ["ns/a"]);
    const stop = new AbortController();
    const running = runController(controller, stop.signal, { clock, rateLimiter: limiter });
    await until(() => calls.length === 1, "first sync");
    clock.advance(9);
    await settle();
    assert.equal(calls.length, 1, "not before the first back-off (10 ms)");
    clock.advance(1);
    await until(() => calls.length === 2, "second sync");
    clock.advance(19);
    await settle();
    assert.equal(calls.length, 2, "not before the second back-off (20 ms)");
    clock.advance(1);
    await until(() => calls.length === 3, "third sync");
    assert.deepEqual(calls, [0, 10, 30]);
    await until(() => forgotten.includes("ns/a"), "forget after success");
    assert.equal(limiter.retries("ns/a"), 0);
    clock.advance(10_000);
    await settle();
    assert.equal(calls.length, 3, "a key that succeeded is not retried");
    stop.abort();
    await running;
  });

  it("deduplicates keys: many enqueues before a worker is free cost one sync", async () => {
    const synced: string[] = [];
    const { controller } = controllerWith(async (key) => {
      synced.push(key);
    }, ["ns/a", "ns/a", "ns/b", "ns/a", "ns/b"]);
    const stop = new AbortController();
    const running = runController(controller, stop.signal, { clock: new FakeClock() });
    await until(() => synced.length === 2, "syncs");
    await settle();
    assert.deepEqual(synced.sort(), ["ns/a", "ns/b"]);
    stop.abort();
    await running;
  });

  it("never runs two syncs of one key at once, but runs different keys in parallel", async () => {
    const inFlight = new Set<string>();
    let overlapOfOneKey = false;
    let maxParallel = 0;
    const gates = new Map<string, ReturnType<typeof gate>>();
    const calls: string[] = [];
    const { controller, enqueue } = controllerWith(async (key) => {
      if (inFlight.has(key)) overlapOfOneKey = true;
      inFlight.add(key);
      maxParallel = Math.max(maxParallel, inFlight.size);
      calls.push(key);
      const g = gate();
      gates.set(key, g);
      await g.opened;
      inFlight.delete(key);
    }, ["ns/a", "ns/b"]);
    const stop = new AbortController();
    const running = runController(controller, stop.signal, { clock: new FakeClock(), workers: 4 });
    await until(() => inFlight.size === 2, "a and b in flight");
    enqueue("ns/a");
    enqueue("ns/a");
    await settle();
    assert.deepEqual(calls, ["ns/a", "ns/b"], "a re-added key waits for its running sync");
    gates.get("ns/a")!.open();
    await until(() => calls.length === 3, "a runs again after done");
    assert.equal(calls[2], "ns/a");
    gates.get("ns/a")!.open();
    gates.get("ns/b")!.open();
    await until(() => inFlight.size === 0, "drained");
    assert.equal(overlapOfOneKey, false);
    assert.equal(maxParallel, 2);
    stop.abort();
    await running;
  });

  it("starts shared informers once, syncs only after they have synced, and maps events to keys", async () => {
    const fake = new FakeListWatch([cm("one")]);
    fake.listErrors.push(new Error("API server not up yet"));
    const clock = new FakeClock();
    const informer = new Informer(fake, configMaps, { clock });
    const synced: string[] = [];
    const controllerOn = (name: string): Controller => ({
      name,
      informers: [informer],
      register(enqueue) {
        informer.addEventHandler(enqueueObject(enqueue));
      },
      async sync(key) {
        assert.ok(informer.hasSynced(), "sync before the cache synced");
        synced.push(`${name} ${key} ${informer.cache.get(key) ? "present" : "absent"}`);
      },
    });
    const stop = new AbortController();
    const runs = [runController(controllerOn("first"), stop.signal, { clock }), runController(controllerOn("second"), stop.signal, { clock })];
    await until(() => fake.listCalls.length === 1, "first list");
    await settle();
    assert.deepEqual(synced, [], "no sync while the first list fails");
    clock.advance(30_000);
    await until(() => synced.length === 2, "initial syncs");
    assert.deepEqual(synced.sort(), ["first ns/one present", "second ns/one present"]);
    synced.length = 0;
    await until(() => fake.openWatches === 1, "watch");
    fake.delete("ns/one");
    await until(() => synced.length === 2, "delete syncs");
    assert.deepEqual(synced.sort(), ["first ns/one absent", "second ns/one absent"]);
    assert.equal(fake.listCalls.length, 2, "one informer run: one failed list and one good one");
    assert.equal(fake.watchCalls.length, 1);
    stop.abort();
    await Promise.all(runs);
    assert.equal(fake.openWatches, 0);
  });

  it("resolves after the signal aborts, once the syncs in flight have finished", async () => {
    const g = gate();
    let finished = false;
    const { controller } = controllerWith(async () => {
      await g.opened;
      finished = true;
    }, ["ns/a"]);
    const stop = new AbortController();
    let resolved = false;
    const running = runController(controller, stop.signal, { clock: new FakeClock() }).then(() => (resolved = true));
    await settle();
    stop.abort();
    await settle();
    assert.equal(resolved, false, "waits for the sync in flight");
    g.open();
    await running;
    assert.equal(finished, true);
  });

  it("resolves when aborted before the informers ever sync", async () => {
    const fake = new FakeListWatch();
    fake.listErrors.push(new Error("down"));
    const informer = new Informer(fake, configMaps, { clock: new FakeClock() });
    let syncs = 0;
    const stop = new AbortController();
    const running = runController(
      { name: "never-synced", informers: [informer], register() {}, sync: async () => void syncs++ },
      stop.signal,
    );
    await until(() => fake.listCalls.length === 1, "list");
    stop.abort();
    await running;
    assert.equal(syncs, 0);
  });
});
