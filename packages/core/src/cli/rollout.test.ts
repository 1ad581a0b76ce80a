import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { buildKubeconfig } from "../client/index.js";
import { RecordingTransport, discoveryReply, fakeDiscoveryDocuments, type FakeHandler } from "../client/testing/index.js";
import { CliContext } from "./cli-context.js";
import { registerRollout, type RolloutOptions } from "./rollout.js";

let dir = "";
let kubeconfig = "";

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "skiff-rollout-"));
  kubeconfig = join(dir, "admin.kubeconfig");
  await writeFile(kubeconfig, buildKubeconfig({ clusterName: "skiff", server: "https://127.0.0.1:6443", caCertPem: "CA", user: "admin", token: "t" }));
});
after(() => rm(dir, { recursive: true, force: true }));

/** apps/v1 with replica sets and daemon sets as well. */
const appsV1 = (() => {
  const doc = structuredClone(fakeDiscoveryDocuments["/apis/apps/v1"]) as { resources: Record<string, unknown>[] };
  const verbs = ["create", "delete", "get", "list", "patch", "update", "watch"];
  doc.resources.push(
    { name: "replicasets", singularName: "replicaset", namespaced: true, kind: "ReplicaSet", verbs, shortNames: ["rs"] },
    { name: "daemonsets", singularName: "daemonset", namespaced: true, kind: "DaemonSet", verbs, shortNames: ["ds"] },
  );
  return doc;
})();

async function cli(argv: string[], handler: FakeHandler, options: RolloutOptions = {}) {
  const transport = new RecordingTransport((req) =>
    req.path === "/apis/apps/v1" ? { body: appsV1 } : (discoveryReply(req.path) ?? handler(req)),
  );
  let stdout = "";
  let stderr = "";
  let code = 0;
  const program = new Command("skiff").exitOverride();
  const ctx = new CliContext({
    defaultKubeconfig: kubeconfig,
    transportFactory: () => transport,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    setExitCode: (c) => (code = c),
    now: () => Date.parse("2026-01-01T00:10:00.123Z"),
  });
  registerRollout(program, ctx, options);
  await program.parseAsync(["rollout", ...argv], { from: "user" });
  const requests = transport.summary().filter((r) => !/^GET \/apis?(\/|$)(v1|apps\/v1)?$/.test(r));
  return { code, stdout, stderr, requests, transport };
}

const web = (status: Record<string, number>, extra: Record<string, unknown> = {}) => ({
  kind: "Deployment",
  apiVersion: "apps/v1",
  metadata: { name: "web", namespace: "default", uid: "d1", generation: 2, resourceVersion: String(100 + (status["updatedReplicas"] ?? 0) * 10 + (status["availableReplicas"] ?? 0)) },
  spec: { replicas: 3, selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "web:2" }] } } },
  status: { observedGeneration: 2, ...status },
  ...extra,
});

test("status prints kubectl's line for every change until the rollout is done", async () => {
  const r = await cli(["status", "deployment/web"], (req) => {
    if (req.query?.["watch"]) {
      return {
        lines: [
          { type: "MODIFIED", object: web({ replicas: 4, updatedReplicas: 3, availableReplicas: 2 }) },
          { type: "BOOKMARK", object: { kind: "Deployment", metadata: { resourceVersion: "150" } } },
          { type: "MODIFIED", object: web({ replicas: 3, updatedReplicas: 3, availableReplicas: 2 }) },
          { type: "MODIFIED", object: web({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }) },
          { type: "MODIFIED", object: web({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }) },
        ],
      };
    }
    if (req.path.endsWith("/deployments")) {
      return { body: { kind: "DeploymentList", metadata: { resourceVersion: "110" }, items: [web({ replicas: 4, updatedReplicas: 1, availableReplicas: 0 })] } };
    }
    return { body: web({ replicas: 4, updatedReplicas: 1 }) };
  });
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
  assert.equal(
    r.stdout,
    [
      'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...',
      'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...',
      'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...',
      'deployment "web" successfully rolled out',
      "",
    ].join("\n"),
  );
  assert.deepEqual(r.requests, [
    "GET /apis/apps/v1/namespaces/default/deployments/web",
    "GET /apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name=web",
    "GET /apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name=web&resourceVersion=110&allowWatchBookmarks=true&watch=true",
  ]);
});

