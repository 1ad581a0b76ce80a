/**
 * RBAC on a real server: the admin (system:masters) may do everything; a
 * new user may do nothing until a RoleBinding grants it, and only in that
 * namespace.
 */
import { describe, it, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { startSkiffServer, type SkiffServer } from "../support/skiff-server.js";
import { rawRequest } from "../support/client.js";

describe("RBAC", () => {
  let server: SkiffServer;
  let aliceToken: string;
  before(async () => {
    server = await startSkiffServer();
    // A second user, added the way an operator adds a static token, then the server restarted to read it.
    const path = join(server.dataDir, "tokens.json");
    const file = JSON.parse(await readFile(path, "utf8")) as { tokens: { token: string; user: string; uid: string; groups: string[] }[] };
    aliceToken = "a".repeat(64);
    file.tokens.push({ token: aliceToken, user: "alice", uid: "alice-uid", groups: ["developers"] });
    await writeFile(path, JSON.stringify(file), { mode: 0o600 });
    await server.restart();
  });
  after(async () => {
    await server?.stop();
  });

  const asAlice = (method: string, path: string, body?: unknown) =>
    rawRequest(server.kubeconfig, method, path, {
      token: aliceToken,
      ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });

  it("writes the bootstrap cluster roles", async () => {
    const res = await rawRequest(server.kubeconfig, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/cluster-admin");
    assert.equal(res.status, 200);
    const view = await rawRequest(server.kubeconfig, "GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view");
    assert.equal(JSON.parse(view.body).metadata.labels["kubernetes.io/bootstrapping"], "rbac-defaults");
  });

  it("refuses a user without bindings with upstream's message", async () => {
    const res = await asAlice("GET", "/api/v1/namespaces/default/pods");
    assert.equal(res.status, 403);
    const status = JSON.parse(res.body) as { reason: string; message: string };
    assert.equal(status.reason, "Forbidden");
    assert.equal(status.message, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
    // Discovery is open to every authenticated user.
    assert.equal((await asAlice("GET", "/apis")).status, 200);
  });

  it("a RoleBinding to the edit ClusterRole grants access in its namespace only", async () => {
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: { name: "developers-edit", namespace: "default" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "edit" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "developers" }],
    };
    const created = await rawRequest(server.kubeconfig, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", {
      body: JSON.stringify(binding),
      headers: { "content-type": "application/json" },
    });
    assert.equal(created.status, 201, created.body);
    // The authorizer's cache follows the store through a watch; allow it a moment.
    const deadline = Date.now() + 5000;
    let res = await asAlice("GET", "/api/v1/namespaces/default/configmaps");
    while (res.status === 403 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await asAlice("GET", "/api/v1/namespaces/default/configmaps");
    }
    assert.equal(res.status, 200, res.body);
    const cm = await asAlice("POST", "/api/v1/namespaces/default/configmaps", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "alice-cm" } });
    assert.equal(cm.status, 201, cm.body);
    assert.equal((await asAlice("GET", "/api/v1/namespaces/kube-system/configmaps")).status, 403);
    // edit may not change RBAC.
    assert.equal((await asAlice("GET", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings")).status, 403);
  });
});
