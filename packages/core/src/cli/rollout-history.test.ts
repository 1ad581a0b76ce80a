import { test } from "node:test";
import assert from "node:assert/strict";
import type { Deployment, ReplicaSet } from "../api/index.js";
import {
  annotationsForRollback,
  formatHistory,
  replicaSetForRevision,
  revisionsOf,
  sameTemplateIgnoringHash,
  templateForRollback,
} from "./rollout-history.js";

function rs(name: string, revision: string | undefined, image: string, cause?: string): ReplicaSet {
  const annotations: Record<string, string> = {};
  if (revision !== undefined) annotations["deployment.kubernetes.io/revision"] = revision;
  if (cause) annotations["kubernetes.io/change-cause"] = cause;
  annotations["deployment.kubernetes.io/desired-replicas"] = "3";
  return {
    metadata: { name, annotations },
    spec: {
      selector: {},
      template: { metadata: { labels: { app: "web", "pod-template-hash": name }, creationTimestamp: null as unknown as undefined }, spec: { containers: [{ name: "c", image }] } },
    },
  };
}

test("history lists revisions ascending with kubectl's columns and <none>", () => {
  const revisions = revisionsOf([rs("b", "10", "v2", "kubectl set image"), rs("a", "2", "v1"), rs("x", undefined, "v0"), rs("y", "abc", "v0")]);
  assert.deepEqual(revisions.map((r) => r.revision), [2, 10]);
  assert.equal(formatHistory(revisions), "REVISION  CHANGE-CAUSE\n2         <none>\n10        kubectl set image\n");
  assert.equal(formatHistory([]), "No rollout history found.");
});

test("undo picks the named revision, or the second newest", () => {
  const revisions = revisionsOf([rs("a", "1", "v1"), rs("b", "2", "v2"), rs("c", "3", "v3")]);
  assert.equal(replicaSetForRevision(revisions, 0, "web").metadata!.name, "b");
  assert.equal(replicaSetForRevision(revisions, 1, "web").metadata!.name, "a");
  assert.throws(() => replicaSetForRevision(revisions, 7, "web"), /^Error: unable to find specified revision 7 in history$/);
  assert.throws(() => replicaSetForRevision(revisions.slice(0, 1), 0, "web"), /no rollout history found for deployment "web"/);
});

test("the rollback template drops the hash label; templates compare without it and without empty fields", () => {
  const set = rs("a", "1", "v1");
  const template = templateForRollback(set);
  assert.deepEqual(template.metadata!.labels, { app: "web" });
  assert.equal(set.spec!.template!.metadata!.labels!["pod-template-hash"], "a", "the replica set is not changed");
  assert.ok(sameTemplateIgnoringHash(set.spec!.template, { metadata: { labels: { app: "web" }, annotations: {} }, spec: { containers: [{ name: "c", image: "v1", env: [] }] } }));
  assert.ok(!sameTemplateIgnoringHash(set.spec!.template, { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "c", image: "v2" }] } }));
});

test("the rollback keeps the deployment's bookkeeping annotations and takes the others from the replica set", () => {
  const d: Deployment = {
    metadata: { name: "web", annotations: { "deployment.kubernetes.io/revision": "3", "kubernetes.io/change-cause": "now", team: "x" } },
    spec: { selector: {}, template: {} },
  };
  assert.deepEqual(annotationsForRollback(d, rs("a", "1", "v1", "then")), {
    "deployment.kubernetes.io/revision": "3",
    "kubernetes.io/change-cause": "then",
  });
});