test("status --watch=false prints once; a done rollout needs no watch", async () => {
  const list = (status: Record<string, number>) => () => ({ body: { kind: "DeploymentList", metadata: { resourceVersion: "7" }, items: [web(status)] } });
  const once = await cli(["status", "deploy", "web", "--watch=false"], list({ updatedReplicas: 0 }));
  assert.equal(once.code, 0);
  assert.equal(once.stdout, 'Waiting for deployment "web" rollout to finish: 0 out of 3 new replicas have been updated...\n');
  assert.ok(!once.requests.some((q) => q.includes("watch=true")));
  const done = await cli(["status", "deploy/web"], list({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 }));
  assert.equal(done.stdout, 'deployment "web" successfully rolled out\n');
  assert.ok(!done.requests.some((q) => q.includes("watch=true")));
});

test("status fails on a passed progress deadline, a deletion, and a timeout", async () => {
  const stuck = web({ replicas: 3, updatedReplicas: 1 });
  (stuck.status as Record<string, unknown>)["conditions"] = [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }];
  const deadline = await cli(["status", "deploy/web"], () => ({ body: { kind: "DeploymentList", metadata: {}, items: [stuck] } }));
  assert.equal(deadline.code, 1);
  assert.equal(deadline.stderr, 'error: deployment "web" exceeded its progress deadline\n');

  const pending = web({ updatedReplicas: 0 });
  const deleted = await cli(["status", "deploy/web"], (req) =>
    req.query?.["watch"] ? { lines: [{ type: "DELETED", object: pending }] } : { body: { kind: "DeploymentList", metadata: { resourceVersion: "1" }, items: [pending] } },
  );
  assert.equal(deleted.code, 1);
  assert.equal(deleted.stderr, "error: object has been deleted\n");

  const expired = new AbortController();
  expired.abort();
  const timeout = await cli(
    ["status", "deploy/web", "--timeout=5s"],
    (req) => (req.query?.["watch"] ? { lines: [] } : { body: { kind: "DeploymentList", metadata: { resourceVersion: "1" }, items: [pending] } }),
    { timeoutSignal: (ms) => (assert.equal(ms, 5000), expired.signal) },
  );
  assert.equal(timeout.code, 1);
  assert.equal(timeout.stderr, "error: timed out waiting for the condition\n");
});

test("status of a daemon set, and of a kind without a viewer", async () => {
  const ds = {
    metadata: { name: "agent", generation: 1 },
    spec: { updateStrategy: { type: "RollingUpdate" } },
    status: { observedGeneration: 1, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2 },
  };
  const r = await cli(["status", "ds/agent"], () => ({ body: { kind: "DaemonSetList", metadata: {}, items: [ds] } }));
  assert.equal(r.stdout, 'daemon set "agent" successfully rolled out\n');
  const rs = await cli(["status", "rs/web-1"], () => undefined);
  assert.equal(rs.code, 1);
  assert.equal(rs.stderr, "error: no status viewer has been implemented for ReplicaSet.apps\n");
});

/** A deployment with three revisions, the newest (3) current. */
function history() {
  const owner = [{ apiVersion: "apps/v1", kind: "Deployment", name: "web", uid: "d1", controller: true }];
  const rs = (name: string, revision: string, image: string, cause?: string, uid = "d1") => ({
    metadata: {
      name,
      annotations: { "deployment.kubernetes.io/revision": revision, ...(cause ? { "kubernetes.io/change-cause": cause } : {}), "deployment.kubernetes.io/desired-replicas": "3" },
      ownerReferences: owner.map((o) => ({ ...o, uid })),
    },
    spec: { template: { metadata: { labels: { app: "web", "pod-template-hash": name } }, spec: { containers: [{ name: "web", image }] } } },
  });
  const deployment = web({}, {});
  deployment.metadata = { ...deployment.metadata, annotations: { "deployment.kubernetes.io/revision": "3" } } as typeof deployment.metadata;
  deployment.spec.template.spec.containers[0]!.image = "web:3";
  const sets = [rs("web-3", "3", "web:3", "image 3"), rs("web-1", "1", "web:1"), rs("web-2", "2", "web:2"), rs("other", "9", "x", undefined, "someone-else")];
  const handler: FakeHandler = (req) => {
    if (req.path.endsWith("/replicasets")) return { body: { kind: "ReplicaSetList", metadata: { resourceVersion: "5" }, items: sets } };
    if (req.method === "PATCH") return { body: deployment };
    return { body: deployment };
  };
  return { deployment, handler };
}

test("history lists the deployment's replica sets by revision, as kubectl prints it", async () => {
  const { handler } = history();
  const r = await cli(["history", "deployment/web"], handler);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n3         image 3\n\n");
  assert.deepEqual(r.requests, [
    "GET /apis/apps/v1/namespaces/default/deployments/web",
    "GET /apis/apps/v1/namespaces/default/replicasets?labelSelector=app=web",
  ]);
});

