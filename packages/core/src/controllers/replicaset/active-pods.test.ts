import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../api/index.js";
import { podsToDelete } from "./active-pods.js";

const pod = (name: string, p: Partial<{ node: string; phase: string; ready: string; restarts: number; created: string }>): Pod => ({
  metadata: { name, creationTimestamp: p.created ?? "2024-01-01T00:00:00Z" },
  spec: { containers: [], ...(p.node ? { nodeName: p.node } : {}) },
  status: {
    phase: p.phase ?? "Pending",
    ...(p.ready ? { conditions: [{ type: "Ready", status: "True", lastTransitionTime: p.ready }] } : {}),
    containerStatuses: [{ name: "c", image: "i", imageID: "", ready: !!p.ready, restartCount: p.restarts ?? 0 }],
  },
});

describe("podsToDelete", () => {
  it("orders unscheduled, pending, running, not ready, ready recently, restarting, newer", () => {
    const pods = [
      pod("ready-long", { node: "n", phase: "Running", ready: "2024-01-01T00:00:00Z" }),
      pod("ready-recent", { node: "n", phase: "Running", ready: "2024-01-02T00:00:00Z" }),
      pod("running-old", { node: "n", phase: "Running" }),
      pod("running-restarts", { node: "n", phase: "Running", restarts: 3 }),
      pod("running-new", { node: "n", phase: "Running", created: "2024-01-03T00:00:00Z" }),
      pod("pending", { node: "n" }),
      pod("unscheduled", {}),
    ];
    assert.deepEqual(
      podsToDelete(pods, 7).map((p) => p.metadata!.name),
      ["unscheduled", "pending", "running-restarts", "running-new", "running-old", "ready-recent", "ready-long"],
    );
    assert.deepEqual(podsToDelete(pods, 2).map((p) => p.metadata!.name), ["unscheduled", "pending"]);
  });
});
