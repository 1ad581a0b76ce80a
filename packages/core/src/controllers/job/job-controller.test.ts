import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { JobStatus, KubeObject } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { FakeClock } from "../../util/index.js";
import { EventRecorder, newControllerRef } from "../shared/index.js";
import { FakeApi, FakeInformer } from "../shared/testing/index.js";
import { JobController, type JobObject, type PodObject } from "./job-controller.js";

const jobsPath = "/apis/batch/v1/namespaces/ns/jobs";
const podsPath = "/api/v1/namespaces/ns/pods";
const start = Date.parse("2024-05-01T12:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const selectorLabels = { "batch.kubernetes.io/controller-uid": "job-uid" };
const templateLabels = {
  "batch.kubernetes.io/controller-uid": "job-uid",
  "controller-uid": "job-uid",
  "batch.kubernetes.io/job-name": "pi",
  "job-name": "pi",
};

function job(spec: Partial<NonNullable<JobObject["spec"]>> = {}, status?: JobStatus): JobObject {
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { namespace: "ns", name: "pi", uid: "job-uid", generation: 1, resourceVersion: "10" },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      selector: { matchLabels: selectorLabels },
      template: { metadata: { labels: templateLabels }, spec: { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] } },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}
const jobRef = newControllerRef(job(), "batch/v1", "Job");

type PodState = "pending" | "running" | "ready" | "succeeded" | "failed";
function pod(name: string, state: PodState, options: { finishedAt?: number; index?: number; restarts?: number } = {}): PodObject {
  const terminal = state === "succeeded" || state === "failed";
  const phase = { pending: "Pending", running: "Running", ready: "Running", succeeded: "Succeeded", failed: "Failed" }[state];
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      namespace: "ns",
      name,
      uid: `uid-${name}`,
      resourceVersion: "5",
      labels: { ...templateLabels, ...(options.index !== undefined ? { "batch.kubernetes.io/job-completion-index": String(options.index) } : {}) },
      ...(options.index !== undefined ? { annotations: { "batch.kubernetes.io/job-completion-index": String(options.index) } } : {}),
      creationTimestamp: iso(start - 120_000),
      ownerReferences: [jobRef],
    },
    spec: { containers: [{ name: "c", image: "busybox" }], nodeName: "n1" },
    status: {
      phase,
      ...(state === "ready" ? { conditions: [{ type: "Ready", status: "True" }] } : {}),
      containerStatuses: [
        {
          name: "c",
          image: "busybox",
          imageID: "",
          ready: state === "ready",
          restartCount: options.restarts ?? 0,
          ...(terminal
            ? { state: { terminated: { exitCode: state === "failed" ? 1 : 0, finishedAt: iso(options.finishedAt ?? start - 60_000) } } }
            : {}),
        },
      ],
    },
  };
}

function fixture(j: JobObject, pods: PodObject[] = [], now = start) {
  const api = new FakeApi();
  const clock = new FakeClock(now);
  const jobInformer = new FakeInformer<JobObject>();
  const podInformer = new FakeInformer<PodObject>();
  const recorder = new EventRecorder(api.client, "job-controller", clock);
  const controller = new JobController(api.client, {
    clock,
    recorder,
    newInformer: (ref) => (ref.plural === "pods" ? podInformer : jobInformer) as unknown as Informer<KubeObject>,
  });
  const enqueued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register((k) => enqueued.push(k), (k, ms) => delayed.push([k, ms]));
  api.seed(jobsPath, j);
  jobInformer.seed(j);
  for (const p of pods) {
    api.seed(podsPath, p);
    podInformer.seed(p);
  }
  return { api, clock, controller, jobInformer, podInformer, recorder, enqueued, delayed };
}

const statusOf = (api: FakeApi) => api.actions().find((a) => a.subresource === "status")?.body?.["status"] as JobStatus | undefined;
const verbs = (api: FakeApi) => api.summary().map((s) => s.split(" ").slice(0, 2).join(" "));
async function eventReasons(f: ReturnType<typeof fixture>): Promise<string[]> {
  await f.recorder.flush();
  return f.api.actions({ events: true }).filter((a) => a.resource === "events").map((e) => String(e.body!["reason"]));
}

