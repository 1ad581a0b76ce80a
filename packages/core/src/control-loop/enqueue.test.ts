import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../api/index.js";
import { enqueueObject, enqueueOwner } from "./enqueue.js";

const pod = (name: string, owner?: { kind: string; name: string; apiVersion?: string; controller?: boolean }): KubeObject => ({
  metadata: {
    namespace: "ns",
    name,
    ownerReferences: owner
      ? [{ apiVersion: owner.apiVersion ?? "apps/v1", kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: owner.controller ?? true }]
      : undefined,
  },
});

describe("enqueue helpers", () => {
  it("enqueueObject enqueues the object's key for every event", () => {
    const keys: string[] = [];
    const h = enqueueObject((k) => keys.push(k));
    const p = pod("p");
    h.onAdd!(p);
    h.onUpdate!(p, p);
    h.onDelete!(p);
    assert.deepEqual(keys, ["ns/p", "ns/p", "ns/p"]);
  });

  it("enqueueOwner enqueues the controlling owner of the right kind and group only", () => {
    const keys: string[] = [];
    const h = enqueueOwner((k) => keys.push(k), "ReplicaSet", "apps");
    h.onAdd!(pod("a", { kind: "ReplicaSet", name: "rs1" }));
    h.onAdd!(pod("b", { kind: "Job", name: "j", apiVersion: "batch/v1" }));
    h.onAdd!(pod("c", { kind: "ReplicaSet", name: "rs2", controller: false }));
    h.onAdd!(pod("d"));
    h.onDelete!(pod("e", { kind: "ReplicaSet", name: "rs3" }));
    assert.deepEqual(keys, ["ns/rs1", "ns/rs3"]);
  });

  it("enqueueOwner enqueues both owners when an update moves the object", () => {
    const keys: string[] = [];
    const h = enqueueOwner((k) => keys.push(k), "ReplicaSet", "apps");
    h.onUpdate!(pod("a", { kind: "ReplicaSet", name: "old" }), pod("a", { kind: "ReplicaSet", name: "new" }));
    assert.deepEqual(keys, ["ns/old", "ns/new"]);
  });
});
