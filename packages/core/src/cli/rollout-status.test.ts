import { test } from "node:test";
import assert from "node:assert/strict";
import type { DaemonSet, Deployment } from "../api/index.js";
import { rolloutStatus, deploymentStatus, daemonSetStatus, statefulSetStatus } from "./rollout-status.js";
import { parseDuration } from "./rollout-duration.js";

function deployment(spec: number, status: Partial<NonNullable<Deployment["status"]>>, generation = 2): Deployment {
  return { metadata: { name: "web", generation, annotations: { "deployment.kubernetes.io/revision": "3" } }, spec: { replicas: spec, selector: {}, template: {} }, status: { observedGeneration: 2, ...status } };
}

test("deployment: kubectl's progress lines, in kubectl's order", () => {
  assert.deepEqual(deploymentStatus(deployment(3, {}, 3)), { message: "Waiting for deployment spec update to be observed...\n", done: false });
  assert.equal(
    deploymentStatus(deployment(3, { updatedReplicas: 1, replicas: 4 })).message,
    'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...\n',
  );
  assert.equal(
    deploymentStatus(deployment(3, { updatedReplicas: 3, replicas: 4 })).message,
    'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...\n',
  );
  assert.equal(
    deploymentStatus(deployment(3, { updatedReplicas: 3, replicas: 3, availableReplicas: 2 })).message,
    'Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...\n',
  );
  assert.deepEqual(deploymentStatus(deployment(3, { updatedReplicas: 3, replicas: 3, availableReplicas: 3 })), {
    message: 'deployment "web" successfully rolled out\n',
    done: true,
  });
  assert.equal(deploymentStatus(deployment(0, {})).done, true);
});

test("deployment: a passed progress deadline and a pinned revision are errors", () => {
  const stuck = deployment(3, { conditions: [{ type: "Progressing", status: "False", reason: "ProgressDeadlineExceeded" }] });
  assert.throws(() => deploymentStatus(stuck), /^Error: deployment "web" exceeded its progress deadline$/);
  assert.throws(() => deploymentStatus(deployment(0, {}), 2), /desired revision \(2\) is different from the running revision \(3\)/);
  assert.equal(deploymentStatus(deployment(0, {}), 3).done, true);
});

test("daemon set: updated, then available, only for RollingUpdate", () => {
  const ds = (status: Partial<NonNullable<DaemonSet["status"]>>, type = "RollingUpdate"): DaemonSet => ({
    metadata: { name: "x", generation: 1 },
    spec: { selector: {}, template: {}, updateStrategy: { type } },
    status: { observedGeneration: 1, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, desiredNumberScheduled: 3, ...status },
  });
  assert.equal(daemonSetStatus(ds({ updatedNumberScheduled: 1 })).message, 'Waiting for daemon set "x" rollout to finish: 1 out of 3 new pods have been updated...\n');
  assert.equal(daemonSetStatus(ds({ updatedNumberScheduled: 3, numberAvailable: 2 })).message, 'Waiting for daemon set "x" rollout to finish: 2 of 3 updated pods are available...\n');
  assert.deepEqual(daemonSetStatus(ds({ updatedNumberScheduled: 3, numberAvailable: 3 })), { message: 'daemon set "x" successfully rolled out\n', done: true });
  assert.equal(daemonSetStatus(ds({ observedGeneration: 0 })).message, "Waiting for daemon set spec update to be observed...\n");
  assert.throws(() => daemonSetStatus(ds({}, "OnDelete")), /only available for RollingUpdate strategy type/);
});

test("stateful set: ready, then revisions", () => {
  const sts = { metadata: { name: "db", generation: 1 }, spec: { replicas: 2 }, status: { observedGeneration: 1, readyReplicas: 1 } };
  assert.equal(statefulSetStatus(sts).message, "Waiting for 1 pods to be ready...\n");
  const rolling = { ...sts, status: { observedGeneration: 1, readyReplicas: 2, updatedReplicas: 1, updateRevision: "b", currentRevision: "a" } };
  assert.equal(statefulSetStatus(rolling).message, "waiting for statefulset rolling update to complete 1 pods at revision b...\n");
  const done = { ...sts, status: { observedGeneration: 1, readyReplicas: 2, currentReplicas: 2, updateRevision: "b", currentRevision: "b" } };
  assert.deepEqual(statefulSetStatus(done), { message: "statefulset rolling update complete 2 pods at revision b...\n", done: true });
});

test("rolloutStatus dispatches on the kind and refuses others", () => {
  assert.equal(rolloutStatus("Deployment", { metadata: { name: "web" } }).message, 'deployment "web" successfully rolled out\n');
  assert.throws(() => rolloutStatus("ReplicaSet", { metadata: {} }), /no status viewer has been implemented for ReplicaSet/);
});

test("parseDuration reads Go durations and bare seconds", () => {
  assert.equal(parseDuration("0"), 0);
  assert.equal(parseDuration("30s"), 30_000);
  assert.equal(parseDuration("1m30s"), 90_000);
  assert.equal(parseDuration("1.5h"), 5_400_000);
  assert.equal(parseDuration("250ms"), 250);
  assert.equal(parseDuration("10"), 10_000);
  assert.throws(() => parseDuration("soon"), /invalid duration "soon"/);
  assert.throws(() => parseDuration("5x"), /invalid duration/);
});
