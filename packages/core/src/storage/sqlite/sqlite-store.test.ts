import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { FakeClock } from "../../util/clock.js";
import { runStoreContract } from "../testing/contract-suite.js";
import { SqliteStore } from "./sqlite-store.js";

const root = mkdtempSync(join(tmpdir(), "skiff-sqlite-store-"));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const freshPath = (): string => join(root, `state-${files++}.db`);

runStoreContract("SqliteStore", async () => {
  const store = new SqliteStore(freshPath(), { pollIntervalMs: 0, compactionIntervalMs: 0 });
  return { store, cleanup: () => store.close() };
});

/** Lets pending promise chains (a compaction pass) run; no wall-clock waiting. */
const settle = async (): Promise<void> => {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("SqliteStore", () => {
  it("an acknowledged write survives kill -9 of the writing process", async () => {
    const path = freshPath();
    const writer = fileURLToPath(new URL("./testing/crash-writer.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", writer], { stdio: ["pipe", "pipe", "inherit"] });
    child.stdin.write(`${path}\n`);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    let lastAck = -1;
    await new Promise<void>((resolve, reject) => {
      let buffered = "";
      child.stdout.on("data", (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const line of lines) {
          const match = /^ack (\d+)$/.exec(line);
          if (match) lastAck = Number(match[1]);
        }
        if (lastAck >= 50) {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`writer exited early after ack ${lastAck}`)));
    }).catch((err: unknown) => {
      child.kill("SIGKILL");
      throw err;
    });
    assert.equal(await exited, "SIGKILL");

    const store = new SqliteStore(path, { pollIntervalMs: 0, compactionIntervalMs: 0 });
    try {
      for (let n = 0; n <= lastAck; n++) {
        assert.equal((await store.get(`/crash/${n}`))?.value, JSON.stringify({ n }), `acknowledged write ${n}`);
      }
      // Writes continue from where the log left off.
      const next = await store.create("/after-crash", "v");
      assert.ok(next.modRevision > lastAck + 1);
    } finally {
      await store.close();
    }
  });

  it("sees writes made by another store on the same file (another process)", async () => {
    const clock = new FakeClock();
    const path = freshPath();
    const watching = new SqliteStore(path, { pollIntervalMs: 1000, compactionIntervalMs: 0, clock });
    const writing = new SqliteStore(path, { pollIntervalMs: 0, compactionIntervalMs: 0 });
    try {
      const controller = new AbortController();
      const iterator = watching.watch("/x/", 0, controller.signal)[Symbol.asyncIterator]();
      const first = iterator.next();
      await settle();
      const one = await writing.create("/x/1", "1");
      const two = await writing.update("/x/1", "2", one.modRevision);
      clock.advance(1000);
      assert.deepEqual((await first).value?.revision, one.modRevision);
      assert.deepEqual((await iterator.next()).value?.revision, two.modRevision);
      // A local write after a remote one is still delivered in order.
      const three = await watching.update("/x/1", "3", two.modRevision);
      assert.deepEqual((await iterator.next()).value?.revision, three.modRevision);
      controller.abort();
      assert.equal((await iterator.next()).done, true);
    } finally {
      await watching.close();
      await writing.close();
    }
  });

  it("a slow watcher beyond its queue limit still gets every event once, in order", async () => {
    const store = new SqliteStore(freshPath(), {
      pollIntervalMs: 0,
      compactionIntervalMs: 0,
      watchQueueLimit: 3,
      watchReplayBatch: 2,
    });
    try {
      const controller = new AbortController();
      const iterator = store.watch("/s/", 0, controller.signal)[Symbol.asyncIterator]();
      const first = iterator.next(); // replay finds nothing and the watch goes live
      await settle();
      const written: number[] = [];
      for (let i = 0; i < 20; i++) written.push((await store.create(`/s/${i}`, "v")).modRevision);
      const seen = [(await first).value!.revision];
      while (seen.length < written.length) seen.push((await iterator.next()).value!.revision);
      assert.deepEqual(seen, written);
      controller.abort();
    } finally {
      await store.close();
    }
  });

  it("compacts automatically, keeping the configured window of revisions", async () => {
    const clock = new FakeClock();
    const store = new SqliteStore(freshPath(), {
      pollIntervalMs: 0,
      compactionIntervalMs: 300_000,
      compactionMinRetainedRevisions: 5,
      clock,
    });
    try {
      for (let i = 0; i < 20; i++) await store.create(`/k/${i}`, "v");
      // First pass: the revision seen at open (0) bounds it: nothing to do.
      clock.advance(300_000);
      await settle();
      assert.equal(await store.compactedRevision(), 0);
      for (let i = 20; i < 30; i++) await store.create(`/k/${i}`, "v");
      // Second pass: compacts to the revision seen at the first pass (20).
      clock.advance(300_000);
      await settle();
      assert.equal(await store.compactedRevision(), 20);
      // Third pass without writes: at most current - 5 = 25.
      clock.advance(300_000);
      await settle();
      assert.equal(await store.compactedRevision(), 25);
      assert.equal((await store.list("/k/")).items.length, 30);
    } finally {
      await store.close();
    }
  });

  it("compaction removes superseded rows and tombstones from the file", async () => {
    const store = new SqliteStore(freshPath(), { pollIntervalMs: 0, compactionIntervalMs: 0 });
    try {
      let kv = await store.create("/k/a", "0");
      for (let i = 1; i < 50; i++) kv = await store.update("/k/a", String(i), kv.modRevision);
      await store.create("/k/b", "b");
      await store.delete("/k/b");
      const before = await store.currentRevision();
      await store.compact(before);
      // Reopen and count through the public surface: history before the point is gone.
      const history = await store.list("/k/", { revision: before });
      assert.deepEqual(history.items.map((item) => [item.key, item.value]), [["/k/a", "49"]]);
      const db = (store as unknown as { db: import("better-sqlite3").Database }).db;
      const rows = db.prepare("SELECT COUNT(*) AS n FROM revision_log").get() as { n: number };
      assert.equal(rows.n, 1);
      // The revision keeps counting even though the last row (a tombstone) is gone.
      assert.equal(await store.currentRevision(), before);
      assert.equal((await store.create("/k/c", "c")).modRevision, before + 1);
    } finally {
      await store.close();
    }
  });
});
