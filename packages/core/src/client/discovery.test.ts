import { test } from "node:test";
import assert from "node:assert/strict";
import { isNotFound } from "../api/index.js";
import { Discovery, UnknownResourceTypeError } from "./discovery.js";
import { RestClient } from "./rest-client.js";
import { RecordingTransport } from "./testing/recording-transport.js";
import { discoveryReply } from "./testing/fake-discovery.js";

function discovery() {
  const t = new RecordingTransport((req) => discoveryReply(req.path));
  return { t, d: new Discovery(new RestClient(t)) };
}

test("user words resolve like kubectl", async () => {
  const { d } = discovery();
  for (const word of ["po", "pod", "pods", "Pod", "pods.v1", "PODS"]) {
    assert.equal((await d.resolve(word)).plural, "pods", word);
  }
  for (const word of ["deploy", "deployment", "deployments", "Deployment", "deployments.apps", "deploy.v1.apps"]) {
    const r = await d.resolve(word);
    assert.equal(`${r.plural}.${r.group}/${r.version}`, "deployments.apps/v1", word);
  }
  const ns = await d.resolve("ns");
  assert.equal(ns.namespaced, false);
  const pods = await d.resolve("pods");
  assert.equal(pods.subresources.status, true);
  assert.ok((await d.resolve("deploy")).subresources.scale);
});

test("discovery is fetched once; an unknown word refetches once, then fails clearly", async () => {
  const { t, d } = discovery();
  await d.resolve("pods");
  await d.resolve("deploy");
  assert.equal(t.requests.length, 4);
  await assert.rejects(d.resolve("widgets"), (err: unknown) => {
    assert.ok(err instanceof UnknownResourceTypeError);
    assert.ok(isNotFound(err));
    assert.equal((err as Error).message, `the server doesn't have a resource type "widgets"`);
    return true;
  });
  assert.equal(t.requests.length, 8);
});

test("resourceFor maps apiVersion and kind from manifests", async () => {
  const { d } = discovery();
  assert.equal((await d.resourceFor({ group: "apps", version: "v1", kind: "Deployment" })).plural, "deployments");
  await assert.rejects(d.resourceFor({ group: "x.io", version: "v1", kind: "Widget" }), /resource mapping not found for kind "Widget" in version "x.io\/v1"/);
});
