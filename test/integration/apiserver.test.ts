/**
 * The API server's Kubernetes semantics, against a real `skiff server`
 * process over HTTPS on the embedded SQLite store.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSkiffServer, type SkiffServer } from "../support/skiff-server.js";
import { clientFor, refs, rawRequest } from "../support/client.js";
import type { RestClient } from "../../packages/core/src/client/index.js";
import { ApiError, type KubeObject } from "../../packages/core/src/api/index.js";
import { startEtcd, type EtcdServer } from "../../packages/core/src/storage/etcd/testing/etcd-server.js";

let server: SkiffServer;
let client: RestClient;

async function expectApiError(promise: Promise<unknown>, reason: string, code?: number): Promise<ApiError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected ApiError, got ${String(err)}`);
    assert.equal(err.reason, reason, err.message);
    if (code !== undefined) assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${reason}`);
}

function configMap(name: string, data: Record<string, string> = { a: "1" }, labels?: Record<string, string>): KubeObject {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, ...(labels ? { labels } : {}) }, data };
}

function deployment(name: string, replicas = 1): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "c", image: "busybox" }] } },
    },
  };
}

for (const backend of ["sqlite", "etcd"] as const) describe(`API server over HTTPS on ${backend}`, () => {
  let etcd: EtcdServer | undefined;
  before(async () => {
    let store: string | undefined;
    if (backend === "etcd") {
      etcd = await startEtcd();
      store = `etcd://${new URL(etcd.url).host}`;
    }
    server = await startSkiffServer({ store, args: ["--compaction-interval", "1", "--compaction-retain", "5"] });
    client = await clientFor(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
    await etcd?.stop();
  });

  it("refuses requests without a valid token, but serves /version and /healthz anonymously", async () => {
    const anon = await rawRequest(server.kubeconfig, "GET", "/api/v1/namespaces", { token: null });
    assert.equal(anon.status, 401);
    assert.equal(JSON.parse(anon.body).reason, "Unauthorized");
    const wrong = await rawRequest(server.kubeconfig, "GET", "/api/v1/namespaces", { token: "nope" });
    assert.equal(wrong.status, 401);
    const version = await rawRequest(server.kubeconfig, "GET", "/version", { token: null });
    assert.equal(version.status, 200);
    assert.match(JSON.parse(version.body).gitVersion, /^v1\.32\./);
    assert.equal((await rawRequest(server.kubeconfig, "GET", "/healthz", { token: null })).body, "ok");
  });

  it("has the system namespaces", async () => {
    const list = await client.list<{ items: KubeObject[] }>(refs.namespaces);
    const names = list.items.map((n) => n.metadata.name);
    for (const n of ["default", "kube-system", "kube-public", "kube-node-lease"]) assert.ok(names.includes(n), n);
  });

  it("creates objects with uid, creationTimestamp and resourceVersion, and refuses duplicates", async () => {
    const created = await client.create(refs.configmaps, configMap("create-1"), { namespace: "default" });
    assert.match(created.metadata.uid ?? "", /^[0-9a-f-]{36}$/);
    assert.match(String(created.metadata.creationTimestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(created.metadata.resourceVersion ?? "", /^\d+$/);
    assert.equal(created.metadata.namespace, "default");
    const err = await expectApiError(client.create(refs.configmaps, configMap("create-1"), { namespace: "default" }), "AlreadyExists", 409);
    assert.equal(err.message, 'configmaps "create-1" already exists');
  });

  it("refuses an update with a stale resourceVersion (409) and keeps the newer write", async () => {
    const v1 = await client.create(refs.configmaps, configMap("stale-1"), { namespace: "default" });
    const v2 = await client.update(refs.configmaps, { ...v1, data: { a: "2" } }, { namespace: "default" });
    assert.notEqual(v2.metadata.resourceVersion, v1.metadata.resourceVersion);
    await expectApiError(client.update(refs.configmaps, { ...v1, data: { a: "3" } }, { namespace: "default" }), "Conflict", 409);
    const now = await client.get(refs.configmaps, "stale-1", { namespace: "default" });
    assert.deepEqual(now["data"], { a: "2" });
  });

  it("generateName makes a unique name", async () => {
    const generated: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { generateName: "gen-" } };
    const a = await client.create(refs.configmaps, structuredClone(generated), { namespace: "default" });
    const b = await client.create(refs.configmaps, structuredClone(generated), { namespace: "default" });
    assert.match(a.metadata.name!, /^gen-[a-z0-9]{5}$/);
    assert.notEqual(a.metadata.name, b.metadata.name);
  });

  it("bumps generation on spec changes only, and keeps status out of main-resource writes", async () => {
    const d = await client.create(refs.deployments, deployment("gen-d"), { namespace: "default" });
    assert.equal(d.metadata.generation, 1);
    const labelled = await client.patch(refs.deployments, "gen-d", "merge", { metadata: { labels: { x: "y" } } }, { namespace: "default" });
    assert.equal((labelled as KubeObject).metadata.generation, 1);
    const scaled = (await client.patch(refs.deployments, "gen-d", "merge", { spec: { replicas: 3 }, status: { replicas: 99 } }, { namespace: "default" })) as KubeObject;
    assert.equal(scaled.metadata.generation, 2);
    assert.notEqual((scaled["status"] as { replicas?: number } | undefined)?.replicas, 99);
    const withStatus = (await client.patch(refs.deployments, "gen-d", "merge", { status: { replicas: 2 }, spec: { replicas: 7 } }, { namespace: "default", subresource: "status" })) as KubeObject;
    assert.equal((withStatus["status"] as { replicas: number }).replicas, 2);
    assert.equal((withStatus["spec"] as { replicas: number }).replicas, 3);
  });

  it("applies defaults (Deployment strategy, container pull policy)", async () => {
    const d = await client.create(refs.deployments, deployment("defaults-d"), { namespace: "default" });
    const spec = d["spec"] as { strategy: { type: string; rollingUpdate: { maxSurge: string } }; revisionHistoryLimit: number; template: { spec: { containers: { imagePullPolicy: string }[]; restartPolicy: string } } };
    assert.equal(spec.strategy.type, "RollingUpdate");
    assert.equal(spec.strategy.rollingUpdate.maxSurge, "25%");
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.equal(spec.template.spec.containers[0]!.imagePullPolicy, "Always");
    assert.equal(spec.template.spec.restartPolicy, "Always");
  });

  it("serves the scale subresource", async () => {
    await client.create(refs.deployments, deployment("scale-d", 2), { namespace: "default" });
    const scale = await client.getSubresource<{ kind: string; spec: { replicas: number }; status: { selector: string } }>(refs.deployments, "scale-d", "scale", { namespace: "default" });
    assert.equal(scale.kind, "Scale");
    assert.equal(scale.spec.replicas, 2);
    assert.equal(scale.status.selector, "app=scale-d");
    await client.patch(refs.deployments, "scale-d", "merge", { spec: { replicas: 5 } }, { namespace: "default", subresource: "scale" });
    const d = await client.get(refs.deployments, "scale-d", { namespace: "default" });
    assert.equal((d["spec"] as { replicas: number }).replicas, 5);
  });

  it("filters by label and field selectors, and rejects unsupported field labels", async () => {
    await client.create(refs.configmaps, configMap("sel-a", {}, { tier: "front", app: "sel" }), { namespace: "default" });
    await client.create(refs.configmaps, configMap("sel-b", {}, { tier: "back", app: "sel" }), { namespace: "default" });
    const front = await client.list<{ items: KubeObject[] }>(refs.configmaps, { namespace: "default", labelSelector: "app=sel,tier in (front)" });
    assert.deepEqual(front.items.map((i) => i.metadata.name), ["sel-a"]);
    const notFront = await client.list<{ items: KubeObject[] }>(refs.configmaps, { namespace: "default", labelSelector: "app=sel,tier!=front" });
    assert.deepEqual(notFront.items.map((i) => i.metadata.name), ["sel-b"]);
    const byName = await client.list<{ items: KubeObject[] }>(refs.configmaps, { namespace: "default", fieldSelector: "metadata.name=sel-b" });
    assert.deepEqual(byName.items.map((i) => i.metadata.name), ["sel-b"]);
    await expectApiError(client.list(refs.configmaps, { namespace: "default", fieldSelector: "data.a=1" }), "BadRequest", 400);
    await expectApiError(client.list(refs.configmaps, { namespace: "default", labelSelector: "a in (" }), "BadRequest", 400);
  });

  it("pages with limit and continue through one snapshot", async () => {
    await client.create(refs.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "paging" } });
    for (let i = 0; i < 7; i++) await client.create(refs.configmaps, configMap(`page-${i}`), { namespace: "paging" });
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await client.list<{ items: KubeObject[]; metadata: { continue?: string } }>(refs.configmaps, { namespace: "paging", limit: 3, ...(cont ? { continue: cont } : {}) });
      seen.push(...page.items.map((i) => i.metadata.name!));
      cont = page.metadata.continue;
      pages++;
      // A write between pages is not visible in the rest of this list.
      if (pages === 1) await client.create(refs.configmaps, configMap("page-9"), { namespace: "paging" });
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ["page-0", "page-1", "page-2", "page-3", "page-4", "page-5", "page-6"]);
  });

  it("refuses objects in a namespace that does not exist", async () => {
    const err = await expectApiError(client.create(refs.configmaps, configMap("x"), { namespace: "no-such-ns" }), "NotFound", 404);
    assert.match(err.message, /namespaces "no-such-ns" not found/);
  });

  it("watch from a resourceVersion delivers every later event in order", async () => {
    const start = await client.list<{ metadata: { resourceVersion: string } }>(refs.configmaps, { namespace: "default" });
    const watch = client.watch<KubeObject>(refs.configmaps, { namespace: "default", resourceVersion: start.metadata.resourceVersion, labelSelector: "w=1" });
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of watch) {
        seen.push(`${ev.type} ${ev.object.metadata.name} ${JSON.stringify((ev.object as { data?: unknown }).data ?? {})}`);
        if (seen.length === 4) break;
      }
    })();
    const a = await client.create(refs.configmaps, configMap("w-a", { v: "1" }, { w: "1" }), { namespace: "default" });
    await client.create(refs.configmaps, configMap("w-b", { v: "1" }, { w: "1" }), { namespace: "default" });
    await client.update(refs.configmaps, { ...a, data: { v: "2" } }, { namespace: "default" });
    await client.create(refs.configmaps, configMap("w-ignored", {}, { w: "0" }), { namespace: "default" });
    await client.delete(refs.configmaps, "w-b", { namespace: "default" });
    await done;
    watch.close();
    assert.deepEqual(seen, ['ADDED w-a {"v":"1"}', 'ADDED w-b {"v":"1"}', 'MODIFIED w-a {"v":"2"}', 'DELETED w-b {"v":"1"}']);
  });

  it("a watch from a compacted resourceVersion ends with 410 Expired", async () => {
    const first = await client.create(refs.configmaps, configMap("compact-0"), { namespace: "default" });
    for (let i = 1; i < 20; i++) await client.create(refs.configmaps, configMap(`compact-${i}`), { namespace: "default" });
    // The server compacts every second keeping 5 revisions of history.
    let err: unknown;
    for (let attempt = 0; attempt < 50 && !err; attempt++) {
      await new Promise((r) => setTimeout(r, 200));
      const watch = client.watch(refs.configmaps, { namespace: "default", resourceVersion: first.metadata.resourceVersion! });
      const timer = setTimeout(() => watch.close(), 300);
      try {
        for await (const _ of watch) void _;
      } catch (e) {
        err = e;
      }
      clearTimeout(timer);
    }
    assert.ok(err instanceof ApiError, "expected the watch to fail");
    assert.equal(err.code, 410);
    assert.equal(err.reason, "Expired");
  });

  it("keeps an object with finalizers until they are removed", async () => {
    await client.create(refs.configmaps, { ...configMap("fin-1"), metadata: { name: "fin-1", finalizers: ["example.com/hold"] } }, { namespace: "default" });
    const pending = (await client.delete(refs.configmaps, "fin-1", { namespace: "default" })) as KubeObject;
    assert.ok(pending.metadata.deletionTimestamp, "deletionTimestamp set");
    const still = await client.get(refs.configmaps, "fin-1", { namespace: "default" });
    assert.ok(still.metadata.deletionTimestamp);
    await expectApiError(client.patch(refs.configmaps, "fin-1", "merge", { metadata: { finalizers: ["example.com/hold", "example.com/new"] } }, { namespace: "default" }), "Invalid", 422);
    await client.patch(refs.configmaps, "fin-1", "merge", { metadata: { finalizers: null } }, { namespace: "default" });
    await expectApiError(client.get(refs.configmaps, "fin-1", { namespace: "default" }), "NotFound", 404);
  });

  it("orphan and foreground deletion add the garbage collector's finalizers", async () => {
    await client.create(refs.configmaps, configMap("orphan-1"), { namespace: "default" });
    const o = (await client.delete(refs.configmaps, "orphan-1", { namespace: "default", propagationPolicy: "Orphan" })) as KubeObject;
    assert.deepEqual(o.metadata.finalizers, ["orphan"]);
    await client.create(refs.configmaps, configMap("fg-1"), { namespace: "default" });
    const f = (await client.delete(refs.configmaps, "fg-1", { namespace: "default", propagationPolicy: "Foreground" })) as KubeObject;
    assert.deepEqual(f.metadata.finalizers, ["foregroundDeletion"]);
  });

  it("dry-run validates and answers but stores nothing", async () => {
    const dry = await client.create(refs.configmaps, configMap("dry-1"), { namespace: "default", dryRun: true });
    assert.equal(dry.metadata.name, "dry-1");
    await expectApiError(client.get(refs.configmaps, "dry-1", { namespace: "default" }), "NotFound");
  });

  it("strict field validation refuses unknown fields; warn answers with a warning header", async () => {
    const body = JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "unk-1" }, data: {}, bogus: 1 });
    const strict = await rawRequest(server.kubeconfig, "POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Strict", { body, headers: { "content-type": "application/json" } });
    assert.equal(strict.status, 400);
    assert.match(JSON.parse(strict.body).message, /unknown field "bogus"/);
    await expectApiError(client.get(refs.configmaps, "unk-1", { namespace: "default" }), "NotFound");
    const warn = await rawRequest(server.kubeconfig, "POST", "/api/v1/namespaces/default/configmaps?fieldValidation=Warn", { body, headers: { "content-type": "application/json" } });
    assert.equal(warn.status, 201);
    assert.match(String(warn.headers["warning"]), /unknown field \\?"bogus\\?"/);
    assert.equal(JSON.parse(warn.body).bogus, undefined);
  });

  it("server-side apply creates, records managers, and reports conflicts", async () => {
    const manifest: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "ssa-1", namespace: "default" }, data: { a: "1" } };
    const first = await client.apply(refs.configmaps, manifest, { fieldManager: "alice" });
    assert.equal(first.created, true);
    assert.ok(first.object.metadata.managedFields?.some((m) => m.manager === "alice" && m.operation === "Apply"));
    const err = await expectApiError(client.apply(refs.configmaps, { ...manifest, data: { a: "2" } }, { fieldManager: "bob" }), "Conflict", 409);
    assert.match(err.message, /conflict with "alice"/);
    assert.equal(err.details?.causes?.[0]?.field, ".data.a");
    const forced = await client.apply(refs.configmaps, { ...manifest, data: { a: "2" } }, { fieldManager: "bob", force: true });
    assert.equal((forced.object as { data: { a: string } }).data.a, "2");
  });

  it("serves /metrics with request counts by resource and verb", async () => {
    const res = await rawRequest(server.kubeconfig, "GET", "/metrics");
    assert.equal(res.status, 200);
    assert.match(res.body, /apiserver_request_total\{[^}]*verb="POST"[^}]*resource="configmaps"[^}]*\} \d+/);
    assert.match(res.body, /apiserver_request_duration_seconds_bucket/);
  });

  it("loses no acknowledged write when killed with SIGKILL", async () => {
    await client.create(refs.namespaces, { apiVersion: "v1", kind: "Namespace", metadata: { name: "crash" } });
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      const cm = await client.create(refs.configmaps, configMap(`crash-${i}`), { namespace: "crash" });
      names.push(cm.metadata.name!);
    }
    await server.kill9();
    await server.restart();
    client = await clientFor(server.kubeconfig);
    const list = await client.list<{ items: KubeObject[] }>(refs.configmaps, { namespace: "crash" });
    assert.deepEqual(list.items.map((i) => i.metadata.name).sort(), names.sort());
  });
});

describe("server-side apply of defaulted list keys", () => {
  let server: SkiffServer;
  let c: RestClient;
  before(async () => {
    server = await startSkiffServer();
    c = await clientFor(server.kubeconfig);
  });
  after(async () => {
    await server?.stop();
  });

  it("re-applying a Service whose ports omit the defaulted protocol changes nothing", async () => {
    const svc: KubeObject = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "ssa-svc", namespace: "default" },
      spec: { selector: { app: "x" }, ports: [{ name: "http", port: 80 }] },
    };
    const first = await c.apply(refs.services, structuredClone(svc), { fieldManager: "me" });
    const second = await c.apply(refs.services, structuredClone(svc), { fieldManager: "me" });
    assert.equal(second.created, false);
    assert.equal((second.object["spec"] as { ports: unknown[] }).ports.length, 1);
    assert.equal(second.object.metadata.resourceVersion, first.object.metadata.resourceVersion);
  });
});
