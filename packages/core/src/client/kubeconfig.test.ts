import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { buildKubeconfig, resolveKubeconfig, KubeconfigError } from "./kubeconfig.js";
import { loadKubeconfig } from "./kubeconfig-file.js";

const caPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

test("a built kubeconfig has kubeadm's shape and resolves back", async () => {
  const yaml = buildKubeconfig({ clusterName: "skiff", server: "https://127.0.0.1:6443", caCertPem: caPem, user: "admin", token: "t0k" });
  const doc = parse(yaml);
  assert.equal(doc.kind, "Config");
  assert.equal(doc["current-context"], "admin@skiff");
  assert.equal(Buffer.from(doc.clusters[0].cluster["certificate-authority-data"], "base64").toString(), caPem);
  assert.deepEqual(await resolveKubeconfig(yaml), {
    server: "https://127.0.0.1:6443",
    caPem,
    token: "t0k",
    namespace: "default",
  });
});

test("contexts, namespaces and client certificates are honoured", async () => {
  const yaml = buildKubeconfig({
    clusterName: "c",
    server: "https://h:1",
    caCertPem: caPem,
    user: "node",
    clientCertPem: "CERT",
    clientKeyPem: "KEY",
    namespace: "kube-system",
  });
  const cfg = await resolveKubeconfig(yaml, { context: "node@c" });
  assert.equal(cfg.clientCertPem, "CERT");
  assert.equal(cfg.clientKeyPem, "KEY");
  assert.equal(cfg.namespace, "kube-system");
  await assert.rejects(resolveKubeconfig(yaml, { context: "nope" }), KubeconfigError);
});

test("file paths are read relative to the kubeconfig's folder", async () => {
  const dir = await mkdtemp(join(tmpdir(), "skiff-kc-"));
  try {
    await writeFile(join(dir, "ca.crt"), caPem);
    await writeFile(join(dir, "token"), "filetoken\n");
    await writeFile(join(dir, "client.crt"), "C");
    await writeFile(
      join(dir, "config"),
      [
        "apiVersion: v1",
        "kind: Config",
        "current-context: a",
        "clusters: [{name: k, cluster: {server: 'https://x:6443', certificate-authority: ca.crt}}]",
        `users: [{name: u, user: {tokenFile: token, client-certificate: ${join(dir, "client.crt")}}}]`,
        "contexts: [{name: a, context: {cluster: k, user: u, namespace: team}}, {name: b, context: {cluster: k, user: u}}]",
      ].join("\n"),
    );
    const cfg = await loadKubeconfig(join(dir, "config"));
    assert.deepEqual(cfg, { server: "https://x:6443", caPem, token: "filetoken", clientCertPem: "C", namespace: "team" });
    assert.equal((await loadKubeconfig(join(dir, "config"), { context: "b" })).namespace, "default");
    await assert.rejects(loadKubeconfig(join(dir, "missing")), /no such file/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
