import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseRequestInfo, type ResourceRequest } from "./request-info.js";

function parse(method: string, path: string): ResourceRequest {
  const url = new URL(path, "https://x");
  const info = parseRequestInfo(method, url.pathname, url.searchParams);
  assert.ok(info.isResource, `${path} should be a resource request`);
  return info;
}

describe("parseRequestInfo", () => {
  it("reads namespaced item paths with subresources", () => {
    const r = parse("PUT", "/apis/apps/v1/namespaces/ns1/deployments/web/scale");
    assert.deepEqual([r.verb, r.group, r.version, r.resource, r.namespace, r.name, r.subresource], ["update", "apps", "v1", "deployments", "ns1", "web", "scale"]);
  });
  it("treats namespaces/{name}/status and /finalize as the Namespace's own subresources", () => {
    for (const sub of ["status", "finalize"]) {
      const r = parse("PUT", `/api/v1/namespaces/doomed/${sub}`);
      assert.deepEqual([r.resource, r.namespace, r.name, r.subresource], ["namespaces", "", "doomed", sub]);
    }
  });
  it("reads a resource inside a namespace", () => {
    const r = parse("GET", "/api/v1/namespaces/doomed/pods");
    assert.deepEqual([r.verb, r.resource, r.namespace, r.name], ["list", "pods", "doomed", ""]);
  });
  it("distinguishes list, watch, get and deletecollection", () => {
    assert.equal(parse("GET", "/api/v1/pods?watch=true").verb, "watch");
    assert.equal(parse("GET", "/api/v1/watch/namespaces/a/pods").verb, "watch");
    assert.equal(parse("GET", "/api/v1/namespaces/a/pods/p").verb, "get");
    assert.equal(parse("DELETE", "/api/v1/namespaces/a/pods").verb, "deletecollection");
    assert.equal(parse("GET", "/api/v1/namespaces").verb, "list");
  });
  it("leaves discovery and other paths as non-resource requests", () => {
    for (const p of ["/api", "/apis", "/api/v1", "/apis/apps", "/apis/apps/v1", "/version", "/openapi/v3"]) {
      assert.equal(parseRequestInfo("GET", p, new URLSearchParams()).isResource, false, p);
    }
  });
});
