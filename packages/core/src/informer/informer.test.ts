import { afterEach, describe, it } from "node:test";
import assert from "node:assert/strict";
import { errors, type KubeObject } from "../api/index.js";
import { RestClient, type ResourceRef } from "../client/index.js";
import { FakeClock } from "../util/index.js";
import { Informer, type EventHandlers } from "./informer.js";
import { ownerUidIndex } from "./cache.js";
import { FakeListWatch, settle, until } from "./testing/index.js";
import type { ListWatcher } from "./list-watcher.js";

const pods: ResourceRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };

function pod(namespace: string, name: string, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { namespace, name, uid: `uid-${name}` }, ...extra };
}

/** Handlers that record what they were told as short strings. */
function recorder() {
  const seen: string[] = [];
  const handlers: EventHandlers<KubeObject> = {
    onAdd: (o) => seen.push(`add ${o.metadata.namespace}/${o.metadata.name}`),
    onUpdate: (a, b) =>
      seen.push(`update ${b.metadata.namespace}/${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
    onDelete: (o) => seen.push(`delete ${o.metadata.namespace}/${o.metadata.name}`),
  };
  return { seen, handlers };
}

const stops: AbortController[] = [];
afterEach(() => {
  for (const s of stops.splice(0)) s.abort();
});

function start(fake: FakeListWatch, options: ConstructorParameters<typeof Informer>[2] = {}) {
  const clock = (options.clock as FakeClock | undefined) ?? new FakeClock();
  const informer = new Informer(fake, pods, { ...options, clock });
  const rec = recorder();
  informer.addEventHandler(rec.handlers);
  const stop = new AbortController();
  stops.push(stop);
  const running = informer.run(stop.signal);
  return { informer, clock, stop, running, seen: rec.seen };
}

describe("Informer", () => {
  it("takes a RestClient as its ListWatcher", () => {
    // A compile-time check as much as a runtime one: production passes the real client.
    const asListWatcher = (client: RestClient): ListWatcher => client;
    const client = new RestClient({ send: async () => ({ status: 200, body: "" }), stream: async () => { throw new Error("unused"); } } as never);
    assert.equal(new Informer(asListWatcher(client), pods).hasSynced(), false);
  });

  it("lists into the cache, calls onAdd, then watches from the list's resourceVersion with bookmarks", async () => {
    const fake = new FakeListWatch([pod("a", "p1"), pod("b", "p2")]);
    const { informer, seen } = start(fake);
    assert.equal(informer.hasSynced(), false);
    await informer.waitForSync();
    assert.deepEqual(seen.sort(), ["add a/p1", "add b/p2"]);
    assert.deepEqual(informer.cache.keys().sort(), ["a/p1", "b/p2"]);
    assert.equal(informer.cache.get("a/p1")?.metadata.uid, "uid-p1");
    await until(() => fake.openWatches === 1, "watch");
    assert.equal(fake.watchCalls[0]!.resourceVersion, "2");
    assert.equal(fake.watchCalls[0]!.allowWatchBookmarks, true);
  });

  it("applies watch events to the cache and tells handlers", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    const { informer, seen } = start(fake);
    await until(() => fake.openWatches === 1, "watch");
    fake.create(pod("a", "p2"));
    fake.update({ ...pod("a", "p1"), spec: { nodeName: "n1" } });
    fake.delete("a/p2");
    await until(() => seen.length === 4, "events");
    assert.deepEqual(seen, ["add a/p1", "add a/p2", "update a/p1 1->3", "delete a/p2"]);
    assert.deepEqual(informer.cache.keys(), ["a/p1"]);
    assert.deepEqual(informer.cache.get("a/p1")?.["spec"], { nodeName: "n1" });
    assert.equal(informer.resourceVersion, "4");
  });

  it("relists on 410 Gone and finds the adds, updates and deletes it missed", async () => {
    const fake = new FakeListWatch([pod("a", "gone"), pod("a", "changed"), pod("a", "same")]);
    const { informer, clock, seen } = start(fake);
    await until(() => fake.openWatches === 1, "watch");
    seen.length = 0;
    // The connection drops; while the informer backs off, things change and history is compacted.
    fake.breakWatches();
    await until(() => fake.openWatches === 0, "watch broken");
    fake.delete("a/gone");
    fake.update({ ...pod("a", "changed"), spec: { x: 1 } });
    fake.create(pod("a", "new"));
    fake.compact();
    clock.advance(30_000);
    await until(() => fake.listCalls.length === 2 && fake.openWatches === 1, "relist and watch");
    assert.deepEqual(seen.sort(), ["add a/new", "delete a/gone", "update a/changed 2->5"]);
    assert.deepEqual(informer.cache.keys().sort(), ["a/changed", "a/new", "a/same"]);
    assert.equal(fake.watchCalls.at(-1)!.resourceVersion, "6");
  });

  it("a delete found by relist carries the last known object (tombstone)", async () => {
    const fake = new FakeListWatch([pod("a", "p1", { spec: { seen: "by the cache" } })]);
    const { informer, clock } = start(fake);
    const deleted: KubeObject[] = [];
    informer.addEventHandler({ onDelete: (o) => deleted.push(o) });
    await until(() => fake.openWatches === 1, "watch");
    fake.breakWatches();
    await until(() => fake.openWatches === 0, "watch broken");
    fake.update(pod("a", "p1", { spec: { seen: "never" } }));
    fake.delete("a/p1");
    fake.compact();
    clock.advance(30_000);
    await until(() => deleted.length === 1, "delete");
    assert.deepEqual(deleted[0]!["spec"], { seen: "by the cache" });
    assert.equal(informer.cache.get("a/p1"), undefined);
  });

  it("restarts a broken watch from the last resourceVersion without relisting", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    const { clock, seen } = start(fake);
    await until(() => fake.openWatches === 1, "watch");
    fake.create(pod("a", "p2"));
    await until(() => seen.length === 2, "add");
    fake.breakWatches(new Error("connection reset"));
    await until(() => fake.openWatches === 0, "watch broken");
    fake.create(pod("a", "p3")); // happens while the informer is backing off
    clock.advance(30_000);
    await until(() => seen.length === 3, "replayed add");
    assert.equal(fake.listCalls.length, 1);
    assert.deepEqual(
      fake.watchCalls.map((c) => c.resourceVersion),
      ["1", "2"],
    );
    assert.deepEqual(seen, ["add a/p1", "add a/p2", "add a/p3"]);
  });

  it("backs off with growing delays while the watch keeps failing", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    fake.watchErrors.push(new Error("refused"), new Error("refused"), new Error("refused"));
    const { clock } = start(fake);
    await until(() => fake.watchCalls.length === 1, "first watch");
    await settle();
    clock.advance(300); // less than the smallest first delay (400 ms)
    await settle();
    assert.equal(fake.watchCalls.length, 1);
    clock.advance(500);
    await until(() => fake.watchCalls.length === 2, "second watch");
    await settle();
    clock.advance(799); // the second delay is at least 800 ms
    await settle();
    assert.equal(fake.watchCalls.length, 2);
    clock.advance(30_000);
    await until(() => fake.watchCalls.length === 3, "third watch");
  });

  it("bookmarks move the resourceVersion the next watch starts from", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    const { informer, seen } = start(fake);
    await until(() => fake.openWatches === 1, "watch");
    fake.bookmark(10);
    await until(() => informer.resourceVersion === "11", "bookmark");
    fake.endWatches(); // the server's timeout: watch again at once
    await until(() => fake.watchCalls.length === 2, "second watch");
    assert.equal(fake.watchCalls[1]!.resourceVersion, "11");
    assert.deepEqual(seen, ["add a/p1"], "a bookmark is not an event for handlers");
  });

  it("resync re-delivers every cached object as onUpdate(old = new)", async () => {
    const fake = new FakeListWatch([pod("a", "p1"), pod("a", "p2")]);
    const updates: [KubeObject, KubeObject][] = [];
    const clock = new FakeClock();
    const { informer } = start(fake, { resyncMs: 1000, clock });
    informer.addEventHandler({ onUpdate: (a, b) => updates.push([a, b]) });
    await informer.waitForSync();
    clock.advance(999);
    assert.equal(updates.length, 0);
    clock.advance(1);
    assert.equal(updates.length, 2);
    assert.ok(updates.every(([a, b]) => a === b));
    clock.advance(1000);
    assert.equal(updates.length, 4);
  });

  it("waitForSync waits through a failing first list and rejects when its signal aborts", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    fake.listErrors.push(errors.internal("etcd down"));
    const { informer, clock } = start(fake);
    let synced = false;
    void informer.waitForSync().then(() => (synced = true));
    const giveUp = new AbortController();
    const abandoned = informer.waitForSync(giveUp.signal);
    giveUp.abort(new Error("stopped waiting"));
    await assert.rejects(abandoned, /stopped waiting/);
    await until(() => fake.listCalls.length === 1, "first list");
    await settle();
    assert.equal(synced, false);
    assert.equal(informer.hasSynced(), false);
    clock.advance(30_000);
    await until(() => synced, "sync");
    assert.equal(informer.hasSynced(), true);
  });

  it("handlers added after sync get an onAdd for every cached object", async () => {
    const fake = new FakeListWatch([pod("a", "p1"), pod("b", "p2")]);
    const { informer } = start(fake);
    await informer.waitForSync();
    const late = recorder();
    informer.addEventHandler(late.handlers);
    assert.deepEqual(late.seen.sort(), ["add a/p1", "add b/p2"]);
  });

  it("a handler that throws does not stop the others or the informer", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    const informer = new Informer(fake, pods, { clock: new FakeClock() });
    const seen: string[] = [];
    informer.addEventHandler({
      onAdd: () => {
        throw new Error("bad handler");
      },
    });
    informer.addEventHandler({ onAdd: (o) => seen.push(o.metadata.name!) });
    const stop = new AbortController();
    stops.push(stop);
    void informer.run(stop.signal);
    await informer.waitForSync();
    fake.create(pod("a", "p2"));
    await until(() => seen.length === 2, "adds");
  });

  it("keeps indexes current: namespace by default, and added ones", async () => {
    const owned = (name: string, owner: string) =>
      pod("a", name, { metadata: { namespace: "a", name, ownerReferences: [{ apiVersion: "v1", kind: "X", name: owner, uid: owner }] } });
    const fake = new FakeListWatch([owned("p1", "o1"), owned("p2", "o1"), pod("b", "p3")]);
    const { informer, seen } = start(fake);
    await informer.waitForSync();
    informer.cache.addIndex("byOwnerUid", ownerUidIndex);
    assert.deepEqual(informer.cache.byIndex("namespace", "a").map((o) => o.metadata.name).sort(), ["p1", "p2"]);
    assert.deepEqual(informer.cache.byIndex("byOwnerUid", "o1").map((o) => o.metadata.name).sort(), ["p1", "p2"]);
    await until(() => fake.openWatches === 1, "watch");
    fake.update(owned("p2", "o2"));
    fake.delete("a/p1");
    await until(() => seen.length === 5, "events");
    assert.deepEqual(informer.cache.byIndex("byOwnerUid", "o1"), []);
    assert.deepEqual(informer.cache.byIndex("byOwnerUid", "o2").map((o) => o.metadata.name), ["p2"]);
    assert.throws(() => informer.cache.byIndex("nope", "x"), /no index/);
  });

  it("passes namespace and selectors, and asks for metadata only when told", async () => {
    const fake = new FakeListWatch([pod("a", "p1"), pod("b", "p2")]);
    const { informer } = start(fake, { namespace: "a", labelSelector: "app=web", metadataOnly: true });
    await informer.waitForSync();
    assert.deepEqual(informer.cache.keys(), ["a/p1"]);
    assert.equal(fake.listCalls[0]!.labelSelector, "app=web");
    assert.match(fake.listCalls[0]!.accept ?? "", /as=PartialObjectMetadataList;v=v1;g=meta\.k8s\.io/);
    await until(() => fake.openWatches === 1, "watch");
    assert.match(fake.watchCalls[0]!.accept ?? "", /as=PartialObjectMetadata;v=v1;g=meta\.k8s\.io/);
    assert.equal(fake.watchCalls[0]!.namespace, "a");
  });

  it("run resolves when its signal aborts, closing the watch", async () => {
    const fake = new FakeListWatch([pod("a", "p1")]);
    const { stop, running } = start(fake);
    await until(() => fake.openWatches === 1, "watch");
    stop.abort();
    await running;
    assert.equal(fake.openWatches, 0);
  });

  it("run resolves when aborted during back-off", async () => {
    const fake = new FakeListWatch();
    fake.listErrors.push(new Error("refused"));
    const { stop, running } = start(fake);
    await until(() => fake.listCalls.length === 1, "list");
    await settle();
    stop.abort();
    await running;
  });
});
