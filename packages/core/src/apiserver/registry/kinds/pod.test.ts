import { test } from "node:test";
import assert from "node:assert/strict";
import type { Pod } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../../api/object.js";
import { formatFieldError } from "../../../api/errors.js";
import { strategyFor } from "../registry.js";
import { podQosClass, podStatusCells } from "./pod.js";

const now = Date.parse("2024-01-01T01:00:00Z");
const pods = strategyFor("", "pods")!;

function pod(p: Partial<Pod>): Pod {
  return {
    metadata: { name: "web", namespace: "default", creationTimestamp: "2024-01-01T00:00:00Z" },
    spec: { containers: [{ name: "a", image: "nginx" }, { name: "b", image: "busybox" }] },
    ...p,
  } as Pod;
}

const running = { running: { startedAt: "2024-01-01T00:00:01Z" } };

test("running pod: READY counts ready containers, RESTARTS shows when", () => {
  const cells = podStatusCells(
    pod({
      status: {
        phase: "Running",
        containerStatuses: [
          { name: "a", image: "nginx", imageID: "", ready: true, restartCount: 3, state: running, lastState: { terminated: { exitCode: 1, finishedAt: "2024-01-01T00:55:00Z" } } },
          { name: "b", image: "busybox", imageID: "", ready: false, restartCount: 0, state: running },
        ],
      },
    }),
    now,
  );
  assert.deepEqual(cells, { ready: "1/2", status: "Running", restarts: "3 (5m ago)" });
});

test("waiting reason wins: CrashLoopBackOff, ErrImagePull", () => {
  const p = pod({
    status: {
      phase: "Running",
      containerStatuses: [
        { name: "a", image: "", imageID: "", ready: false, restartCount: 5, state: { waiting: { reason: "CrashLoopBackOff" } } },
        { name: "b", image: "", imageID: "", ready: true, restartCount: 0, state: running },
      ],
    },
  });
  assert.equal(podStatusCells(p, now).status, "CrashLoopBackOff");
  assert.equal(podStatusCells(p, now).restarts, "5");
});

test("terminated containers: Completed, Error, ExitCode:n", () => {
  const term = (t: object) =>
    pod({
      spec: { containers: [{ name: "a", image: "x" }] },
      status: { phase: "Succeeded", containerStatuses: [{ name: "a", image: "", imageID: "", ready: false, restartCount: 0, state: { terminated: t as never } }] },
    });
  assert.equal(podStatusCells(term({ exitCode: 0, reason: "Completed" }), now).status, "Completed");
  assert.equal(podStatusCells(term({ exitCode: 1, reason: "Error" }), now).status, "Error");
  assert.equal(podStatusCells(term({ exitCode: 2 }), now).status, "ExitCode:2");
  assert.equal(podStatusCells(term({ exitCode: 0, signal: 9 }), now).status, "Signal:9");
});

test("init containers: Init:x/y and Init:<reason>", () => {
  const base = {
    spec: { initContainers: [{ name: "i1", image: "x" }, { name: "i2", image: "x" }], containers: [{ name: "a", image: "x" }] },
  };
  const p1 = pod({
    ...base,
    status: {
      phase: "Pending",
      initContainerStatuses: [
        { name: "i1", image: "", imageID: "", ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: "Completed" } } },
        { name: "i2", image: "", imageID: "", ready: false, restartCount: 0, state: running },
      ],
      containerStatuses: [{ name: "a", image: "", imageID: "", ready: false, restartCount: 0, state: { waiting: { reason: "PodInitializing" } } }],
    },
  });
  assert.equal(podStatusCells(p1, now).status, "Init:1/2");
  const p2 = pod({
    ...base,
    status: {
      phase: "Pending",
      initContainerStatuses: [{ name: "i1", image: "", imageID: "", ready: false, restartCount: 2, state: { waiting: { reason: "CrashLoopBackOff" } } }],
    },
  });
  assert.equal(podStatusCells(p2, now).status, "Init:CrashLoopBackOff");
});