describe("JobController", () => {
  it("creates parallelism pods labelled and owned by the job, and starts the clock", async () => {
    const f = fixture(job({ parallelism: 3, completions: 5 }));
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), ["create pods", "create pods", "create pods", "update jobs/status"]);
    const created = f.api.actions()[0]!.body!;
    assert.deepEqual(created.metadata, {
      generateName: "pi-",
      namespace: "ns",
      labels: templateLabels,
      ownerReferences: [{ apiVersion: "batch/v1", kind: "Job", name: "pi", uid: "job-uid", controller: true, blockOwnerDeletion: true }],
    });
    assert.deepEqual(created["spec"], { restartPolicy: "Never", containers: [{ name: "c", image: "busybox" }] });
    assert.deepEqual(statusOf(f.api), { startTime: iso(start), active: 3, ready: 0, succeeded: 0, failed: 0, terminating: 0 });
    assert.deepEqual(await eventReasons(f), ["SuccessfulCreate", "SuccessfulCreate", "SuccessfulCreate"]);
    assert.deepEqual(f.controller.expectations.pending("ns/pi"), { adds: 3, deletes: [] });
  });

  it("adds the job labels to pods of a template without them (manualSelector)", async () => {
    const j = job({ manualSelector: true, selector: { matchLabels: { app: "pi" } } });
    j.spec!.template.metadata = { labels: { app: "pi" } };
    const f = fixture(j);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.actions()[0]!.body!.metadata.labels, { app: "pi", ...templateLabels });
  });

  it("counts a succeeded pod and creates the next one", async () => {
    const f = fixture(job({ parallelism: 2, completions: 3 }, { startTime: iso(start - 300_000), active: 2 }), [
      pod("pi-a", "succeeded"),
      pod("pi-b", "ready"),
    ]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), ["create pods", "update jobs/status"]);
    assert.deepEqual(statusOf(f.api), { startTime: iso(start - 300_000), active: 2, ready: 1, succeeded: 1, failed: 0, terminating: 0 });
  });

  it("does not create beyond the completions left", async () => {
    const f = fixture(job({ parallelism: 4, completions: 3 }, { startTime: iso(start - 300_000) }), [pod("a", "succeeded"), pod("b", "succeeded"), pod("c", "running")]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), ["update jobs/status"]);
  });

  it("completes when the completions are reached: condition Complete, completionTime, event", async () => {
    const f = fixture(job({ parallelism: 2, completions: 2 }, { startTime: iso(start - 300_000), active: 1, succeeded: 1 }), [
      pod("pi-a", "succeeded"),
      pod("pi-b", "succeeded"),
    ]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["update jobs/status ns/pi"]);
    assert.deepEqual(statusOf(f.api), {
      startTime: iso(start - 300_000),
      completionTime: iso(start),
      active: 0,
      ready: 0,
      succeeded: 2,
      failed: 0,
      terminating: 0,
      conditions: [{ type: "Complete", status: "True", lastProbeTime: iso(start), lastTransitionTime: iso(start) }],
    });
    assert.deepEqual(await eventReasons(f), ["Completed"]);

    // A finished job is left alone.
    const done = fixture(job({}, statusOf(f.api)), [pod("pi-a", "succeeded")]);
    await done.controller.sync("ns/pi");
    assert.deepEqual(done.api.summary(), []);
  });

  it("deletes the pods still running once the completions are reached, and completes", async () => {
    const f = fixture(job({ parallelism: 3, completions: 2 }, { startTime: iso(start - 300_000), active: 3 }), [
      pod("a", "succeeded"),
      pod("b", "succeeded"),
      pod("c", "running"),
    ]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["delete pods ns/c", "update jobs/status ns/pi"]);
    const status = statusOf(f.api)!;
    assert.equal(status.active, 0);
    assert.deepEqual(status.conditions!.map((c) => [c.type, c.status]), [["Complete", "True"]]);
  });

  it("without completions, runs parallelism pods and completes once one succeeded and the rest finished", async () => {
    const f = fixture(job({ parallelism: 2, completions: undefined }, { startTime: iso(start - 300_000) }), [pod("a", "succeeded"), pod("b", "running")]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), ["update jobs/status"], "no new pod after a success");
    assert.equal(statusOf(f.api)!.conditions, undefined);
    const g = fixture(job({ parallelism: 2, completions: undefined }, { startTime: iso(start - 300_000) }), [pod("a", "succeeded"), pod("b", "failed")]);
    await g.controller.sync("ns/pi");
    assert.equal(statusOf(g.api)!.conditions![0]!.type, "Complete");
  });

  it("waits out the failure back-off before replacing a failed pod, the delay doubling per failure", async () => {
    // One failure 4 s ago: 10 s back-off, 6 s left.
    const one = fixture(job({}, { startTime: iso(start - 300_000) }), [pod("a", "failed", { finishedAt: start - 4_000 })]);
    await one.controller.sync("ns/pi");
    assert.deepEqual(verbs(one.api), ["update jobs/status"]);
    assert.deepEqual(one.delayed, [["ns/pi", 6_000]]);
    assert.equal(statusOf(one.api)!.failed, 1);

    // Two failures in a row, the last 4 s ago: 20 s back-off, 16 s left.
    const two = fixture(job({}, { startTime: iso(start - 300_000) }), [
      pod("a", "failed", { finishedAt: start - 60_000 }),
      pod("b", "failed", { finishedAt: start - 4_000 }),
    ]);
    await two.controller.sync("ns/pi");
    assert.deepEqual(verbs(two.api), ["update jobs/status"]);
    assert.deepEqual(two.delayed, [["ns/pi", 16_000]]);

    // Once the back-off has passed, the replacement is created.
    two.clock.advance(16_000);
    two.jobInformer.seed(two.api.find(jobsPath, "pi") as JobObject);
    two.api.clearActions();
    await two.controller.sync("ns/pi");
    assert.deepEqual(verbs(two.api), ["create pods", "update jobs/status"]);
    assert.equal(statusOf(two.api)!.active, 1);
  });

  it("fails the job with BackoffLimitExceeded past backoffLimit and deletes its active pods", async () => {
    const f = fixture(job({ parallelism: 2, completions: 4, backoffLimit: 1 }, { startTime: iso(start - 300_000), active: 2, failed: 1 }), [
      pod("a", "failed"),
      pod("b", "failed"),
      pod("c", "running"),
    ]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["delete pods ns/c", "update jobs/status ns/pi"]);
    const status = statusOf(f.api)!;
    assert.equal(status.active, 0);
    assert.equal(status.failed, 2);
    assert.equal(status.completionTime, undefined);
    assert.deepEqual(status.conditions, [
      { type: "Failed", status: "True", reason: "BackoffLimitExceeded", message: "Job has reached the specified backoff limit", lastProbeTime: iso(start), lastTransitionTime: iso(start) },
    ]);
    assert.deepEqual(await eventReasons(f), ["SuccessfulDelete", "BackoffLimitExceeded"]);
  });

  it("with restartPolicy OnFailure, counts container restarts against backoffLimit", async () => {
    const j = job({ backoffLimit: 3 }, { startTime: iso(start - 300_000) });
    j.spec!.template.spec!.restartPolicy = "OnFailure";
    const f = fixture(j, [pod("a", "running", { restarts: 3 })]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["delete pods ns/a", "update jobs/status ns/pi"]);
    assert.equal(statusOf(f.api)!.conditions![0]!.reason, "BackoffLimitExceeded");
  });

  it("fails with DeadlineExceeded after activeDeadlineSeconds, and requeues for the deadline before", async () => {
    const early = fixture(job({ activeDeadlineSeconds: 60 }, { startTime: iso(start - 20_000), active: 1, ready: 0, succeeded: 0, failed: 0 }), [pod("a", "running")]);
    await early.controller.sync("ns/pi");
    assert.deepEqual(early.api.summary(), []);
    assert.deepEqual(early.delayed, [["ns/pi", 40_000]]);

    const late = fixture(job({ activeDeadlineSeconds: 60 }, { startTime: iso(start - 60_000), active: 1 }), [pod("a", "running")]);
    await late.controller.sync("ns/pi");
    assert.deepEqual(late.api.summary(), ["delete pods ns/a", "update jobs/status ns/pi"]);
    assert.deepEqual(
      statusOf(late.api)!.conditions!.map((c) => [c.type, c.status, c.reason]),
      [["Failed", "True", "DeadlineExceeded"]],
    );
  });

  it("suspend deletes the active pods and sets Suspended; resuming restarts the clock", async () => {
    const f = fixture(job({ parallelism: 2, completions: 4, suspend: true }, { startTime: iso(start - 300_000), active: 2 }), [pod("a", "running"), pod("b", "ready"), pod("done", "succeeded")]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["delete pods ns/a", "delete pods ns/b", "update jobs/status ns/pi"]);
    const status = statusOf(f.api)!;
    assert.equal(status.active, 0);
    assert.equal(status.succeeded, 1);
    assert.deepEqual(status.conditions, [{ type: "Suspended", status: "True", reason: "JobSuspended", message: "Job suspended", lastProbeTime: iso(start), lastTransitionTime: iso(start) }]);
    assert.ok((await eventReasons(f)).includes("Suspended"));

    const resumed = fixture(job({ parallelism: 2, completions: 4, suspend: false }, status), [pod("done", "succeeded")], start + 50_000);
    await resumed.controller.sync("ns/pi");
    assert.deepEqual(verbs(resumed.api), ["create pods", "create pods", "update jobs/status"]);
    const after = statusOf(resumed.api)!;
    assert.equal(after.startTime, iso(start + 50_000));
    assert.deepEqual(after.conditions!.map((c) => [c.type, c.status, c.reason]), [["Suspended", "False", "JobResumed"]]);
  });

  it("a job created suspended gets no pods and no startTime", async () => {
    const f = fixture(job({ suspend: true }));
    await f.controller.sync("ns/pi");
    assert.deepEqual(f.api.summary(), ["update jobs/status ns/pi"]);
    assert.equal(statusOf(f.api)!.startTime, undefined);
  });

  it("Indexed: creates the lowest pending indexes with index annotation, label, hostname and env", async () => {
    const f = fixture(job({ completionMode: "Indexed", parallelism: 2, completions: 4 }, { startTime: iso(start - 300_000) }), [
      pod("pi-0-x", "succeeded", { index: 0 }),
      pod("pi-1-x", "running", { index: 1 }),
    ]);
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), ["create pods", "update jobs/status"]);
    const created = f.api.actions()[0]!.body!;
    assert.equal(created.metadata.generateName, "pi-2-");
    assert.equal(created.metadata.annotations!["batch.kubernetes.io/job-completion-index"], "2");
    assert.equal(created.metadata.labels!["batch.kubernetes.io/job-completion-index"], "2");
    const spec = created["spec"] as { hostname: string; containers: { env: unknown[] }[] };
    assert.equal(spec.hostname, "pi-2");
    assert.deepEqual(spec.containers[0]!.env, [
      { name: "JOB_COMPLETION_INDEX", valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } } },
    ]);
    assert.equal(statusOf(f.api)!.completedIndexes, "0");
  });

  it("Indexed: completes when every index succeeded, a duplicate success counted once", async () => {
    const f = fixture(job({ completionMode: "Indexed", parallelism: 2, completions: 2 }, { startTime: iso(start - 300_000) }), [
      pod("a", "succeeded", { index: 0 }),
      pod("b", "succeeded", { index: 0 }),
      pod("c", "succeeded", { index: 1 }),
    ]);
    await f.controller.sync("ns/pi");
    const status = statusOf(f.api)!;
    assert.equal(status.succeeded, 2);
    assert.equal(status.completedIndexes, "0-1");
    assert.equal(status.conditions![0]!.type, "Complete");
  });

  it("does not create again before its creations reach the cache", async () => {
    const f = fixture(job({ parallelism: 2, completions: 2 }));
    await f.controller.sync("ns/pi");
    f.api.clearActions();
    f.jobInformer.seed(f.api.find(jobsPath, "pi") as JobObject);
    await f.controller.sync("ns/pi");
    assert.deepEqual(verbs(f.api), [], "the cache shows no pods yet, but two creations are awaited");
  });

  it("deletes the job ttlSecondsAfterFinished after it finished", async () => {
    const finished = { startTime: iso(start - 300_000), completionTime: iso(start - 10_000), succeeded: 1, conditions: [{ type: "Complete", status: "True" }] };
    const early = fixture(job({ ttlSecondsAfterFinished: 30 }, finished));
    await early.controller.sync("ns/pi");
    assert.deepEqual(early.api.summary(), []);
    assert.deepEqual(early.delayed, [["ns/pi", 20_000]]);
    early.clock.advance(20_000);
    await early.controller.sync("ns/pi");
    assert.deepEqual(early.api.summary(), ["delete jobs ns/pi"]);
    assert.equal(JSON.parse(early.api.transport.requests.find((r) => r.method === "DELETE")!.body as string).propagationPolicy, "Background");
  });

  it("maps pod events to the controlling job and observes its creations", async () => {
    const f = fixture(job({ parallelism: 1, completions: 1 }));
    await f.controller.sync("ns/pi");
    const created = f.api.find(podsPath, f.api.actions()[0]!.name) as PodObject;
    f.enqueued.length = 0;
    f.podInformer.add(created);
    assert.deepEqual(f.enqueued, ["ns/pi"]);
    assert.equal(f.controller.expectations.satisfied("ns/pi"), true);
  });
});
