import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "../../api/index.js";
import { finishedPodStatus, nextPodAction, runningPodStatus } from "./pod-status.js";

const t0 = Date.parse("2025-03-01T10:00:00Z");

function pod(extra: { phase?: string; restartPolicy?: string; annotations?: Record<string, string>; deleting?: boolean; startTime?: string } = {}): Pod {
  return {
    metadata: {
      name: "p",
      namespace: "ns",
      uid: "u1",
      ...(extra.annotations ? { annotations: extra.annotations } : {}),
      ...(extra.deleting ? { deletionTimestamp: "2025-03-01T10:00:30Z" } : {}),
    },
    spec: {
      nodeName: "hollow-0",
      ...(extra.restartPolicy ? { restartPolicy: extra.restartPolicy } : {}),
      initContainers: [{ name: "init", image: "busybox:1" }],
      containers: [
        { name: "app", image: "web:1" },
        { name: "sidecar", image: "proxy:2" },
      ],
    },
    status: {
      phase: extra.phase ?? "Pending",
      ...(extra.startTime ? { startTime: extra.startTime } : {}),
      conditions: [{ type: "PodScheduled", status: "True", lastTransitionTime: "2025-03-01T09:59:59Z" }],
    },
  };
}

test("what a hollow node does with a pod", () => {
  const cases: [string, Pod, ReturnType<typeof nextPodAction>][] = [
    ["pending → start", pod(), { type: "start" }],
    ["running forever → none", pod({ phase: "Running", startTime: "2025-03-01T10:00:00Z" }), { type: "none" }],
    ["terminal → none", pod({ phase: "Succeeded" }), { type: "none" }],
    ["failed → none", pod({ phase: "Failed" }), { type: "none" }],
    ["being deleted → delete, whatever the phase", pod({ phase: "Running", deleting: true }), { type: "delete" }],
    ["terminal and being deleted → delete", pod({ phase: "Succeeded", deleting: true }), { type: "delete" }],
    [
      "run-to-completion → finish after run-seconds",
      pod({ phase: "Running", restartPolicy: "Never", startTime: "2025-03-01T10:00:00Z", annotations: { "hollow.skiff.dev/run-seconds": "5" } }),
      { type: "finish", atMs: t0 + 5000 },
    ],
    [
      "OnFailure also completes",
      pod({ phase: "Running", restartPolicy: "OnFailure", startTime: "2025-03-01T10:00:00Z", annotations: { "hollow.skiff.dev/run-seconds": "0.5" } }),
      { type: "finish", atMs: t0 + 500 },
    ],
    [
      "restartPolicy Always never completes",
      pod({ phase: "Running", startTime: "2025-03-01T10:00:00Z", annotations: { "hollow.skiff.dev/run-seconds": "5" } }),
      { type: "none" },
    ],
    [
      "a malformed run-seconds is ignored",
      pod({ phase: "Running", restartPolicy: "Never", startTime: "2025-03-01T10:00:00Z", annotations: { "hollow.skiff.dev/run-seconds": "soon" } }),
      { type: "none" },
    ],
  ];
  for (const [name, p, want] of cases) assert.deepEqual(nextPodAction(p), want, name);
});

test("a started pod is Running and Ready with hollow container statuses", () => {
  const status = runningPodStatus(pod(), { podIP: "10.250.0.7", hostIP: "192.0.2.1", now: t0 });
  assert.equal(status.phase, "Running");
  assert.equal(status.podIP, "10.250.0.7");
  assert.deepEqual(status.podIPs, [{ ip: "10.250.0.7" }]);
  assert.equal(status.hostIP, "192.0.2.1");
  assert.equal(status.startTime, "2025-03-01T10:00:00Z");
  const byType = Object.fromEntries((status.conditions ?? []).map((c) => [c.type, c]));
  for (const type of ["PodScheduled", "Initialized", "ContainersReady", "Ready"]) assert.equal(byType[type]?.status, "True", type);
  assert.equal(byType["Ready"]?.lastTransitionTime, "2025-03-01T10:00:00Z");
  assert.equal(byType["PodScheduled"]?.lastTransitionTime, "2025-03-01T09:59:59Z", "the scheduler's transition time is kept");
  assert.deepEqual(status.containerStatuses, [
    {
      name: "app",
      image: "web:1",
      imageID: "hollow://web:1",
      containerID: "hollow://u1-app",
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: "2025-03-01T10:00:00Z" } },
    },
    {
      name: "sidecar",
      image: "proxy:2",
      imageID: "hollow://proxy:2",
      containerID: "hollow://u1-sidecar",
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: "2025-03-01T10:00:00Z" } },
    },
  ]);
  assert.equal(status.initContainerStatuses?.[0]?.state?.terminated?.reason, "Completed");
});

test("a run-to-completion pod ends Succeeded, or Failed with its exit code", () => {
  const base = pod({ phase: "Running", restartPolicy: "Never", startTime: "2025-03-01T10:00:00Z" });
  const running = { ...base, status: runningPodStatus(base, { podIP: "10.250.0.7", hostIP: "192.0.2.1", now: t0 }) };
  const done = finishedPodStatus(running, t0 + 5000);
  assert.equal(done.phase, "Succeeded");
  const ready = done.conditions?.find((c) => c.type === "Ready");
  assert.equal(ready?.status, "False");
  assert.equal(ready?.reason, "PodCompleted");
  assert.deepEqual(done.containerStatuses?.[0]?.state, {
    terminated: { exitCode: 0, reason: "Completed", startedAt: "2025-03-01T10:00:00Z", finishedAt: "2025-03-01T10:00:05Z", containerID: "hollow://u1-app" },
  });
  assert.equal(done.containerStatuses?.[0]?.ready, false);

  running.metadata!.annotations = { "hollow.skiff.dev/exit-code": "3" };
  const failed = finishedPodStatus(running, t0 + 5000);
  assert.equal(failed.phase, "Failed");
  assert.equal(failed.containerStatuses?.[1]?.state?.terminated?.exitCode, 3);
  assert.equal(failed.containerStatuses?.[1]?.state?.terminated?.reason, "Error");
});
