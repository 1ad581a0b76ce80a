import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildKubeconfig } from "../client/index.js";
import { RecordingTransport, discoveryReply, fakeDiscoveryDocuments, type FakeHandler } from "../client/testing/index.js";
import { runCli } from "./register-client-commands.js";

let dir = "";
let kubeconfig = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-scale-"));
  kubeconfig = join(dir, "admin.kubeconfig");
  await writeFile(kubeconfig, buildKubeconfig({ clusterName: "skiff", server: "https://127.0.0.1:6443", caCertPem: "CA", user: "admin", token: "t" }));
});
after(() => rm(dir, { recursive: true, force: true }));

/** apps/v1 with replica sets as well. */
const appsV1 = (() => {
  const doc = structuredClone(fakeDiscoveryDocuments["/apis/apps/v1"]) as { resources: Record<string, unknown>[] };
  const verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
  doc.resources.push(
    { name: "replicasets", singularName: "replicaset", namespaced: true, kind: "ReplicaSet", verbs, shortNames: ["rs"] },
    { name: "replicasets/scale", singularName: "", namespaced: true, kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
  );
  return doc;
})();

async function cli(argv: string[], handler: FakeHandler) {
  const transport = new RecordingTransport((req) =>
    req.path === "/apis/apps/v1" ? { body: appsV1 } : (discoveryReply(req.path) ?? handler(req)),
  );
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    defaultKubeconfig: kubeconfig,
    transportFactory: () => transport,
  });
  const requests = transport.summary().filter((r) => !/^GET \/apis?(\/|$)(v1|apps\/v1)?$/.test(r));
  return { code, stdout, stderr, requests, transport };
}

const scale = (replicas: number) => ({
  kind: "Scale",
  apiVersion: "autoscaling/v1",
  metadata: { name: "web", namespace: "default", resourceVersion: "42" },
  spec: { replicas },
  status: { replicas, selector: "app=web" },
});

test("scale GETs the object, then merge-patches the scale subresource", async () => {
  const r = await cli(["scale", "deployment/web", "--replicas=5"], (req) =>
    req.method === "PATCH" ? { body: scale(5) } : { body: { kind: "Deployment", metadata: { name: "web" } } },
  );
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "deployment.apps/web scaled\n");
  assert.deepEqual(r.requests, ["GET /apis/apps/v1/namespaces/default/deployments/web", "PATCH /apis/apps/v1/namespaces/default/deployments/web/scale"]);
  const patch = r.transport.requests.at(-1)!;
  assert.equal(patch.headers!["content-type"], "application/merge-patch+json");
  assert.deepEqual(JSON.parse(patch.body as string), { spec: { replicas: 5 } });
});

test("scale TYPE NAME... in -n scales each", async () => {
  const r = await cli(["scale", "rs", "a", "b", "--replicas", "0", "-n", "prod"], () => ({ body: scale(0) }));
  assert.equal(r.code, 0);
  assert.equal(r.stdout, "replicaset.apps/a scaled\nreplicaset.apps/b scaled\n");
  assert.deepEqual(
    r.requests.filter((q) => q.startsWith("PATCH")),
    ["PATCH /apis/apps/v1/namespaces/prod/replicasets/a/scale", "PATCH /apis/apps/v1/namespaces/prod/replicasets/b/scale"],
  );
});

test("--current-replicas reads the scale, then PUTs it back with its resourceVersion", async () => {
  const r = await cli(["scale", "deploy", "web", "--replicas=3", "--current-replicas=2"], (req) =>
    req.path.endsWith("/scale") ? { body: scale(req.method === "PUT" ? 3 : 2) } : { body: { metadata: { name: "web" } } },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "deployment.apps/web scaled\n");
  assert.deepEqual(r.requests, [
    "GET /apis/apps/v1/namespaces/default/deployments/web",
    "GET /apis/apps/v1/namespaces/default/deployments/web/scale",
    "PUT /apis/apps/v1/namespaces/default/deployments/web/scale",
  ]);
  const put = JSON.parse(r.transport.requests.at(-1)!.body as string);
  assert.equal(put.metadata.resourceVersion, "42");
  assert.equal(put.spec.replicas, 3);
  assert.equal(put.kind, "Scale");
});

test("a --current-replicas mismatch fails on the client with kubectl's words", async () => {
  const r = await cli(["scale", "deploy/web", "--replicas=3", "--current-replicas=7"], (req) =>
    req.path.endsWith("/scale") ? { body: scale(2) } : { body: { metadata: { name: "web" } } },
  );
  assert.equal(r.code, 1);
  assert.equal(r.stdout, "");
  assert.equal(r.stderr, "error: Expected replicas to be 7, was 2\n");
  assert.ok(!r.requests.some((q) => q.startsWith("PUT")));
});

test("missing --replicas, a missing object and a Conflict are errors", async () => {
  const noCount = await cli(["scale", "deploy/web"], () => undefined);
  assert.equal(noCount.code, 1);
  assert.equal(noCount.stderr, "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n");
  const missing = await cli(["scale", "deploy/gone", "--replicas=1"], () => ({
    status: 404,
    body: { kind: "Status", status: "Failure", reason: "NotFound", code: 404, message: 'deployments.apps "gone" not found' },
  }));
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, 'Error from server (NotFound): deployments.apps "gone" not found\n');
  const conflict = await cli(["scale", "deploy/web", "--replicas=1", "--current-replicas=2"], (req) =>
    req.method === "PUT"
      ? { status: 409, body: { kind: "Status", status: "Failure", reason: "Conflict", code: 409, message: "the object has been modified" } }
      : req.path.endsWith("/scale")
        ? { body: scale(2) }
        : { body: { metadata: { name: "web" } } },
  );
  assert.equal(conflict.code, 1);
  assert.equal(conflict.stderr, "Error from server (Conflict): the object has been modified\n");
});

test("scale TYPE -l lists, then scales every match", async () => {
  const r = await cli(["scale", "deploy", "-l", "tier=web", "--replicas=2"], (req) =>
    req.method === "GET"
      ? { body: { kind: "DeploymentList", metadata: { resourceVersion: "9" }, items: [{ metadata: { name: "a" } }, { metadata: { name: "b" } }] } }
      : { body: scale(2) },
  );
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "deployment.apps/a scaled\ndeployment.apps/b scaled\n");
  assert.equal(r.requests[0], "GET /apis/apps/v1/namespaces/default/deployments?labelSelector=tier=web");
});
