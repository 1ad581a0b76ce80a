import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { KubeObject } from "../../api/object.js";
import { SqliteStore, StorageError, type Store, type StoreEvent } from "../../storage/index.js";
import { ObjectStore } from "../object-store.js";
import { ResourceCatalog } from "../resource-catalog.js";
import { RbacCache } from "./rbac-cache.js";
import { RbacAuthorizer } from "./rbac-authorizer.js";
import { bootstrapPolicy } from "./bootstrap-policy.js";

const rbac = "rbac.authorization.k8s.io";
const root = mkdtempSync(join(tmpdir(), "skiff-rbac-cache-"));
after(() => rmSync(root, { recursive: true, force: true }));
let files = 0;

const catalog = new ResourceCatalog();
const info = (plural: string) => catalog.lookup(rbac, "v1", plural)!.info;

const clusterRole = (name: string, resources: string[]): KubeObject => ({
  apiVersion: `${rbac}/v1`,
  kind: "ClusterRole",
  metadata: { name },
  rules: [{ apiGroups: [""], resources, verbs: ["get"] }],
});
const role = (namespace: string, name: string): KubeObject => ({
  apiVersion: `${rbac}/v1`,
  kind: "Role",
  metadata: { namespace, name },
  rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
});
const roleBinding = (namespace: string, name: string, roleName: string): KubeObject => ({
  apiVersion: `${rbac}/v1`,
  kind: "RoleBinding",
  metadata: { namespace, name },
  roleRef: { apiGroup: rbac, kind: "Role", name: roleName },
  subjects: [{ kind: "User", apiGroup: rbac, name: "alice" }],
});

/** Waits for `condition`, yielding to the event loop; fails after a bounded deadline. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function fixture(wrap: (store: Store) => Store = (s) => s) {
  const sqlite = new SqliteStore(join(root, `state-${files++}.db`), { pollIntervalMs: 0, compactionIntervalMs: 0 });
  const objects = new ObjectStore(wrap(sqlite));
  const stop = new AbortController();
  const cache = new RbacCache(objects, catalog, { relistDelayMs: 10 });
  return {
    objects,
    cache,
    stop,
    close: async () => {
      stop.abort();
      await sqlite.close();
    },
  };
}

describe("RbacCache", () => {
  it("start resolves with everything already stored", async () => {
    const f = await fixture();
    try {
      await f.objects.create(info("clusterroles"), clusterRole("reader", ["pods"]));
      await f.objects.create(info("roles"), role("default", "cm"));
      await f.objects.create(info("rolebindings"), roleBinding("default", "alice-cm", "cm"));
      assert.equal(f.cache.hasSynced(), false);
      await f.cache.start(f.stop.signal);
      assert.equal(f.cache.hasSynced(), true);
      assert.deepEqual(f.cache.clusterRoles().map((r) => r.metadata?.name), ["reader"]);
      assert.equal(f.cache.clusterRole("reader")?.rules?.[0]?.resources?.[0], "pods");
      assert.equal(f.cache.role("default", "cm")?.metadata?.name, "cm");
      assert.deepEqual(f.cache.roleBindings("default").map((b) => b.metadata?.name), ["alice-cm"]);
      assert.deepEqual(f.cache.roleBindings("other"), []);
      assert.deepEqual(f.cache.roles("other"), []);
    } finally {
      await f.close();
    }
  });

  it("sees objects written after start, updates, and forgets deletes", async () => {
    const f = await fixture();
    try {
      await f.cache.start(f.stop.signal);
      assert.deepEqual(f.cache.clusterRoles(), []);

      await f.objects.create(info("roles"), role("team", "cm"));
      const created = await f.objects.create(info("rolebindings"), roleBinding("team", "alice-cm", "cm"));
      await f.objects.create(info("clusterroles"), clusterRole("reader", ["pods"]));
      await eventually(
        () => f.cache.roleBindings("team").length === 1 && f.cache.role("team", "cm") !== undefined && f.cache.clusterRole("reader") !== undefined,
        "the new objects are seen",
      );

      const authorizer = new RbacAuthorizer(f.cache);
      const alice = { name: "alice", uid: "", groups: ["system:authenticated"] };
      const getConfigMap = {
        user: alice,
        verb: "get",
        resourceRequest: true,
        apiGroup: "",
        resource: "configmaps",
        subresource: "",
        namespace: "team",
        name: "x",
        path: "/api/v1/namespaces/team/configmaps/x",
      };
      assert.deepEqual(authorizer.authorize(getConfigMap), { allowed: true });

      const updated = { ...clusterRole("reader", ["pods", "services"]), metadata: { name: "reader" } };
      const stored = await f.objects.get(info("clusterroles"), "", "reader");
      await f.objects.update(info("clusterroles"), updated, Number(stored.metadata.resourceVersion));
      await eventually(() => f.cache.clusterRole("reader")?.rules?.[0]?.resources?.length === 2, "the update is seen");

      await f.objects.delete(info("rolebindings"), "team", created.metadata.name!);
      await f.objects.delete(info("clusterroles"), "", "reader");
      await eventually(
        () => f.cache.roleBindings("team").length === 0 && f.cache.clusterRole("reader") === undefined,
        "the deletes are forgotten",
      );
      assert.equal(authorizer.authorize(getConfigMap).allowed, false);
      assert.deepEqual(f.cache.clusterRoles(), []);
    } finally {
      await f.close();
    }
  });

  it("relists when its watch expires, missing nothing written meanwhile", async () => {
    let expireNextWatch = true;
    const f = await fixture((store) => ({
      get: (k) => store.get(k),
      list: (p, o) => store.list(p, o),
      create: (k, v) => store.create(k, v),
      update: (k, v, r) => store.update(k, v, r),
      delete: (k, r) => store.delete(k, r),
      currentRevision: () => store.currentRevision(),
      compactedRevision: () => store.compactedRevision(),
      compact: (r) => store.compact(r),
      close: () => store.close(),
      watch: (prefix, afterRevision, signal) => {
        if (prefix.includes("/clusterroles/") && expireNextWatch) {
          expireNextWatch = false;
          // Something is written while the watch is broken, then the watch reports 410.
          return (async function* (): AsyncGenerator<StoreEvent> {
            await store.create(`/registry/${rbac}/clusterroles/late`, JSON.stringify(clusterRole("late", ["nodes"])));
            throw new StorageError("Compacted", prefix, `revision ${afterRevision} has been compacted`, afterRevision + 1);
          })();
        }
        return store.watch(prefix, afterRevision, signal);
      },
    }));
    try {
      await f.cache.start(f.stop.signal);
      await eventually(() => f.cache.clusterRole("late") !== undefined, "the relist finds the object");
      await f.objects.create(info("clusterroles"), clusterRole("later", ["services"]));
      await eventually(() => f.cache.clusterRole("later") !== undefined, "the new watch delivers events");
    } finally {
      await f.close();
    }
  });

  it("serves the bootstrap policy written to the store", async () => {
    const f = await fixture();
    try {
      for (const obj of bootstrapPolicy()) {
        await f.objects.create(info(obj.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings"), obj);
      }
      await f.cache.start(f.stop.signal);
      const authorizer = new RbacAuthorizer(f.cache);
      const decision = authorizer.authorize({
        user: { name: "zed", uid: "", groups: ["system:authenticated"] },
        verb: "get",
        resourceRequest: false,
        apiGroup: "",
        resource: "",
        subresource: "",
        namespace: "",
        name: "",
        path: "/apis/apps/v1",
      });
      assert.deepEqual(decision, { allowed: true });
    } finally {
      await f.close();
    }
  });
});
