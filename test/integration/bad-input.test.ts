/**
 * A corpus of bad requests. Each must get a 4xx `Status` (never a 5xx) that
 * names the problem — the field path where there is one — and must store
 * nothing.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { startSkiffServer, type SkiffServer } from "../support/skiff-server.js";
import { rawRequest } from "../support/client.js";

interface Case {
  name: string;
  method: string;
  path: string;
  contentType?: string;
  body?: string | Buffer;
  code: number;
  reason: string;
  /** A field path that must appear in details.causes (or the message). */
  field?: string;
  /** Text the message must contain. */
  message?: RegExp;
}

const ns = "/api/v1/namespaces/default";
const json = "application/json";
const pod = (spec: unknown, name = "bad-pod") => JSON.stringify({ apiVersion: "v1", kind: "Pod", metadata: { name }, spec });
const deploy = (spec: unknown) => JSON.stringify({ apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "bad-deploy" }, spec });
const template = { metadata: { labels: { app: "x" } }, spec: { containers: [{ name: "c", image: "busybox" }] } };

const cases: Case[] = [
  { name: "malformed JSON", method: "POST", path: `${ns}/configmaps`, contentType: json, body: '{"apiVersion":"v1",', code: 400, reason: "BadRequest", message: /not valid JSON/ },
  { name: "malformed YAML", method: "POST", path: `${ns}/configmaps`, contentType: "application/yaml", body: "metadata: {name: [", code: 400, reason: "BadRequest", message: /not valid YAML/ },
  { name: "empty body", method: "POST", path: `${ns}/configmaps`, contentType: json, body: "", code: 400, reason: "BadRequest" },
  { name: "a JSON array instead of an object", method: "POST", path: `${ns}/configmaps`, contentType: json, body: "[]", code: 400, reason: "BadRequest" },
  { name: "wrong type for replicas", method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", contentType: json, body: deploy({ replicas: "three", selector: { matchLabels: { app: "x" } }, template }), code: 422, reason: "Invalid", field: "spec.replicas" },
  { name: "wrong type for a container list", method: "POST", path: `${ns}/pods`, contentType: json, body: pod({ containers: "busybox" }), code: 422, reason: "Invalid", field: "spec.containers" },
  { name: "missing containers", method: "POST", path: `${ns}/pods`, contentType: json, body: pod({}), code: 422, reason: "Invalid", field: "spec.containers" },
  { name: "missing image", method: "POST", path: `${ns}/pods`, contentType: json, body: pod({ containers: [{ name: "c" }] }), code: 422, reason: "Invalid", field: "spec.containers[0].image" },
  { name: "missing name", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: {} }), code: 422, reason: "Invalid", field: "metadata.name" },
  { name: "name that is not a DNS subdomain", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "Bad_Name" } }), code: 422, reason: "Invalid", field: "metadata.name" },
  { name: "container name that is not a DNS label", method: "POST", path: `${ns}/pods`, contentType: json, body: pod({ containers: [{ name: "Web_1", image: "busybox" }] }), code: 422, reason: "Invalid", field: "spec.containers[0].name" },
  { name: "invalid label value", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-labels", labels: { app: "has spaces" } } }), code: 422, reason: "Invalid", field: "metadata.labels" },
  { name: "unknown field under strict validation", method: "POST", path: `${ns}/configmaps?fieldValidation=Strict`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-unknown" }, dta: {} }), code: 400, reason: "BadRequest", message: /unknown field "dta"/ },
  { name: "unknown nested field under strict validation", method: "POST", path: `${ns}/pods?fieldValidation=Strict`, contentType: json, body: pod({ containers: [{ name: "c", image: "busybox", imagee: "x" }] }), code: 400, reason: "BadRequest", message: /unknown field "spec\.containers\[0\]\.imagee"/ },
  { name: "selector that does not match the template", method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", contentType: json, body: deploy({ selector: { matchLabels: { app: "other" } }, template }), code: 422, reason: "Invalid", field: "spec.template.metadata.labels" },
  { name: "port out of range", method: "POST", path: `${ns}/services`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "Service", metadata: { name: "bad-svc" }, spec: { ports: [{ port: 70000 }] } }), code: 422, reason: "Invalid", field: "spec.ports[0].port" },
  { name: "kind that does not match the endpoint", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "bad-kind" } }), code: 400, reason: "BadRequest", message: /does not match/ },
  { name: "namespace that does not match the URL", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-ns", namespace: "kube-system" } }), code: 400, reason: "BadRequest", message: /namespace/ },
  { name: "unsupported content type", method: "POST", path: `${ns}/configmaps`, contentType: "text/plain", body: "hello", code: 415, reason: "UnsupportedMediaType" },
  { name: "truncated protobuf body", method: "POST", path: `${ns}/configmaps`, contentType: "application/vnd.kubernetes.protobuf", body: Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0x7f]), code: 400, reason: "BadRequest" },
  { name: "oversize body", method: "POST", path: `${ns}/configmaps`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-big" }, data: { a: "x".repeat(4 * 1024 * 1024) } }), code: 413, reason: "RequestEntityTooLarge" },
  { name: "invalid fieldValidation value", method: "POST", path: `${ns}/configmaps?fieldValidation=Loud`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-fv" } }), code: 400, reason: "BadRequest", message: /fieldValidation/ },
  { name: "invalid limit", method: "GET", path: `${ns}/configmaps?limit=-1`, code: 400, reason: "BadRequest" },
  { name: "invalid label selector", method: "GET", path: `${ns}/configmaps?labelSelector=${encodeURIComponent("a in (b")}`, code: 400, reason: "BadRequest" },
  { name: "unsupported field selector", method: "GET", path: `${ns}/configmaps?fieldSelector=data.x%3D1`, code: 400, reason: "BadRequest", message: /field label not supported/ },
  { name: "invalid resourceVersion for watch", method: "GET", path: `${ns}/configmaps?watch=true&resourceVersion=abc`, code: 400, reason: "BadRequest" },
  { name: "garbage continue token", method: "GET", path: `${ns}/configmaps?limit=1&continue=garbage`, code: 400, reason: "BadRequest" },
  { name: "patch with an unknown patch type", method: "PATCH", path: `${ns}/configmaps/bad-target`, contentType: "application/x-patch", body: "{}", code: 415, reason: "UnsupportedMediaType" },
  { name: "JSON patch that is not an array", method: "PATCH", path: `${ns}/configmaps/bad-target`, contentType: "application/json-patch+json", body: "{}", code: 400, reason: "BadRequest" },
  { name: "JSON patch with a bad op", method: "PATCH", path: `${ns}/configmaps/bad-target`, contentType: "application/json-patch+json", body: '[{"op":"frobnicate","path":"/data/a"}]', code: 400, reason: "BadRequest" },
  { name: "merge patch turning data into a number", method: "PATCH", path: `${ns}/configmaps/bad-target`, contentType: "application/merge-patch+json", body: '{"data":5}', code: 422, reason: "Invalid", field: "data" },
  { name: "apply without fieldManager", method: "PATCH", path: `${ns}/configmaps/bad-target`, contentType: "application/apply-patch+yaml", body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bad-target\n", code: 400, reason: "BadRequest", message: /fieldManager/ },
  { name: "update with a stale resourceVersion", method: "PUT", path: `${ns}/configmaps/bad-target`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-target", resourceVersion: "1" }, data: { a: "changed" } }), code: 409, reason: "Conflict", message: /the object has been modified/ },
  { name: "update whose name differs from the URL", method: "PUT", path: `${ns}/configmaps/bad-target`, contentType: json, body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "other" }, data: { a: "changed" } }), code: 400, reason: "BadRequest" },
  { name: "unknown resource", method: "GET", path: `${ns}/gizmos`, code: 404, reason: "NotFound" },
  { name: "invalid propagation policy", method: "DELETE", path: `${ns}/configmaps/bad-target`, contentType: json, body: '{"propagationPolicy":"Sideways"}', code: 422, reason: "Invalid", field: "propagationPolicy" },
];

