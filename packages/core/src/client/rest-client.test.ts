import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, isGone, isNotFound, isConflict } from "../api/index.js";
import { RestClient } from "./rest-client.js";
import { RecordingTransport } from "./testing/recording-transport.js";

const pods = { group: "", version: "v1", plural: "pods", namespaced: true };
const deployments = { group: "apps", version: "v1", plural: "deployments", namespaced: true };
const nodes = { group: "", version: "v1", plural: "nodes", namespaced: false };

test("URLs and queries are built from the resource ref alone", async () => {
  const t = new RecordingTransport(() => ({ status: 200, body: { kind: "X", metadata: {} } }));
  const c = new RestClient(t);
  await c.get(pods, "web", { namespace: "default" });
  await c.list(deployments, { namespace: "prod", labelSelector: "app=web", limit: 500, continue: "abc" });
  await c.list(pods, { fieldSelector: "spec.nodeName=n1" });
  await c.get(nodes, "n1", { namespace: "ignored" });
  await c.create(pods, { metadata: { name: "x", namespace: "ns1" } }, { fieldManager: "skiff" });
  await c.updateStatus(deployments, { metadata: { name: "d", namespace: "ns1", resourceVersion: "5" } });
  await c.patch(deployments, "d", "merge", { spec: { replicas: 2 } }, { namespace: "ns1", subresource: "scale" });
  await c.delete(pods, "x", { namespace: "ns1", propagationPolicy: "Foreground", gracePeriodSeconds: 0 });
  await c.deleteCollection(pods, { namespace: "ns1", labelSelector: "a=b" });
  await c.getSubresource(pods, "x", "log", { namespace: "ns1", query: { container: "c", tailLines: 10 } });
  assert.deepEqual(t.summary(), [
    "GET /api/v1/namespaces/default/pods/web",
    "GET /apis/apps/v1/namespaces/prod/deployments?labelSelector=app=web&limit=500&continue=abc",
    "GET /api/v1/pods?fieldSelector=spec.nodeName=n1",
    "GET /api/v1/nodes/n1",
    "POST /api/v1/namespaces/ns1/pods?fieldManager=skiff",
    "PUT /apis/apps/v1/namespaces/ns1/deployments/d/status",
    "PATCH /apis/apps/v1/namespaces/ns1/deployments/d/scale",
    "DELETE /api/v1/namespaces/ns1/pods/x",
    "DELETE /api/v1/namespaces/ns1/pods?labelSelector=a=b",
    "GET /api/v1/namespaces/ns1/pods/x/log?container=c&tailLines=10",
  ]);
  assert.equal(t.requests[6]!.headers!["content-type"], "application/merge-patch+json");
  assert.deepEqual(JSON.parse(t.requests[7]!.body as string), {
    kind: "DeleteOptions",
    apiVersion: "v1",
    propagationPolicy: "Foreground",
    gracePeriodSeconds: 0,
  });
});

test("server-side apply sends apply-patch+yaml with force and reports creation from 201", async () => {
  let exists = false;
  const t = new RecordingTransport(() => {
    const status = exists ? 200 : 201;
    exists = true;
    return { status, body: { metadata: { name: "web", resourceVersion: "1" } } };
  });
  const c = new RestClient(t);
  const obj = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "a" } };
  assert.equal((await c.apply(pods, obj, { fieldManager: "skiff", force: true })).created, true);
  assert.equal((await c.apply(pods, obj, { fieldManager: "skiff" })).created, false);
  assert.deepEqual(t.summary(), [
    "PATCH /api/v1/namespaces/a/pods/web?fieldManager=skiff&force=true",
    "PATCH /api/v1/namespaces/a/pods/web?fieldManager=skiff",
  ]);
  assert.equal(t.requests[0]!.headers!["content-type"], "application/apply-patch+yaml");
});

test("a Status body is rebuilt into the same ApiError", async () => {
  const t = new RecordingTransport(() => ({
    status: 409,
    body: {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "Conflict",
      code: 409,
      message: "Operation cannot be fulfilled",
      details: { name: "web", kind: "pods" },
    },
  }));
  await assert.rejects(new RestClient(t).get(pods, "web", { namespace: "a" }), (err: unknown) => {
    assert.ok(isConflict(err));
    assert.equal((err as ApiError).details?.name, "web");
    return true;
  });
});

test("a non-Status error body gets the reason its code implies", async () => {
  const t = new RecordingTransport(() => ({ status: 404, body: "404 page not found" }));
  await assert.rejects(new RestClient(t).get(pods, "web", { namespace: "a" }), (err: unknown) => {
    assert.ok(isNotFound(err));
    assert.match((err as Error).message, /could not find the requested resource/);
    return true;
  });
  const t500 = new RecordingTransport(() => ({ status: 503, body: "" }));
  await assert.rejects(new RestClient(t500).list(pods), (err: unknown) => (err as ApiError).code === 503);
});

test("watch yields events and throws ERROR events as ApiError", async () => {
  const t = new RecordingTransport(() => ({
    lines: [
      { type: "ADDED", object: { metadata: { name: "a" } } },
      { type: "BOOKMARK", object: { metadata: { resourceVersion: "9" } } },
      { type: "ERROR", object: { kind: "Status", status: "Failure", reason: "Expired", code: 410, message: "too old resource version" } },
      { type: "ADDED", object: { metadata: { name: "never" } } },
    ],
  }));
  const seen: string[] = [];
  await assert.rejects(
    (async () => {
      for await (const ev of new RestClient(t).watch(pods, { namespace: "a", resourceVersion: "5", allowWatchBookmarks: true })) {
        seen.push(ev.type);
      }
    })(),
    (err: unknown) => isGone(err),
  );
  assert.deepEqual(seen, ["ADDED", "BOOKMARK"]);
  assert.deepEqual(t.summary(), ["GET /api/v1/namespaces/a/pods?resourceVersion=5&allowWatchBookmarks=true&watch=true"]);
});

test("closing a watch ends iteration without error", async () => {
  const t = new RecordingTransport(() => ({
    lines: [1, 2, 3].map((i) => ({ type: "ADDED", object: { metadata: { name: `p${i}` } } })),
  }));
  const w = new RestClient(t).watch(pods);
  const names: string[] = [];
  for await (const ev of w) {
    names.push((ev.object as { metadata: { name: string } }).metadata.name);
    w.close();
  }
  assert.deepEqual(names, ["p1"]);
});

test("a watch refused at open throws the server's error", async () => {
  const t = new RecordingTransport(() => ({ status: 403, body: { kind: "Status", reason: "Forbidden", code: 403, message: "no" } }));
  await assert.rejects(
    (async () => {
      for await (const _ of new RestClient(t).watch(pods)) void _;
    })(),
    (err: unknown) => err instanceof ApiError && err.reason === "Forbidden",
  );
});
