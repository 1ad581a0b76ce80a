import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { labelSelectorFromStruct, type KubeObject } from "../../api/index.js";
import { ControllerRefManager, controllerUidIndex, newControllerRef, recheckOwner } from "./controller-ref.js";
import { podsRef, replicaSetsRef } from "./resources.js";
import { FakeApi } from "./testing/index.js";

const podsPath = "/api/v1/namespaces/ns/pods";
const rs: KubeObject = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { namespace: "ns", name: "web", uid: "rs-uid" }, spec: { selector: { matchLabels: { app: "web" } } } };
const ref = newControllerRef(rs, "apps/v1", "ReplicaSet");
const pod = (name: string, labels: Record<string, string>, owner?: KubeObject["metadata"]["ownerReferences"], extra: Partial<KubeObject["metadata"]> = {}): KubeObject => ({
  apiVersion: "v1",
  kind: "Pod",
  metadata: { namespace: "ns", name, uid: `uid-${name}`, labels, resourceVersion: "7", ...(owner ? { ownerReferences: owner } : {}), ...extra },
});

function manager(api: FakeApi, owner: KubeObject = rs) {
  return new ControllerRefManager(api.client, owner, labelSelectorFromStruct({ matchLabels: { app: "web" } }), {
    controllerRef: ref,
    resource: podsRef,
    canAdopt: recheckOwner(api.client, replicaSetsRef, owner),
  });
}

describe("controllerUidIndex", () => {
  it("indexes by controller uid, orphans by namespace", () => {
    assert.deepEqual(controllerUidIndex(pod("a", {}, [ref])), ["rs-uid"]);
    assert.deepEqual(controllerUidIndex(pod("b", {}, [{ ...ref, controller: false }])), ["orphan/ns"]);
  });
});

describe("ControllerRefManager", () => {
  it("claims owned matching pods, adopts matching orphans, releases owned pods that stopped matching, ignores others", async () => {
    const api = new FakeApi();
    api.seed("/apis/apps/v1/namespaces/ns/replicasets", rs);
    const owned = pod("owned", { app: "web" }, [ref]);
    const orphan = pod("orphan", { app: "web" }, [{ apiVersion: "v1", kind: "ConfigMap", name: "x", uid: "cm" }]);
    const strayed = pod("strayed", { app: "db" }, [ref]);
    const foreign = pod("foreign", { app: "web" }, [{ ...ref, uid: "other", name: "other" }]);
    const unmatched = pod("unmatched", { app: "db" });
    const dying = pod("dying", { app: "web" }, undefined, { deletionTimestamp: "2024-01-01T00:00:00Z" });
    for (const p of [owned, orphan, strayed, foreign, unmatched, dying]) api.seed(podsPath, p);
    const claimed = await manager(api).claim([owned, orphan, strayed, foreign, unmatched, dying]);
    assert.deepEqual(claimed.map((p) => p.metadata.name), ["owned", "orphan"]);
    assert.deepEqual(api.summary(), ["patch pods ns/orphan", "patch pods ns/strayed"]);
    const [adopt, release] = api.actions();
    assert.deepEqual(adopt!.body, { metadata: { resourceVersion: "7", ownerReferences: [orphan.metadata.ownerReferences![0], ref] } });
    assert.deepEqual(release!.body, { metadata: { resourceVersion: "7", ownerReferences: null } });
    assert.equal(api.transport.requests.filter((r) => r.method === "GET").length, 1, "the owner is re-read once");
    assert.deepEqual(claimed[1]!.metadata.ownerReferences?.at(-1), ref, "the adopted pod as patched");
  });

  it("refuses to adopt for an owner the server shows as deleted, and releases nothing while it is being deleted", async () => {
    const api = new FakeApi();
    api.seed("/apis/apps/v1/namespaces/ns/replicasets", { ...rs, metadata: { ...rs.metadata, deletionTimestamp: "2024-01-01T00:00:00Z" } });
    const orphan = pod("orphan", { app: "web" });
    api.seed(podsPath, orphan);
    await assert.rejects(manager(api).claim([orphan]), /being deleted|just been deleted/);
    assert.deepEqual(api.summary(), []);

    const dyingOwner = { ...rs, metadata: { ...rs.metadata, deletionTimestamp: "2024-01-01T00:00:00Z" } };
    const strayed = pod("strayed", { app: "db" }, [ref]);
    assert.deepEqual(await manager(api, dyingOwner).claim([strayed, orphan]), []);
    assert.deepEqual(api.summary(), []);
  });

  it("does not adopt for an owner replaced under the same name", async () => {
    const api = new FakeApi();
    api.seed("/apis/apps/v1/namespaces/ns/replicasets", { ...rs, metadata: { ...rs.metadata, uid: "new-uid" } });
    await assert.rejects(manager(api).claim([pod("orphan", { app: "web" })]), /is gone/);
  });

  it("fails the claim on a conflicting adoption but skips a pod that is gone", async () => {
    const api = new FakeApi();
    api.seed("/apis/apps/v1/namespaces/ns/replicasets", rs);
    const gone = pod("gone", { app: "web" });
    assert.deepEqual(await manager(api).claim([gone]), []);
    const stale = pod("stale", { app: "web" });
    api.seed(podsPath, { ...stale, metadata: { ...stale.metadata, resourceVersion: "8" } });
    await assert.rejects(manager(api).claim([stale]), (err: Error) => (err as { reason?: string }).reason === "Conflict");
  });
});