describe("bad input", () => {
  let server: SkiffServer;
  before(async () => {
    server = await startSkiffServer();
    const target = await rawRequest(server.kubeconfig, "POST", `${ns}/configmaps`, {
      headers: { "content-type": json },
      body: JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "bad-target" }, data: { a: "original" } }),
    });
    assert.equal(target.status, 201, target.body);
  });
  after(async () => {
    await server?.stop();
  });

  for (const c of cases) {
    it(`${c.name} → ${c.code} ${c.reason}`, async () => {
      const headers: Record<string, string> = {};
      if (c.contentType) headers["content-type"] = c.contentType;
      const res = await rawRequest(server.kubeconfig, c.method, c.path, { headers, body: c.body });
      assert.equal(res.status, c.code, `${res.status}: ${res.body.slice(0, 500)}`);
      const status = JSON.parse(res.body) as { kind: string; reason: string; message: string; details?: { causes?: { field?: string; message?: string }[] } };
      assert.equal(status.kind, "Status");
      assert.equal(status.reason, c.reason, status.message);
      if (c.message) assert.match(status.message, c.message);
      if (c.field) {
        const fields = (status.details?.causes ?? []).map((x) => x.field ?? "");
        assert.ok(
          fields.some((f) => f === c.field || f.startsWith(`${c.field}[`) || f.startsWith(`${c.field}.`)),
          `expected a cause at ${c.field}, got ${JSON.stringify(fields)}: ${status.message}`,
        );
      }
    });
  }

  it("stored nothing and changed nothing", async () => {
    for (const plural of ["configmaps", "pods", "services", "secrets"]) {
      const res = await rawRequest(server.kubeconfig, "GET", `${ns}/${plural}`);
      const names = (JSON.parse(res.body) as { items: { metadata: { name: string } }[] }).items.map((i) => i.metadata.name);
      assert.deepEqual(names.filter((n) => n !== "bad-target" && n !== "kube-root-ca.crt"), [], plural);
    }
    const deploys = await rawRequest(server.kubeconfig, "GET", "/apis/apps/v1/namespaces/default/deployments");
    assert.deepEqual((JSON.parse(deploys.body) as { items: unknown[] }).items, []);
    const target = await rawRequest(server.kubeconfig, "GET", `${ns}/configmaps/bad-target`);
    assert.deepEqual(JSON.parse(target.body).data, { a: "original" });
  });
});