test("deletionTimestamp shows Terminating unless the pod already finished", () => {
  const deleting = { name: "web", deletionTimestamp: "2024-01-01T00:59:00Z" };
  const p = pod({ metadata: deleting, status: { phase: "Running" } });
  assert.equal(podStatusCells(p, now).status, "Terminating");
  const done = pod({ metadata: deleting, status: { phase: "Succeeded" } });
  assert.equal(podStatusCells(done, now).status, "Succeeded");
});

test("row has the nine kubectl columns, wide ones last", () => {
  const p = pod({ spec: { containers: [{ name: "a", image: "x" }], nodeName: "node-1" }, status: { phase: "Pending", podIPs: [{ ip: "10.244.0.5" }] } });
  assert.deepEqual(
    pods.columns.map((c) => [c.name, c.priority]),
    [["Name", 0], ["Ready", 0], ["Status", 0], ["Restarts", 0], ["Age", 0], ["IP", 1], ["Node", 1], ["Nominated Node", 1], ["Readiness Gates", 1]],
  );
  assert.deepEqual(pods.row(p as unknown as KubeObject, now), ["web", "0/1", "Pending", "0", "60m", "10.244.0.5", "node-1", "<none>", "<none>"]);
});

test("create sets Pending status with QoS class", () => {
  const obj = pod({ status: { phase: "Running" } }) as unknown as KubeObject;
  pods.prepareForCreate(obj);
  assert.deepEqual(obj.status, { phase: "Pending", qosClass: "BestEffort" });
  assert.equal(podQosClass({ containers: [{ name: "a", resources: { limits: { cpu: "1", memory: "1Gi" }, requests: { cpu: "1000m" } } }] }), "Guaranteed");
  assert.equal(podQosClass({ containers: [{ name: "a", resources: { requests: { cpu: "100m" } } }] }), "Burstable");
});

test("validation: containers, names, images, ports, mounts, restartPolicy", () => {
  const bad = {
    metadata: { name: "p", namespace: "d" },
    spec: {
      restartPolicy: "Sometimes",
      volumes: [{ name: "data" }, { name: "data" }],
      containers: [
        { name: "a", image: "", ports: [{ containerPort: 70000 }], volumeMounts: [{ name: "missing", mountPath: "/x" }] },
        { name: "a", image: "x" },
        { name: "Bad_Name", image: "x" },
      ],
    },
  } as unknown as KubeObject;
  const errs = pods.validate(bad).map(formatFieldError);
  assert.ok(errs.includes('spec.volumes[1].name: Duplicate value: "data"'), errs.join("\n"));
  assert.ok(errs.includes("spec.containers[0].image: Required value"));
  assert.ok(errs.includes("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"));
  assert.ok(errs.includes('spec.containers[0].volumeMounts[0].name: Not found: "missing"'));
  assert.ok(errs.includes('spec.containers[1].name: Duplicate value: "a"'));
  assert.ok(errs.some((e) => e.startsWith('spec.containers[2].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label')));
  assert.ok(errs.includes('spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'));
  assert.deepEqual(pods.validate({ metadata: { name: "p", namespace: "d" }, spec: { containers: [] } }).map(formatFieldError), [
    "spec.containers: Required value",
  ]);
});

test("updates may change images but not other spec fields", () => {
  const old = pod({}) as unknown as KubeObject;
  const image = structuredClone(old) as unknown as Pod;
  image.spec!.containers[0]!.image = "nginx:2";
  assert.deepEqual(pods.validateUpdate(image as unknown as KubeObject, old), []);
  const env = structuredClone(old) as unknown as Pod;
  env.spec!.containers[0]!.env = [{ name: "A", value: "1" }];
  const errs = pods.validateUpdate(env as unknown as KubeObject, old);
  assert.equal(errs[0]?.field, "spec");
  assert.match(errs[0]!.detail, /^pod updates may not change fields other than `spec.containers\[\*\].image`/);
});
