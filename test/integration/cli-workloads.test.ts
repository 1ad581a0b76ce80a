/**
 * `skiff scale` and `skiff rollout` against a real server running the
 * ReplicaSet and Deployment controllers. The server has no nodes, so pods
 * stay Pending and no rollout ever becomes available: these tests check
 * specs, replica sets and revisions, never readiness.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import type { Deployment, KubeList, ReplicaSet } from "../../packages/core/src/api/index.js";
import type { RestClient } from "../../packages/core/src/client/index.js";
import { startSkiffServer, repoRoot, type SkiffServer } from "../support/skiff-server.js";
import { clientFor, refs } from "../support/client.js";

function skiff(args: string[], input = ""): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "packages/core/src/bin/skiff.ts"), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", SKIFF_LOG_LEVEL: "warn" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** Polls `check` until it returns a value (not undefined) or 20 s pass. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 20_000;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const replicaSets = { group: "apps", version: "v1", plural: "replicasets", namespaced: true, kind: "ReplicaSet" };

const deploymentYaml = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: registry.local/web:1
`;

describe("skiff scale and rollout against a real server", () => {
  let server: SkiffServer;
  let client: RestClient;
  let k: string[];

  const deployment = () => client.get<Deployment>(refs.deployments, "web", { namespace: "default" });
  /** The deployment's replica sets by revision annotation. */
  const byRevision = async () => {
    const list = await client.list<KubeList>(replicaSets, { namespace: "default", labelSelector: "app=web" });
    const out = new Map<string, ReplicaSet>();
    for (const rs of list.items as ReplicaSet[]) {
      const rev = rs.metadata?.annotations?.["deployment.kubernetes.io/revision"];
      if (rev) out.set(rev, rs);
    }
    return out;
  };
  const revisions = async () => [...(await byRevision()).keys()].sort((a, b) => Number(a) - Number(b)).join(",");

  before(async () => {
    server = await startSkiffServer();
    client = await clientFor(server.kubeconfig);
    k = ["--kubeconfig", server.kubeconfig];
    const applied = await skiff(["apply", "-f", "-", ...k], deploymentYaml);
    assert.equal(applied.code, 0, applied.stderr);
    await eventually("revision 1", async () => ((await revisions()) === "1" ? true : undefined));
  });
  after(async () => {
    await server?.stop();
  });

  it("scale sets the deployment's replicas and its replica set follows", async () => {
    const r = await skiff(["scale", "deployment/web", "--replicas=3", ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "deployment.apps/web scaled\n");
    assert.equal((await deployment()).spec?.replicas, 3);
    await eventually("the replica set at 3", async () => ((await byRevision()).get("1")?.spec?.replicas === 3 ? true : undefined));

    const stale = await skiff(["scale", "deploy", "web", "--replicas=2", "--current-replicas=5", ...k]);
    assert.equal(stale.code, 1);
    assert.equal(stale.stderr, "error: Expected replicas to be 5, was 3\n");
    const checked = await skiff(["scale", "deploy", "web", "--replicas=2", "--current-replicas=3", ...k]);
    assert.equal(checked.code, 0, checked.stderr);
    assert.equal((await deployment()).spec?.replicas, 2);
  });

  it("history shows revisions 1 and 2 after a template change", async () => {
    await client.patch(refs.deployments, "web", "merge", { spec: { template: { spec: { containers: [{ name: "web", image: "registry.local/web:2" }] } } } }, { namespace: "default" });
    await eventually("revision 2", async () => ((await revisions()) === "1,2" ? true : undefined));
    const r = await skiff(["rollout", "history", "deployment/web", ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n");
    const one = await skiff(["rollout", "history", "deploy/web", "--revision=1", ...k]);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^deployment\.apps\/web with revision #1\nPod Template:\n/);
    assert.match(one.stdout, /\n    Image:\tregistry\.local\/web:1\n/);
  });

  it("undo --to-revision=1 restores the template; history then shows 2 and 3", async () => {
    const r = await skiff(["rollout", "undo", "deployment/web", "--to-revision=1", ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "deployment.apps/web rolled back\n");
    const d = await deployment();
    assert.equal(d.spec?.template.spec?.containers[0]?.image, "registry.local/web:1");
    assert.equal(d.spec?.template.metadata?.labels?.["pod-template-hash"], undefined);
    await eventually("revisions 2 and 3", async () => ((await revisions()) === "2,3" ? true : undefined));
    const history = await skiff(["rollout", "history", "deployment/web", ...k]);
    assert.equal(history.stdout, "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         <none>\n3         <none>\n\n");
    const again = await skiff(["rollout", "undo", "deployment/web", "--to-revision=3", ...k]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, "deployment.apps/web skipped rollback (current template already matches revision 3)\n");
  });

  it("status reports a rollout that cannot finish, and gives up at --timeout", async () => {
    const once = await skiff(["rollout", "status", "deployment/web", "--watch=false", ...k]);
    assert.equal(once.code, 0, once.stderr);
    assert.match(once.stdout, /^Waiting for deployment "web" rollout to finish: .*\.\.\.\n$/);
    const timed = await skiff(["rollout", "status", "deployment/web", "--timeout=1s", ...k]);
    assert.equal(timed.code, 1);
    assert.match(timed.stdout, /^Waiting for deployment "web" rollout to finish: /);
    assert.equal(timed.stderr, "error: timed out waiting for the condition\n");
  });

  it("restart sets the restartedAt annotation on the pod template", async () => {
    const r = await skiff(["rollout", "restart", "deployment/web", ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, "deployment.apps/web restarted\n");
    const at = (await deployment()).spec?.template.metadata?.annotations?.["kubectl.kubernetes.io/restartedAt"];
    assert.match(at ?? "", /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it("pause and resume set and clear spec.paused", async () => {
    const paused = await skiff(["rollout", "pause", "deployment/web", ...k]);
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.stdout, "deployment.apps/web paused\n");
    assert.equal((await deployment()).spec?.paused, true);
    const twice = await skiff(["rollout", "pause", "deployment/web", ...k]);
    assert.equal(twice.code, 1);
    assert.equal(twice.stderr, 'error: deployments.apps "web" is already paused\n');
    const restart = await skiff(["rollout", "restart", "deployment/web", ...k]);
    assert.equal(restart.code, 1);
    assert.match(restart.stderr, /can't restart paused deployment/);
    const resumed = await skiff(["rollout", "resume", "deployment/web", ...k]);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal(resumed.stdout, "deployment.apps/web resumed\n");
    assert.ok(!(await deployment()).spec?.paused);
  });
});