test("history --revision prints that revision's pod template", async () => {
  const { handler } = history();
  const r = await cli(["history", "deployment/web", "--revision=3"], handler);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^deployment\.apps\/web with revision #3\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash=web-3\n  Annotations:\tkubernetes\.io\/change-cause: image 3\n/);
  assert.match(r.stdout, /    Image:\tweb:3\n/);
  const missing = await cli(["history", "deployment/web", "--revision=8"], handler);
  assert.equal(missing.code, 1);
  assert.equal(missing.stderr, "error: unable to find the specified revision\n");
});

test("undo JSON-patches the previous revision's template and annotations into the deployment", async () => {
  const { handler } = history();
  const r = await cli(["undo", "deployment/web"], handler);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "deployment.apps/web rolled back\n");
  const patch = r.transport.requests.find((q) => q.method === "PATCH")!;
  assert.equal(patch.path, "/apis/apps/v1/namespaces/default/deployments/web");
  assert.equal(patch.headers!["content-type"], "application/json-patch+json");
  assert.deepEqual(JSON.parse(patch.body as string), [
    { op: "replace", path: "/spec/template", value: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "web:2" }] } } },
    { op: "replace", path: "/metadata/annotations", value: { "deployment.kubernetes.io/revision": "3" } },
  ]);
  const to1 = await cli(["undo", "deployment/web", "--to-revision=1"], handler);
  assert.equal(to1.code, 0, to1.stderr);
  assert.equal(JSON.parse(to1.transport.requests.find((q) => q.method === "PATCH")!.body as string)[0].value.spec.containers[0].image, "web:1");
});

test("undo to the current template is skipped; an unknown revision or a paused deployment fails", async () => {
  const { handler, deployment } = history();
  const same = await cli(["undo", "deployment/web", "--to-revision=3"], handler);
  assert.equal(same.code, 0);
  assert.equal(same.stdout, "deployment.apps/web skipped rollback (current template already matches revision 3)\n");
  assert.ok(!same.requests.some((q) => q.startsWith("PATCH")));
  const unknown = await cli(["undo", "deployment/web", "--to-revision=5"], handler);
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stderr, "error: unable to find specified revision 5 in history\n");
  (deployment.spec as Record<string, unknown>)["paused"] = true;
  const paused = await cli(["undo", "deployment/web"], handler);
  assert.equal(paused.code, 1);
  assert.match(paused.stderr, /^error: you cannot rollback a paused deployment; resume it first/);
});

test("restart patches the template's restartedAt annotation with the time in RFC 3339", async () => {
  const r = await cli(["restart", "deployment/web"], () => ({ body: web({}) }));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "deployment.apps/web restarted\n");
  const patch = r.transport.requests.find((q) => q.method === "PATCH")!;
  assert.equal(patch.headers!["content-type"], "application/strategic-merge-patch+json");
  assert.deepEqual(JSON.parse(patch.body as string), {
    spec: { template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": "2026-01-01T00:10:00Z" } } } },
  });
  const paused = await cli(["restart", "deployment/web"], () => ({ body: web({}, { spec: { ...web({}).spec, paused: true } }) }));
  assert.equal(paused.code, 1);
  assert.equal(paused.stderr, 'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n');
});

test("pause and resume patch spec.paused and refuse a no-op", async () => {
  const pause = await cli(["pause", "deployment/web"], () => ({ body: web({}) }));
  assert.equal(pause.code, 0, pause.stderr);
  assert.equal(pause.stdout, "deployment.apps/web paused\n");
  assert.deepEqual(JSON.parse(pause.transport.requests.find((q) => q.method === "PATCH")!.body as string), { spec: { paused: true } });
  const again = await cli(["pause", "deployment/web"], () => ({ body: web({}, { spec: { ...web({}).spec, paused: true } }) }));
  assert.equal(again.code, 1);
  assert.equal(again.stderr, 'error: deployments.apps "web" is already paused\n');
  const resume = await cli(["resume", "deployment/web"], () => ({ body: web({}, { spec: { ...web({}).spec, paused: true } }) }));
  assert.equal(resume.stdout, "deployment.apps/web resumed\n");
  assert.deepEqual(JSON.parse(resume.transport.requests.find((q) => q.method === "PATCH")!.body as string), { spec: { paused: null } });
  const notPaused = await cli(["resume", "deployment/web"], () => ({ body: web({}) }));
  assert.equal(notPaused.stderr, 'error: deployments.apps "web" is not paused\n');
  const ds = await cli(["pause", "ds/agent"], () => ({ body: { metadata: { name: "agent" } } }));
  assert.equal(ds.stderr, 'error: daemonsets.apps "agent" pausing is not supported\n');
});
