/**
 * The contract suite every `Store` backend runs: one `it` per guarantee of
 * `store.ts`. A backend's test file calls `runStoreContract` with a factory
 * that returns a fresh, empty store (for a shared server, a fresh key prefix).
 *
 * Tests never assume absolute revision numbers (etcd's revision is global to
 * the cluster and starts above 1); they compare revisions with each other.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isStorageError, type KeyValue, type Store, type StoreEvent, type StorageErrorCode } from "../store.js";

export interface StoreUnderTest {
  store: Store;
  cleanup(): Promise<void>;
}

/** A failsafe so a broken watch fails its test instead of hanging the run; never a timing assertion. */
const WATCH_DEADLINE_MS = 10_000;

export function runStoreContract(name: string, factory: () => Promise<StoreUnderTest>): void {
  /** Runs `body` with a fresh store, always cleaning up. */
  const withStore = async (body: (store: Store) => Promise<void>): Promise<void> => {
    const { store, cleanup } = await factory();
    try {
      await body(store);
    } finally {
      await cleanup();
    }
  };

  describe(`${name} (Store contract)`, () => {
    describe("create and get", () => {
      it("create returns the key at a new revision and get reads it back", () =>
        withStore(async (store) => {
          const before = await store.currentRevision();
          const kv = await store.create("/a/one", "v1");
          assert.equal(kv.key, "/a/one");
          assert.equal(kv.value, "v1");
          assert.ok(kv.modRevision > before);
          assert.equal(kv.createRevision, kv.modRevision);
          assert.deepEqual(await store.get("/a/one"), kv);
          assert.equal(await store.currentRevision(), kv.modRevision);
        }));

      it("get of a missing key is undefined", () =>
        withStore(async (store) => {
          assert.equal(await store.get("/missing"), undefined);
        }));

      it("create of an existing key fails with KeyExists and changes nothing", () =>
        withStore(async (store) => {
          const kv = await store.create("/a/one", "v1");
          await rejectsWith(store.create("/a/one", "v2"), "KeyExists");
          assert.deepEqual(await store.get("/a/one"), kv);
          assert.equal(await store.currentRevision(), kv.modRevision);
        }));

      it("values round-trip exactly (unicode, empty, large)", () =>
        withStore(async (store) => {
          const values = ["", "héllo ✓ 𝄞", JSON.stringify({ a: "x".repeat(100_000) })];
          for (const [i, value] of values.entries()) {
            await store.create(`/v/${i}`, value);
            assert.equal((await store.get(`/v/${i}`))?.value, value);
          }
        }));
    });

    describe("update", () => {
      it("update at the current revision writes a new revision and keeps createRevision", () =>
        withStore(async (store) => {
          const created = await store.create("/a/one", "v1");
          const updated = await store.update("/a/one", "v2", created.modRevision);
          assert.equal(updated.value, "v2");
          assert.ok(updated.modRevision > created.modRevision);
          assert.equal(updated.createRevision, created.createRevision);
          assert.deepEqual(await store.get("/a/one"), updated);
        }));

      it("update with a stale revision fails with Conflict and changes nothing", () =>
        withStore(async (store) => {
          const created = await store.create("/a/one", "v1");
          const updated = await store.update("/a/one", "v2", created.modRevision);
          await rejectsWith(store.update("/a/one", "v3", created.modRevision), "Conflict");
          assert.deepEqual(await store.get("/a/one"), updated);
        }));

      it("update of a missing key fails with NotFound", () =>
        withStore(async (store) => {
          await rejectsWith(store.update("/a/missing", "v", 1), "NotFound");
          const kv = await store.create("/a/gone", "v");
          await store.delete("/a/gone");
          await rejectsWith(store.update("/a/gone", "v2", kv.modRevision), "NotFound");
          assert.equal(await store.get("/a/gone"), undefined);
        }));
    });

    describe("delete", () => {
      it("delete without an expected revision returns the value at the deletion's revision", () =>
        withStore(async (store) => {
          const created = await store.create("/a/one", "v1");
          const deleted = await store.delete("/a/one");
          assert.equal(deleted.key, "/a/one");
          assert.equal(deleted.value, "v1");
          assert.equal(deleted.createRevision, created.createRevision);
          assert.ok(deleted.modRevision > created.modRevision);
          assert.equal(await store.currentRevision(), deleted.modRevision);
          assert.equal(await store.get("/a/one"), undefined);
        }));

      it("delete with a stale expected revision fails with Conflict; with the current one it succeeds", () =>
        withStore(async (store) => {
          const created = await store.create("/a/one", "v1");
          const updated = await store.update("/a/one", "v2", created.modRevision);
          await rejectsWith(store.delete("/a/one", created.modRevision), "Conflict");
          assert.deepEqual(await store.get("/a/one"), updated);
          const deleted = await store.delete("/a/one", updated.modRevision);
          assert.equal(deleted.value, "v2");
          assert.equal(await store.get("/a/one"), undefined);
        }));

      it("delete of a missing key fails with NotFound", () =>
        withStore(async (store) => {
          await rejectsWith(store.delete("/a/missing"), "NotFound");
          await rejectsWith(store.delete("/a/missing", 1), "NotFound");
        }));

      it("a deleted key can be created again with a new createRevision", () =>
        withStore(async (store) => {
          const first = await store.create("/a/one", "v1");
          await store.delete("/a/one");
          const second = await store.create("/a/one", "v2");
          assert.ok(second.createRevision > first.createRevision);
          assert.equal(second.createRevision, second.modRevision);
          assert.deepEqual(await store.get("/a/one"), second);
        }));
    });

    describe("revisions", () => {
      it("every write gets a strictly greater revision, across keys", () =>
        withStore(async (store) => {
          let last = await store.currentRevision();
          const next = (kv: KeyValue): void => {
            assert.ok(kv.modRevision > last, `${kv.modRevision} > ${last}`);
            last = kv.modRevision;
          };
          for (let i = 0; i < 5; i++) next(await store.create(`/r/${i}`, "x"));
          for (let i = 0; i < 5; i++) next(await store.update(`/r/${i}`, "y", (await store.get(`/r/${i}`))!.modRevision));
          for (let i = 0; i < 5; i++) next(await store.delete(`/r/${i}`));
          assert.equal(await store.currentRevision(), last);
        }));

      it("failed writes do not bump the revision", () =>
        withStore(async (store) => {
          const kv = await store.create("/a/one", "v1");
          await rejectsWith(store.create("/a/one", "v"), "KeyExists");
          await rejectsWith(store.update("/a/one", "v", kv.modRevision - 1), "Conflict");
          await rejectsWith(store.delete("/a/none"), "NotFound");
          assert.equal(await store.currentRevision(), kv.modRevision);
        }));
    });

    describe("list", () => {
      it("lists the keys under a prefix, sorted, at the current revision", () =>
        withStore(async (store) => {
          for (const key of ["/p/c", "/p/a", "/pq/x", "/o/z", "/p/b/deep", "/p/b"]) await store.create(key, key);
          const result = await store.list("/p/");
          assert.deepEqual(
            result.items.map((kv) => kv.key),
            ["/p/a", "/p/b", "/p/b/deep", "/p/c"],
          );
          assert.ok(result.items.every((kv) => kv.value === kv.key));
          assert.equal(result.revision, await store.currentRevision());
          assert.equal(result.more, false);
          assert.equal((await store.list("/nothing/")).items.length, 0);
        }));

      it("does not list deleted keys", () =>
        withStore(async (store) => {
          await store.create("/p/a", "1");
          await store.create("/p/b", "2");
          await store.delete("/p/a");
          assert.deepEqual(
            (await store.list("/p/")).items.map((kv) => kv.key),
            ["/p/b"],
          );
        }));

      it("lists at an older revision as a snapshot of that moment", () =>
        withStore(async (store) => {
          const a = await store.create("/p/a", "a1");
          const b = await store.create("/p/b", "b1");
          const snapshot = b.modRevision;
          await store.update("/p/a", "a2", a.modRevision);
          await store.delete("/p/b");
          await store.create("/p/c", "c1");
          const old = await store.list("/p/", { revision: snapshot });
          assert.equal(old.revision, snapshot);
          assert.deepEqual(
            old.items.map((kv) => [kv.key, kv.value, kv.modRevision]),
            [
              ["/p/a", "a1", a.modRevision],
              ["/p/b", "b1", b.modRevision],
            ],
          );
          const now = await store.list("/p/");
          assert.deepEqual(
            now.items.map((kv) => [kv.key, kv.value]),
            [
              ["/p/a", "a2"],
              ["/p/c", "c1"],
            ],
          );
        }));

      it("pages with limit + startAfter through one snapshot while writes continue", () =>
        withStore(async (store) => {
          for (let i = 0; i < 7; i++) await store.create(`/p/${i}`, `v${i}`);
          const first = await store.list("/p/", { limit: 3 });
          assert.deepEqual(
            first.items.map((kv) => kv.key),
            ["/p/0", "/p/1", "/p/2"],
          );
          assert.equal(first.more, true);
          if (first.remaining !== undefined) assert.equal(first.remaining, 4);
          // Writes after the first page must not show up in later pages.
          await store.create("/p/3a", "late");
          await store.delete("/p/5");
          await store.update("/p/6", "changed", (await store.get("/p/6"))!.modRevision);
          const keys = first.items.map((kv) => kv.key);
          const values = first.items.map((kv) => kv.value);
          let page = first;
          while (page.more) {
            const last = page.items[page.items.length - 1]!.key;
            page = await store.list("/p/", { revision: first.revision, limit: 3, startAfter: last });
            assert.equal(page.revision, first.revision);
            keys.push(...page.items.map((kv) => kv.key));
            values.push(...page.items.map((kv) => kv.value));
          }
          assert.deepEqual(keys, ["/p/0", "/p/1", "/p/2", "/p/3", "/p/4", "/p/5", "/p/6"]);
          assert.deepEqual(values, ["v0", "v1", "v2", "v3", "v4", "v5", "v6"]);
          assert.equal(page.more, false);
        }));

      it("a page that ends exactly at the last key reports no more", () =>
        withStore(async (store) => {
          for (let i = 0; i < 4; i++) await store.create(`/p/${i}`, "v");
          const first = await store.list("/p/", { limit: 2 });
          const second = await store.list("/p/", { revision: first.revision, limit: 2, startAfter: "/p/1" });
          assert.deepEqual(
            second.items.map((kv) => kv.key),
            ["/p/2", "/p/3"],
          );
          assert.equal(second.more, false);
          const all = await store.list("/p/", { limit: 4 });
          assert.equal(all.more, false);
        }));
    });

    describe("watch", () => {
      it("delivers every event after a revision in order, exactly once, including writes made while it starts", () =>
        withStore(async (store) => {
          const a = await store.create("/w/a", "a1");
          const from = a.modRevision;
          // History the watch must replay…
          const a2 = await store.update("/w/a", "a2", a.modRevision);
          const b = await store.create("/w/b", "b1");
          const controller = new AbortController();
          const events = collect(store.watch("/w/", from, controller.signal), 7, controller);
          // …writes racing with its start…
          const a3 = await store.update("/w/a", "a3", a2.modRevision);
          const bDeleted = await store.delete("/w/b");
          await tick();
          // …and live writes.
          const c = await store.create("/w/c", "c1");
          const c2 = await store.update("/w/c", "c2", c.modRevision);
          const aDeleted = await store.delete("/w/a", a3.modRevision);
          const got = await events;
          assert.deepEqual(
            got.map(summary),
            [
              ["update", "/w/a", "a2", a2.modRevision],
              ["create", "/w/b", "b1", b.modRevision],
              ["update", "/w/a", "a3", a3.modRevision],
              ["delete", "/w/b", "b1", bDeleted.modRevision],
              ["create", "/w/c", "c1", c.modRevision],
              ["update", "/w/c", "c2", c2.modRevision],
              ["delete", "/w/a", "a3", aDeleted.modRevision],
            ],
          );
          assertStrictlyIncreasing(got);
        }));

      it("carries prevKv on update and delete, none on create", () =>
        withStore(async (store) => {
          const from = await store.currentRevision();
          const created = await store.create("/w/a", "a1");
          const updated = await store.update("/w/a", "a2", created.modRevision);
          const deleted = await store.delete("/w/a");
          const controller = new AbortController();
          const [create, update, del] = await collect(store.watch("/w/", from, controller.signal), 3, controller);
          assert.equal(create?.type, "create");
          assert.equal(create?.prevKv, undefined);
          assert.deepEqual(create?.kv, created);
          assert.equal(create?.revision, created.modRevision);

          assert.equal(update?.type, "update");
          assert.deepEqual(update?.kv, updated);
          assert.deepEqual(update?.prevKv, created);
          assert.equal(update?.revision, updated.modRevision);

          assert.equal(del?.type, "delete");
          assert.deepEqual(del?.kv, deleted);
          assert.deepEqual(del?.prevKv, updated);
          assert.equal(del?.revision, deleted.modRevision);
        }));

      it("started before any write, sees each write once", () =>
        withStore(async (store) => {
          const from = await store.currentRevision();
          const controller = new AbortController();
          const events = collect(store.watch("/w/", from, controller.signal), 20, controller);
          const written: number[] = [];
          for (let i = 0; i < 20; i++) {
            written.push((await store.create(`/w/${String(i).padStart(2, "0")}`, "v")).modRevision);
            if (i % 5 === 0) await tick();
          }
          assert.deepEqual(
            (await events).map((e) => e.revision),
            written,
          );
        }));

      it("only sees keys under its prefix", () =>
        withStore(async (store) => {
          const from = await store.currentRevision();
          const controller = new AbortController();
          const events = collect(store.watch("/w/a/", from, controller.signal), 2, controller);
          await store.create("/w/ab", "sibling, not under the prefix");
          const one = await store.create("/w/a/1", "1");
          await store.create("/w/b/1", "other");
          await store.create("/x/a/1", "other");
          const two = await store.create("/w/a/2", "2");
          assert.deepEqual(
            (await events).map((e) => e.kv.key),
            [one.key, two.key],
          );
        }));

      it("many concurrent watchers each see every event once", () =>
        withStore(async (store) => {
          const from = await store.currentRevision();
          const controllers = Array.from({ length: 25 }, () => new AbortController());
          const all = controllers.map((controller) => collect(store.watch("/w/", from, controller.signal), 10, controller));
          const revisions: number[] = [];
          for (let i = 0; i < 10; i++) revisions.push((await store.create(`/w/${i}`, "v")).modRevision);
          for (const events of await Promise.all(all)) {
            assert.deepEqual(
              events.map((e) => e.revision),
              revisions,
            );
          }
        }));

      it("ends when its signal aborts", () =>
        withStore(async (store) => {
          const controller = new AbortController();
          const iterator = store.watch("/w/", await store.currentRevision(), controller.signal)[Symbol.asyncIterator]();
          const next = iterator.next();
          await tick();
          controller.abort();
          const result = await withDeadline(next, "watch did not end after abort");
          assert.equal(result.done, true);
        }));

      it("ends when the store closes", async () => {
        const { store, cleanup } = await factory();
        try {
          const controller = new AbortController();
          const iterator = store.watch("/w/", await store.currentRevision(), controller.signal)[Symbol.asyncIterator]();
          const next = iterator.next();
          await tick();
          await store.close();
          const result = await withDeadline(next, "watch did not end when the store closed");
          assert.equal(result.done, true);
        } finally {
          await cleanup();
        }
      });

      it("a watch from the current revision delivers only later writes", () =>
        withStore(async (store) => {
          await store.create("/w/old", "v");
          const from = await store.currentRevision();
          const controller = new AbortController();
          const events = collect(store.watch("/w/", from, controller.signal), 1, controller);
          const created = await store.create("/w/new", "v");
          assert.deepEqual(
            (await events).map((e) => e.revision),
            [created.modRevision],
          );
        }));
    });

    describe("compaction", () => {
      it("keeps latest values, serves reads at and after the compaction revision, refuses older ones", () =>
        withStore(async (store) => {
          const a = await store.create("/c/a", "a1");
          const early = a.modRevision;
          const b = await store.create("/c/b", "b1");
          const a2 = await store.update("/c/a", "a2", a.modRevision);
          await store.delete("/c/b");
          const kept = await store.create("/c/d", "d1");
          const point = kept.modRevision;
          const later = await store.update("/c/a", "a3", a2.modRevision);
          await store.compact(point);
          assert.equal(await store.compactedRevision(), point);

          // Latest values survive.
          assert.equal((await store.get("/c/a"))?.value, "a3");
          assert.equal(await store.get("/c/b"), undefined);
          assert.equal((await store.get("/c/d"))?.value, "d1");

          // The compaction revision itself is still a readable snapshot.
          const atPoint = await store.list("/c/", { revision: point });
          assert.deepEqual(
            atPoint.items.map((kv) => [kv.key, kv.value]),
            [
              ["/c/a", "a2"],
              ["/c/d", "d1"],
            ],
          );

          // Older revisions are gone, for list and for watch.
          await rejectsWith(store.list("/c/", { revision: early }), "Compacted");
          await rejectsWith(store.list("/c/", { revision: b.modRevision }), "Compacted");
          const controller = new AbortController();
          await rejectsWith(collect(store.watch("/c/", early, controller.signal), 1, controller), "Compacted");

          // A watch from the compaction point still sees everything after it.
          const watch = new AbortController();
          const events = await collect(store.watch("/c/", point, watch.signal), 1, watch);
          assert.deepEqual(
            events.map((e) => [e.type, e.kv.value, e.prevKv?.value, e.revision]),
            [["update", "a3", "a2", later.modRevision]],
          );
        }));

      it("compacting to an older revision than the current compaction point changes nothing", () =>
        withStore(async (store) => {
          const a = await store.create("/c/a", "a1");
          const b = await store.create("/c/b", "b1");
          await store.compact(b.modRevision);
          await store.compact(a.modRevision);
          assert.equal(await store.compactedRevision(), b.modRevision);
          assert.equal((await store.list("/c/")).items.length, 2);
        }));

      it("a key whose history was compacted can still be updated and deleted with its revision", () =>
        withStore(async (store) => {
          const a = await store.create("/c/a", "a1");
          const a2 = await store.update("/c/a", "a2", a.modRevision);
          await store.create("/c/b", "b1");
          await store.compact(await store.currentRevision());
          await rejectsWith(store.update("/c/a", "x", a.modRevision), "Conflict");
          const a3 = await store.update("/c/a", "a3", a2.modRevision);
          assert.equal(a3.createRevision, a.createRevision);
          await store.delete("/c/a", a3.modRevision);
          assert.equal(await store.get("/c/a"), undefined);
        }));
    });

    describe("concurrency", () => {
      it("20 concurrent read-modify-write loops never lose an update", () =>
        withStore(async (store) => {
          await store.create("/counter", "0");
          const writers = 20;
          const incrementsEach = 5;
          let conflicts = 0;
          const increment = async (): Promise<void> => {
            for (;;) {
              const current = await store.get("/counter");
              assert.ok(current);
              try {
                await store.update("/counter", String(Number(current.value) + 1), current.modRevision);
                return;
              } catch (err) {
                if (!isStorageError(err, "Conflict")) throw err;
                conflicts++;
                await tick();
              }
            }
          };
          await Promise.all(
            Array.from({ length: writers }, async () => {
              for (let i = 0; i < incrementsEach; i++) await increment();
            }),
          );
          assert.equal((await store.get("/counter"))?.value, String(writers * incrementsEach));
          assert.ok(conflicts >= 0);
        }));

      it("concurrent creates of one key: exactly one wins", () =>
        withStore(async (store) => {
          const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => store.create("/once", String(i))));
          const won = results.filter((r) => r.status === "fulfilled");
          assert.equal(won.length, 1);
          for (const r of results) {
            if (r.status === "rejected") assert.ok(isStorageError(r.reason, "KeyExists"));
          }
        }));
    });
  });
}

/** Reads `count` events from a watch, then aborts it. Fails (instead of hanging) past a generous deadline. */
async function collect(
  events: AsyncIterable<StoreEvent>,
  count: number,
  controller: AbortController,
): Promise<StoreEvent[]> {
  const got: StoreEvent[] = [];
  const reading = (async () => {
    for await (const event of events) {
      got.push(event);
      if (got.length >= count) break;
    }
  })();
  try {
    await withDeadline(reading, () => `watch delivered ${got.length} of ${count} events: ${JSON.stringify(got.map(summary))}`);
  } finally {
    controller.abort();
  }
  return got;
}

async function withDeadline<T>(promise: Promise<T>, message: string | (() => string)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(typeof message === "string" ? message : message())),
      WATCH_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function rejectsWith(promise: Promise<unknown>, code: StorageErrorCode): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(isStorageError(err, code), `expected StorageError ${code}, got ${String(err)}`);
    return true;
  });
}

function summary(event: StoreEvent): [string, string, string, number] {
  return [event.type, event.kv.key, event.kv.value, event.revision];
}

function assertStrictlyIncreasing(events: StoreEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i]!.revision > events[i - 1]!.revision, "revisions strictly increase");
  }
}

/** Lets other tasks (a watch starting, another writer) run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
