/**
 * Kubernetes deletion semantics end to end: a real `skiff server` process
 * plus the garbage collector and the namespace controller, run here in the
 * test process through the same control loop the controller manager uses.
 * Every eventual check polls with a deadline; nothing waits a fixed time.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSkiffServer, type SkiffServer } from "../support/skiff-server.js";
import { clientFor, refs } from "../support/client.js";
import { Discovery, type RestClient, type ResourceRef } from "../../packages/core/src/client/index.js";
import { isNotFound, type KubeObject, type ResourceInfo } from "../../packages/core/src/api/index.js";
import { runController } from "../../packages/core/src/control-loop/index.js";
import { GarbageCollector } from "../../packages/core/src/controllers/garbage-collector/index.js";
import { NamespaceController } from "../../packages/core/src/controllers/namespace/index.js";

const secrets: ResourceRef = { group: "", version: "v1", plural: "secrets", namespaced: true, kind: "Secret" };
const deadlineMs = 20_000;
/** The namespace the namespace tests delete. */
const doomed = "doomed";

let server: SkiffServer;
let client: RestClient;

/** Polls `check` until it returns true or the deadline passes. */
async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = deadlineMs): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) assert.fail(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function tryGet(ref: ResourceRef, name: string, namespace?: string): Promise<KubeObject | undefined> {
  try {
    return await client.get<KubeObject>(ref, name, namespace ? { namespace } : {});
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

const gone = (ref: ResourceRef, name: string, namespace?: string) => async () => (await tryGet(ref, name, namespace)) === undefined;

function configMap(name: string, owner?: KubeObject, extra: { blockOwnerDeletion?: boolean; finalizers?: string[] } = {}): KubeObject {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      namespace: "default",
      ...(owner
        ? {
            ownerReferences: [
              {
                apiVersion: owner.apiVersion!,
                kind: owner.kind!,
                name: owner.metadata.name!,
                uid: owner.metadata.uid!,
                ...(extra.blockOwnerDeletion ? { blockOwnerDeletion: true } : {}),
              },
            ],
          }
        : {}),
      ...(extra.finalizers ? { finalizers: extra.finalizers } : {}),
    },
    data: { a: "1" },
  };
}

/** Creates an owner ConfigMap and one dependent of it. */
async function ownerAndDependent(prefix: string, extra: { blockOwnerDeletion?: boolean; finalizers?: string[] } = {}) {
  const owner = await client.create(refs.configmaps, configMap(`${prefix}-owner`));
  const dependent = await client.create(refs.configmaps, configMap(`${prefix}-dependent`, owner, extra));
  return { owner, dependent };
}

describe("deletion with the garbage collector and the namespace controller", () => {
  const stop = new AbortController();
  let loops: Promise<unknown>;

  before(async () => {
    server = await startSkiffServer();
    client = await clientFor(server.kubeconfig);
    const resources: ResourceInfo[] = await new Discovery(client).serverResources();
    loops = Promise.all([
      runController(new GarbageCollector(client, resources), stop.signal),
      runController(new NamespaceController(client, resources), stop.signal),
    ]);
  });

  after(async () => {
    stop.abort();
    await loops;
    await server?.stop();
  });

  it("background: deleting an owner deletes its dependent", async () => {
    const { owner } = await ownerAndDependent("bg");
    await client.delete(refs.configmaps, owner.metadata.name!, { namespace: "default" });
    await eventually("the dependent is deleted", gone(refs.configmaps, "bg-dependent", "default"));
  });

  it("collects a dependent whose owner never existed (a dangling reference)", async () => {
    const ghost: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ghost", uid: "00000000-0000-0000-0000-000000000001" } };
    await client.create(refs.configmaps, configMap("dangling", ghost));
    await eventually("the dangling dependent is deleted", gone(refs.configmaps, "dangling", "default"));
  });

  it("keeps a dependent whose owner is alive", async () => {
    const { owner } = await ownerAndDependent("alive");
    // A neighbour with a dangling reference is collected; once it is, the collector has looked at everything created before it.
    const ghost: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ghost2", uid: "00000000-0000-0000-0000-000000000002" } };
    await client.create(refs.configmaps, configMap("alive-marker", ghost));
    await eventually("the marker is collected", gone(refs.configmaps, "alive-marker", "default"));
    const dependent = await tryGet(refs.configmaps, "alive-dependent", "default");
    assert.ok(dependent, "the dependent of a live owner is kept");
    assert.equal(dependent.metadata.ownerReferences?.[0]?.uid, owner.metadata.uid);
  });

  it("orphan: the dependent stays and loses its owner reference", async () => {
    const { owner } = await ownerAndDependent("orphan");
    await client.delete(refs.configmaps, owner.metadata.name!, { namespace: "default", propagationPolicy: "Orphan" });
    await eventually("the owner is deleted", gone(refs.configmaps, "orphan-owner", "default"));
    await eventually("the dependent has no owner reference", async () => {
      const dependent = await tryGet(refs.configmaps, "orphan-dependent", "default");
      assert.ok(dependent, "the orphaned dependent must not be deleted");
      return (dependent.metadata.ownerReferences ?? []).length === 0;
    });
  });

  it("foreground: the owner stays until its dependent is gone", async () => {
    // The dependent holds a finalizer of its own, so it stays (being deleted) until the test lets it go.
    const { owner } = await ownerAndDependent("fg", { blockOwnerDeletion: true, finalizers: ["example.com/hold"] });
    const deleting = await client.delete<KubeObject>(refs.configmaps, owner.metadata.name!, { namespace: "default", propagationPolicy: "Foreground" });
    assert.ok(deleting.metadata.deletionTimestamp);
    assert.deepEqual(deleting.metadata.finalizers, ["foregroundDeletion"]);

    await eventually("the dependent is being deleted", async () => Boolean((await tryGet(refs.configmaps, "fg-dependent", "default"))?.metadata.deletionTimestamp));
    const waiting = await tryGet(refs.configmaps, "fg-owner", "default");
    assert.ok(waiting, "the owner waits for its dependent");
    assert.deepEqual(waiting.metadata.finalizers, ["foregroundDeletion"]);

    await client.patch(refs.configmaps, "fg-dependent", "merge", { metadata: { finalizers: null } }, { namespace: "default" });
    await eventually("the dependent is deleted", gone(refs.configmaps, "fg-dependent", "default"));
    await eventually("the owner is deleted", gone(refs.configmaps, "fg-owner", "default"));
  });

  it("deleting a namespace deletes its configmaps, secrets and deployments", async () => {
    await client.create(refs.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: doomed } });
    await client.create(refs.configmaps, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c", namespace: doomed }, data: { a: "1" } });
    await client.create(secrets, { apiVersion: "v1", kind: "Secret", metadata: { name: "s", namespace: doomed }, stringData: { a: "1" } });
    await client.create(refs.deployments, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "web", namespace: doomed },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "web" } },
        template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "busybox" }] } },
      },
    });
    await client.create(refs.configmaps, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bystander", namespace: "default" } });

    const terminating = await client.delete<KubeObject>(refs.namespaces, doomed);
    assert.equal((terminating["status"] as { phase?: string }).phase, "Terminating");

    for (const [ref, name] of [[refs.configmaps, "c"], [secrets, "s"], [refs.deployments, "web"]] as const) {
      await eventually(`${ref.plural}/${name} is deleted`, gone(ref, name, doomed));
    }
    assert.ok(await tryGet(refs.configmaps, "bystander", "default"), "other namespaces keep their content");
  });

  it(
    "an emptied namespace is deleted",
    async () => {
      // Its content is gone already (the test before); the controller finalizes an empty namespace at once.
      await eventually("the namespace is deleted", gone(refs.namespaces, doomed), 5_000);
    },
  );
});
