import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../api/index.js";
import { backoffDelayMs, backoffRecord, podFinishTime, remainingBackoffMs } from "./pod-failure-backoff.js";

const at = (ms: number) => new Date(ms).toISOString();
const terminal = (phase: "Succeeded" | "Failed", finishedAt: number): Pod => ({
  metadata: { name: `${phase}-${finishedAt}`, creationTimestamp: at(0) },
  status: { phase, containerStatuses: [{ name: "c", image: "i", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, finishedAt: at(finishedAt) } } }] },
});

describe("pod failure back-off", () => {
  it("doubles from 10 s and stops at 6 min", () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 50].map(backoffDelayMs), [0, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 360_000, 360_000]);
  });

  it("counts failures after the last success, in finishing order", () => {
    const record = backoffRecord([terminal("Failed", 3_000), terminal("Succeeded", 2_000), terminal("Failed", 1_000), terminal("Failed", 5_000)]);
    assert.deepEqual(record, { failuresAfterLastSuccess: 2, lastFailureTime: 5_000 });
    assert.deepEqual(backoffRecord([terminal("Failed", 1_000), terminal("Succeeded", 2_000)]), { failuresAfterLastSuccess: 0 });
  });

  it("leaves the remaining time of the current delay", () => {
    const record = { failuresAfterLastSuccess: 2, lastFailureTime: 100_000 };
    assert.equal(remainingBackoffMs(record, 105_000), 15_000);
    assert.equal(remainingBackoffMs(record, 130_000), 0);
    assert.equal(remainingBackoffMs({ failuresAfterLastSuccess: 0 }, 0), 0);
  });

  it("takes the finish time from containers, else the Ready condition, else the creation", () => {
    assert.equal(podFinishTime(terminal("Failed", 7_000)), 7_000);
    assert.equal(podFinishTime({ metadata: {}, status: { phase: "Failed", conditions: [{ type: "Ready", status: "False", lastTransitionTime: at(9_000) }] } }), 9_000);
    assert.equal(podFinishTime({ metadata: { creationTimestamp: at(4_000) }, status: { phase: "Failed" } }), 4_000);
  });
});
