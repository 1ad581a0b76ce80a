import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { openStore, parseStoreUrl, redactStoreUrl } from "./open-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

describe("parseStoreUrl", () => {
  it("reads sqlite absolute, relative and in-memory paths", () => {
    assert.deepEqual(parseStoreUrl("sqlite:///var/lib/skiff/state.db"), {
      backend: "sqlite",
      path: "/var/lib/skiff/state.db",
    });
    assert.deepEqual(parseStoreUrl("sqlite://data/state.db"), { backend: "sqlite", path: resolve("data/state.db") });
    assert.deepEqual(parseStoreUrl("sqlite://:memory:"), { backend: "sqlite", path: ":memory:" });
  });

  it("reads etcd endpoints and an optional key prefix", () => {
    assert.deepEqual(parseStoreUrl("etcd://127.0.0.1:2379"), { backend: "etcd", endpoints: ["http://127.0.0.1:2379"] });
    assert.deepEqual(parseStoreUrl("etcd://10.0.0.1:2379,10.0.0.2:2379/skiff/"), {
      backend: "etcd",
      endpoints: ["http://10.0.0.1:2379", "http://10.0.0.2:2379"],
      prefix: "/skiff",
    });
    assert.deepEqual(parseStoreUrl("etcd+https://etcd.local:2379"), {
      backend: "etcd",
      endpoints: ["https://etcd.local:2379"],
    });
  });

  it("refuses unknown schemes and empty locations with a clear message", () => {
    assert.throws(() => parseStoreUrl("postgres://db/skiff"), /unsupported store URL "postgres:\/\/db\/skiff": expected one of sqlite:\/\/…/);
    assert.throws(() => parseStoreUrl("/var/lib/state.db"), /unsupported store URL/);
    assert.throws(() => parseStoreUrl("sqlite://"), /needs a path/);
    assert.throws(() => parseStoreUrl("etcd://"), /at least one host:port/);
  });

  it("redacts credentials", () => {
    assert.equal(redactStoreUrl("etcd://user:secret@10.0.0.1:2379"), "etcd://***@10.0.0.1:2379");
  });
});

describe("openStore", () => {
  it("opens a working SQLite store, creating its directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "skiff-open-store-"));
    try {
      const store = await openStore(`sqlite://${join(dir, "nested", "state.db")}`, {
        sqlite: { pollIntervalMs: 0, compactionIntervalMs: 0 },
      });
      try {
        assert.ok(store instanceof SqliteStore);
        const kv = await store.create("/k", "v");
        assert.equal((await store.get("/k"))?.modRevision, kv.modRevision);
      } finally {
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
