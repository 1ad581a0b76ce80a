import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/object.js";
import { formatFieldError } from "../../../api/errors.js";
import { strategyFor } from "../registry.js";

const now = Date.parse("2024-01-01T00:10:00Z");
const deployments = strategyFor("apps", "deployments")!;
const jobs = strategyFor("batch", "jobs")!;

function deployment(): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", creationTimestamp: "2024-01-01T00:00:00Z" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["b", "a"] }] },
      template: {
        metadata: { labels: { app: "web", tier: "a" } },
        spec: { containers: [{ name: "nginx", image: "nginx:1" }, { name: "side", image: "busybox" }] },
      },
    },
    status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
}

test("deployment row: READY ready/desired, counts, wide containers/images/selector", () => {
  assert.deepEqual(deployments.row(deployment(), now), ["web", "2/3", 3, 2, "10m", "nginx,side", "nginx:1,busybox", "app=web,tier in (a,b)"]);
  assert.deepEqual(
    deployments.columns.filter((c) => c.priority === 0).map((c) => c.name),
    ["Name", "Ready", "Up-to-date", "Available", "Age"],
  );
});

test("deployment selector must match template labels", () => {
  const d = deployment();
  (d.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels = { app: "other" };
  const errs = deployments.validate(d).map(formatFieldError);
  assert.deepEqual(errs, ['spec.template.metadata.labels: Invalid value: {"app":"other"}: `selector` does not match template `labels`']);
});

test("deployment needs a selector, non-negative replicas and restartPolicy Always", () => {
  const d = deployment();
  const spec = d.spec as Record<string, unknown> & { template: { spec: Record<string, unknown> } };
  delete spec.selector;
  spec.replicas = -1;
  spec.template.spec.restartPolicy = "Never";
  assert.deepEqual(deployments.validate(d).map(formatFieldError), [
    "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    "spec.selector: Required value",
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
  ]);
});

test("deployment selector is immutable", () => {
  const old = deployment();
  const next = deployment();
  (next.spec as { selector: unknown }).selector = { matchLabels: { app: "web" } };
  assert.equal(deployments.validateUpdate(next, old)[0]?.detail, "field is immutable");
});

test("job create generates the controller-uid selector and labels", () => {
  const job: KubeObject = {
    metadata: { name: "pi", namespace: "default", uid: "1234" },
    spec: { template: { spec: { restartPolicy: "Never", containers: [{ name: "pi", image: "perl" }] } } },
  };
  jobs.prepareForCreate(job);
  const spec = job.spec as { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> } } };
  assert.deepEqual(spec.selector.matchLabels, { "batch.kubernetes.io/controller-uid": "1234" });
  assert.deepEqual(spec.template.metadata.labels, {
    "job-name": "pi",
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": "1234",
    "batch.kubernetes.io/controller-uid": "1234",
  });
  assert.deepEqual(jobs.validate(job), []);
});

test("job template must not restart Always and is immutable", () => {
  const job: KubeObject = {
    metadata: { name: "pi", namespace: "default", uid: "1" },
    spec: { template: { spec: { containers: [{ name: "pi", image: "perl" }] } } },
  };
  jobs.prepareForCreate(job);
  assert.deepEqual(jobs.validate(job).map(formatFieldError), [
    'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"',
  ]);
  const next = structuredClone(job);
  (next.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image = "perl:2";
  assert.equal(jobs.validateUpdate(next, job)[0]?.field, "spec.template");
});

test("job row: status, completions, duration", () => {
  const job: KubeObject = {
    metadata: { name: "pi", namespace: "default", creationTimestamp: "2024-01-01T00:00:00Z" },
    spec: { completions: 1, template: { spec: { containers: [{ name: "pi", image: "perl" }] } }, selector: { matchLabels: { a: "b" } } },
    status: {
      succeeded: 1,
      startTime: "2024-01-01T00:00:00Z",
      completionTime: "2024-01-01T00:00:42Z",
      conditions: [{ type: "Complete", status: "True" }],
    },
  };
  assert.deepEqual(jobs.row(job, now), ["pi", "Complete", "1/1", "42s", "10m", "pi", "perl", "a=b"]);
});
