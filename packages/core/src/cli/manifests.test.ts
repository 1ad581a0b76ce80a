import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readManifests, splitDocuments, ManifestError } from "./manifests.js";

test("multi-document YAML splits into objects, skipping empty documents", () => {
  const text = "---\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n...\n";
  assert.deepEqual(
    splitDocuments(text, "f.yaml").map((o) => `${o.kind}/${o.metadata.name}`),
    ["Pod/a", "Service/b"],
  );
});

test("JSON documents and kind: List are expanded", () => {
  const list = JSON.stringify({
    apiVersion: "v1",
    kind: "List",
    items: [
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" } },
      { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "y" } },
    ],
  });
  assert.deepEqual(splitDocuments(list, "l.json").map((o) => o.kind), ["ConfigMap", "Deployment"]);
});

test("documents without apiVersion or kind are refused with kubectl's wording", () => {
  assert.throws(() => splitDocuments("metadata: {name: a}\n", "bad.yaml"), (err: unknown) => {
    assert.ok(err instanceof ManifestError);
    assert.match(err.message, /\[apiVersion not set, kind not set\]/);
    return true;
  });
});

test("directories are read in name order, recursively only with -R", async () => {
  const dir = await mkdtemp(join(tmpdir(), "skiff-manifests-"));
  try {
    const doc = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;
    await writeFile(join(dir, "b.yaml"), doc("b"));
    await writeFile(join(dir, "a.yml"), doc("a"));
    await writeFile(join(dir, "notes.txt"), "ignored");
    await mkdir(join(dir, "sub"));
    await writeFile(join(dir, "sub", "c.json"), JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } }));
    const names = async (recursive: boolean) =>
      (await readManifests([dir], { recursive })).map((m) => m.object.metadata.name);
    assert.deepEqual(await names(false), ["a", "b"]);
    assert.deepEqual(await names(true), ["a", "b", "c"]);
    const stdin = await readManifests(["-"], { readStdin: async () => doc("s") });
    assert.deepEqual(stdin.map((m) => m.source), ["STDIN"]);
    await assert.rejects(readManifests([join(dir, "missing.yaml")]), /the path ".*missing.yaml" does not exist/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
