/**
 * The `skiff` CLI's kubectl-like verbs against a real server: the binary
 * is spawned as a user would run it.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { startSkiffServer, repoRoot, type SkiffServer } from "../support/skiff-server.js";

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

describe("skiff CLI against a real server", () => {
  let server: SkiffServer;
  let k: string[];
  before(async () => {
    server = await startSkiffServer();
    k = ["--kubeconfig", server.kubeconfig];
  });
  after(async () => {
    await server?.stop();
  });

  it("get prints the server's table", async () => {
    const r = await skiff(["get", "namespaces", ...k]);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0]!, /^NAME\s+STATUS\s+AGE$/);
    assert.ok(lines.some((l) => /^default\s+Active\s+\d+s$/.test(l)), r.stdout);
  });

  it("apply -f a directory creates, then reports unchanged, then configured after a change", async () => {
    const first = await skiff(["apply", "-f", join(repoRoot, "examples/basics"), ...k]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /configmap\/web-config created/);
    assert.match(first.stdout, /deployment\.apps\/web created/);
    assert.match(first.stdout, /service\/web created/);
    const again = await skiff(["apply", "-f", join(repoRoot, "examples/basics"), ...k]);
    assert.match(again.stdout, /deployment\.apps\/web unchanged/);
    const changed = await skiff(
      ["apply", "-f", "-", ...k],
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\ndata:\n  greeting: changed\n",
    );
    assert.equal(changed.code, 0, changed.stderr);
    assert.match(changed.stdout, /configmap\/web-config configured/);
    const yaml = await skiff(["get", "configmap", "web-config", "-o", "yaml", ...k]);
    assert.match(yaml.stdout, /greeting: changed/);
  });

  it("get -o wide, -l and -o jsonpath", async () => {
    const wide = await skiff(["get", "deploy", "-o", "wide", ...k]);
    assert.match(wide.stdout.split("\n")[0]!, /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    const names = await skiff(["get", "cm", "-l", "missing=label", "-o", "jsonpath={.items[*].metadata.name}", ...k]);
    assert.equal(names.stdout.trim(), "");
    const svc = await skiff(["get", "svc", "web", "-o", "jsonpath={.spec.ports[0].port}", ...k]);
    assert.equal(svc.stdout.trim(), "80");
  });

  it("describe shows the object", async () => {
    const r = await skiff(["describe", "deployment", "web", ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Name:\s+web/);
    assert.match(r.stdout, /Namespace:\s+default/);
  });

  it("errors are one line and exit 1", async () => {
    const missing = await skiff(["get", "pod", "nope", ...k]);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr.trim(), 'Error from server (NotFound): pods "nope" not found');
    const unknown = await skiff(["get", "gizmos", ...k]);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /doesn't have a resource type "gizmos"/);
    const invalid = await skiff(["apply", "-f", "-", ...k], "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n");
    assert.equal(invalid.code, 1);
    assert.match(invalid.stderr, /metadata\.name/);
  });

  it("delete removes objects and says so", async () => {
    const r = await skiff(["delete", "-f", join(repoRoot, "examples/basics"), ...k]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /configmap "web-config" deleted/);
    const gone = await skiff(["get", "cm", "web-config", ...k]);
    assert.equal(gone.code, 1);
  });

  it("kubeconfig prints the admin kubeconfig path of a data dir", async () => {
    const r = await skiff(["kubeconfig", "--data-dir", server.dataDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), server.kubeconfig);
  });
});
