import { test } from "node:test";
import assert from "node:assert/strict";
import { Scheduler } from "./scheduler.js";
import { makeNode, makePod } from "./testing/fixtures.js";
import { FakeListWatch, until } from "../informer/testing/index.js";
import { Informer } from "../informer/index.js";
import { RestClient } from "../client/index.js";
import { RecordingTransport } from "../client/testing/index.js";
import { FakeClock } from "../util/clock.js";
import type { KubeObject } from "../api/object.js";
import type { Pod } from "../api/types.js";
import type { TransportRequest } from "../client/transport.js";

interface Harness {
  scheduler: Scheduler;
  pods: FakeListWatch;
  nodes: FakeListWatch;
  transport: RecordingTransport;
  clock: FakeClock;
  posts(suffix: string): Record<string, unknown>[];
  stop(): Promise<void>;
}

/** A scheduler over fake pod and node APIs; the REST client answers bindings, status patches and events. */
function start(nodes: KubeObject[], pods: KubeObject[], options: { bindingStatus?: number } = {}): Harness {
  const podApi = new FakeListWatch(pods);
  const nodeApi = new FakeListWatch(nodes);
  const transport = new RecordingTransport((req: TransportRequest) => {
    if (req.method === "POST" && req.path.endsWith("/binding")) {
      const status = options.bindingStatus ?? 201;
      return status === 201 ? { status, body: { kind: "Status", status: "Success" } } : { status, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict", code: 409, message: "already bound" } };
    }
    if (req.method === "POST" && req.path.endsWith("/events")) return { status: 201, body: JSON.parse(String(req.body)) };
    const podGet = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(req.path);
    if (req.method === "GET" && podGet) {
      const pod = pods.find((p) => p.metadata.name === podGet[2]);
      return pod ? { status: 200, body: { ...pod, metadata: { ...pod.metadata, resourceVersion: "7" } } } : undefined;
    }
    if (req.method === "PATCH" && req.path.endsWith("/status")) return { status: 200, body: {} };
    return undefined;
  });
  const clock = new FakeClock(Date.parse("2024-05-01T10:00:00Z"));
  const scheduler = new Scheduler(new RestClient(transport), {
    clock,
    newInformer: (ref) => new Informer<KubeObject>(ref.plural === "pods" ? podApi : nodeApi, ref),
  });
  const controller = new AbortController();
  const done = scheduler.run(controller.signal);
  return {
    scheduler,
    pods: podApi,
    nodes: nodeApi,
    transport,
    clock,
    posts: (suffix) =>
      transport.requests.filter((r) => r.method === "POST" && r.path.endsWith(suffix)).map((r) => JSON.parse(String(r.body)) as Record<string, unknown>),
    stop: async () => {
      controller.abort();
      await done;
    },
  };
}

const asObject = (x: Pod | ReturnType<typeof makeNode>) => x as unknown as KubeObject;

test("binds six replicas 2/2/2 over three nodes and records Scheduled events", async () => {
  const nodes = ["n1", "n2", "n3"].map((n) => asObject(makeNode(n)));
  const pods = Array.from({ length: 6 }, (_, i) => asObject(makePod(`web-${i}`, { owner: "rs-1", cpu: "100m" })));
  const h = start(nodes, pods);
  try {
    await until(() => h.posts("/binding").length === 6 && h.posts("/events").length === 6, "six bindings and events");
    const bindings = h.posts("/binding");
    const perNode: Record<string, number> = {};
    for (const b of bindings) {
      const target = b["target"] as { name: string; kind: string };
      assert.equal(target.kind, "Node");
      perNode[target.name] = (perNode[target.name] ?? 0) + 1;
    }
    assert.deepEqual(perNode, { n1: 2, n2: 2, n3: 2 });
    const first = bindings.find((b) => (b["metadata"] as { name: string }).name === "web-0")!;
    assert.deepEqual(first["metadata"], { name: "web-0", namespace: "default", uid: "uid-web-0" });
    const event = h.posts("/events")[0]!;
    assert.equal(event["reason"], "Scheduled");
    assert.equal(event["type"], "Normal");
    assert.match(String(event["message"]), /^Successfully assigned default\/web-\d to n\d$/);
    assert.match((event["metadata"] as { name: string }).name, /^web-\d\.[0-9a-f]{16}$/);
    assert.deepEqual(event["source"], { component: "default-scheduler" });
    assert.equal(event["count"], 1);
    assert.equal(event["firstTimestamp"], "2024-05-01T10:00:00Z");
  } finally {
    await h.stop();
  }
});

test("an unschedulable pod gets PodScheduled=False and a FailedScheduling event, and is bound once a node fits", async () => {
  const nodes = [asObject(makeNode("small", { cpu: "1" }))];
  const h = start(nodes, [asObject(makePod("big", { cpu: "2" }))]);
  try {
    await until(() => h.posts("/events").length === 1, "FailedScheduling event");
    const patch = h.transport.requests.find((r) => r.method === "PATCH")!;
    assert.equal(patch.path, "/api/v1/namespaces/default/pods/big/status");
    assert.equal(patch.headers?.["content-type"], "application/merge-patch+json");
    const body = JSON.parse(String(patch.body));
    assert.equal(body.metadata.resourceVersion, "7");
    assert.deepEqual(body.status.conditions, [
      {
        type: "PodScheduled",
        status: "False",
        reason: "Unschedulable",
        message: "0/1 nodes are available: 1 Insufficient cpu.",
        lastTransitionTime: "2024-05-01T10:00:00Z",
      },
    ]);
    const event = h.posts("/events")[0]!;
    assert.equal(event["reason"], "FailedScheduling");
    assert.equal(event["type"], "Warning");
    assert.equal(event["message"], "0/1 nodes are available: 1 Insufficient cpu.");
    assert.deepEqual(h.scheduler.queue.snapshot().unschedulable, ["default/big"]);

    // A bigger node arrives within the pod's 1s backoff: the pod moves to backoff, then to active when it ends.
    h.nodes.create(asObject(makeNode("large", { cpu: "4" })));
    await until(() => h.scheduler.queue.snapshot().backoff.length === 1, "moved to backoff");
    h.clock.advance(1000);
    await until(() => h.posts("/binding").length === 1, "binding");
    assert.deepEqual(h.posts("/binding")[0]!["target"], { apiVersion: "v1", kind: "Node", name: "large" });
  } finally {
    await h.stop();
  }
});

test("pods that are not ours are left alone", async () => {
  const nodes = [asObject(makeNode("n1"))];
  const pods = [
    asObject({ ...makePod("other"), spec: { ...makePod("other").spec!, schedulerName: "my-scheduler" } }),
    asObject(makePod("bound", { nodeName: "n1" })),
    asObject({ ...makePod("leaving"), metadata: { ...makePod("leaving").metadata, deletionTimestamp: "2024-01-01T00:00:00Z" } }),
    asObject(makePod("mine")),
  ];
  const h = start(nodes, pods);
  try {
    await until(() => h.posts("/binding").length === 1, "one binding");
    assert.deepEqual(h.posts("/binding").map((b) => (b["metadata"] as { name: string }).name), ["mine"]);
  } finally {
    await h.stop();
  }
});

test("a binding refused with Conflict drops the pod and frees what it assumed", async () => {
  const h = start([asObject(makeNode("n1"))], [asObject(makePod("p"))], { bindingStatus: 409 });
  try {
    await until(() => h.posts("/binding").length === 1, "binding attempt");
    await until(() => h.scheduler.snapshot().get("n1")!.pods.length === 0, "assumed pod dropped");
    assert.deepEqual(h.scheduler.queue.snapshot(), { active: [], backoff: [], unschedulable: [], "in-flight": [] });
    assert.equal(h.posts("/events").length, 0);
  } finally {
    await h.stop();
  }
});
