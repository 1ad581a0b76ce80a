import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseRequestInfo } from "../request-info.js";
import { attributesFrom } from "./attributes.js";

const alice = { name: "alice", uid: "", groups: ["system:authenticated"] };

function attrs(method: string, target: string) {
  const url = new URL(target, "https://localhost");
  const { user: _user, ...rest } = attributesFrom(alice, parseRequestInfo(method, url.pathname, url.searchParams), method, {
    query: url.searchParams,
  });
  return rest;
}

describe("attributesFrom", () => {
  it("a namespaced object with a subresource", () => {
    assert.deepEqual(attrs("POST", "/api/v1/namespaces/default/pods/web/exec?command=sh"), {
      verb: "create",
      resourceRequest: true,
      apiGroup: "",
      resource: "pods",
      subresource: "exec",
      namespace: "default",
      name: "web",
      path: "/api/v1/namespaces/default/pods/web/exec",
    });
  });

  it("a cluster-wide list in a named group", () => {
    const a = attrs("GET", "/apis/apps/v1/deployments");
    assert.equal(a.verb, "list");
    assert.equal(a.apiGroup, "apps");
    assert.equal(a.namespace, "");
    assert.equal(a.name, "");
  });

  it("a watch narrowed to one name carries the name", () => {
    const a = attrs("GET", "/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dcfg");
    assert.equal(a.verb, "watch");
    assert.equal(a.name, "cfg");
    assert.equal(attrs("GET", "/api/v1/namespaces/default/configmaps?fieldSelector=metadata.name!%3Dcfg").name, "");
  });

  it("a Namespace is addressed inside itself, with its subresources", () => {
    const ns = attrs("GET", "/api/v1/namespaces/team");
    assert.equal(ns.resource, "namespaces");
    assert.equal(ns.name, "team");
    assert.equal(ns.namespace, "team");
    const finalize = attrs("PUT", "/api/v1/namespaces/team/finalize");
    assert.deepEqual(
      [finalize.verb, finalize.resource, finalize.subresource, finalize.name, finalize.namespace],
      ["update", "namespaces", "finalize", "team", "team"],
    );
    assert.equal(attrs("GET", "/api/v1/namespaces").namespace, "");
  });

  it("a non-resource request uses the lower-case method and the path", () => {
    assert.deepEqual(attrs("POST", "/apis"), {
      verb: "post",
      resourceRequest: false,
      apiGroup: "",
      resource: "",
      subresource: "",
      namespace: "",
      name: "",
      path: "/apis",
    });
    assert.equal(attrs("GET", "/openapi/v3/apis/apps/v1").path, "/openapi/v3/apis/apps/v1");
  });
});
