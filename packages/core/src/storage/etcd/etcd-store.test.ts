import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { runStoreContract } from "../testing/contract-suite.js";
import { openStore } from "../open-store.js";
import { isStorageError } from "../store.js";
import { EtcdStore } from "./etcd-store.js";
import { startEtcd, type EtcdServer } from "./testing/etcd-server.js";

// A real etcd, started by this file. No etcd binary is a failure, not a skip: CI installs it.
let server: EtcdServer | undefined;
before(async () => {
  server = await startEtcd();
});
after(async () => {
  await server?.stop();
});

let stores = 0;
const freshStore = (): EtcdStore => {
  if (!server) throw new Error("etcd is not running");
  return new EtcdStore({ endpoints: [server.url], prefix: `/test-${process.pid}-${stores++}` });
};

runStoreContract("EtcdStore", async () => {
  const store = freshStore();
  return { store, cleanup: () => store.close() };
});

describe("EtcdStore", () => {
  it("the test etcd refuses clearly when its binary is missing", async () => {
    await assert.rejects(startEtcd({ binary: "/nonexistent/etcd", readyTimeoutMs: 1000 }), /etcd did not start.*exited[\s\S]*ENOENT/);
  });

  it("keeps keys under its prefix, invisible to a store with another prefix", async () => {
    const one = freshStore();
    const two = freshStore();
    try {
      await one.create("/k", "one");
      assert.equal(await two.get("/k"), undefined);
      await two.create("/k", "two");
      assert.equal((await one.get("/k"))?.value, "one");
      assert.deepEqual((await one.list("")).items.map((kv) => kv.key), ["/k"]);
    } finally {
      await one.close();
      await two.close();
    }
  });

  it("is opened from an etcd:// URL whose path is the key prefix", async () => {
    const url = `${server!.url.replace("http://", "etcd://")}/opened-${process.pid}`;
    const store = await openStore(url);
    const raw = new EtcdStore({ endpoints: [server!.url] });
    try {
      await store.create("/x", "v");
      assert.equal((await raw.get(`/opened-${process.pid}/x`))?.value, "v");
    } finally {
      await store.close();
      await raw.close();
    }
  });

  it("a list at a compacted revision reports the oldest available one", async () => {
    const store = freshStore();
    try {
      const first = await store.create("/a", "1");
      await store.create("/b", "2");
      const point = await store.currentRevision();
      await store.compact(point);
      await assert.rejects(store.list("", { revision: first.modRevision }), (err: unknown) => {
        assert.ok(isStorageError(err, "Compacted"));
        assert.equal(err.compactedRevision, point);
        return true;
      });
    } finally {
      await store.close();
    }
  });
});
