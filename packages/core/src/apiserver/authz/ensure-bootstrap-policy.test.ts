import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { ClusterRole, ClusterRoleBinding } from "kubernetes-types/rbac/v1.js";
import { SqliteStore } from "../../storage/index.js";
import { FakeClock } from "../../util/clock.js";
import { ObjectStore } from "../object-store.js";
import { ResourceCatalog } from "../resource-catalog.js";
import { bootstrapPolicy } from "./bootstrap-policy.js";
import { ensureBootstrapPolicy } from "./ensure-bootstrap-policy.js";

const catalog = new ResourceCatalog();
const clusterRoles = catalog.lookup("rbac.authorization.k8s.io", "v1", "clusterroles")!.info;
const clusterRoleBindings = catalog.lookup("rbac.authorization.k8s.io", "v1", "clusterrolebindings")!.info;
const clock = new FakeClock(Date.parse("2026-01-02T03:04:05.678Z"));

async function withStore(fn: (objects: ObjectStore) => Promise<void>): Promise<void> {
  const store = new SqliteStore(":memory:", { pollIntervalMs: 0, compactionIntervalMs: 0 });
  try {
    await fn(new ObjectStore(store));
  } finally {
    await store.close();
  }
}

describe("ensureBootstrapPolicy", () => {
  it("creates every default role and binding once", async () => {
    await withStore(async (objects) => {
      const first = await ensureBootstrapPolicy(objects, catalog, clock);
      assert.equal(first.created.length, bootstrapPolicy().length);
      assert.ok(first.created.includes("ClusterRole/cluster-admin"));
      assert.ok(first.created.includes("ClusterRoleBinding/system:discovery"));
      const admin = await objects.get(clusterRoles, "", "cluster-admin");
      assert.equal(admin.metadata.creationTimestamp, "2026-01-02T03:04:05Z");
      assert.ok(admin.metadata.uid);
      assert.equal(admin.metadata.labels?.["kubernetes.io/bootstrapping"], "rbac-defaults");
      assert.equal(admin.metadata.annotations?.["rbac.authorization.kubernetes.io/autoupdate"], "true");

      const second = await ensureBootstrapPolicy(objects, catalog, clock);
      assert.deepEqual(second, { created: [], updated: [] });
    });
  });

  it("gives back what an auto-updated object lost, keeping additions", async () => {
    await withStore(async (objects) => {
      await ensureBootstrapPolicy(objects, catalog, clock);
      const view = (await objects.get(clusterRoles, "", "system:aggregate-to-view")) as unknown as ClusterRole;
      const kept = view.rules!.slice(1);
      const extra = { apiGroups: ["example.com"], resources: ["widgets"], verbs: ["get"] };
      const edited = { ...view, rules: [...kept, extra] };
      await objects.update(clusterRoles, edited as never, Number(view.metadata!.resourceVersion));

      const result = await ensureBootstrapPolicy(objects, catalog, clock);
      assert.deepEqual(result, { created: [], updated: ["ClusterRole/system:aggregate-to-view"] });
      const after = (await objects.get(clusterRoles, "", "system:aggregate-to-view")) as unknown as ClusterRole;
      assert.equal(after.rules!.length, view.rules!.length + 1);
      assert.deepEqual(after.rules!.find((r) => r.apiGroups?.[0] === "example.com"), extra);
    });
  });

  it("leaves alone an object whose autoupdate annotation is false", async () => {
    await withStore(async (objects) => {
      await ensureBootstrapPolicy(objects, catalog, clock);
      const binding = (await objects.get(clusterRoleBindings, "", "system:public-info-viewer")) as unknown as ClusterRoleBinding;
      const restricted = {
        ...binding,
        metadata: { ...binding.metadata, annotations: { "rbac.authorization.kubernetes.io/autoupdate": "false" } },
        subjects: binding.subjects!.filter((s) => s.name !== "system:unauthenticated"),
      };
      await objects.update(clusterRoleBindings, restricted as never, Number(binding.metadata!.resourceVersion));

      assert.deepEqual(await ensureBootstrapPolicy(objects, catalog, clock), { created: [], updated: [] });
      const after = (await objects.get(clusterRoleBindings, "", "system:public-info-viewer")) as unknown as ClusterRoleBinding;
      assert.deepEqual(after.subjects!.map((s) => s.name), ["system:authenticated"]);
    });
  });
});
