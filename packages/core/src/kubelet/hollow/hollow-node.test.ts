import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, Node, Pod } from "../../api/index.js";
import { FakeApi } from "../../controllers/shared/testing/index.js";
import { settle } from "../../informer/testing/index.js";
import { FakeClock } from "../../util/index.js";
import { HollowNode } from "./hollow-node.js";
import { resolveHollowNodeOptions, type HollowNodeOptions } from "./hollow-node-options.js";

const t0 = Date.parse("2025-03-01T10:00:00Z");
const nodes = "/api/v1/nodes";
const leases = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases";
const pods = "/api/v1/namespaces/ns/pods";

function setup(options: HollowNodeOptions = {}) {
  const api = new FakeApi();
  const clock = new FakeClock(t0);
  const node = new HollowNode(api.client, "hollow-0", "192.0.2.1", resolveHollowNodeOptions({ clock, random: () => 0, ...options }));
  const abort = new AbortController();
  /** Moves time in steps, letting the API calls each step starts finish before the next. */
  const advance = async (ms: number, step = 1000) => {
    let done = 0;
    do {
      const now = Math.min(step, ms - done);
      clock.advance(now);
      done += now;
      await settle();
    } while (done < ms);
  };
  return { api, clock, node, abort, advance };
}

const leaseRenewals = (api: FakeApi) => api.summary().filter((s) => s === "patch leases kube-node-lease/hollow-0").length;
const statusPosts = (api: FakeApi) => api.summary().filter((s) => s === "patch nodes/status /hollow-0").length;

test("start registers the Node with its status, then creates its Lease owned by the Node", async () => {
  const { api, node, abort } = setup();
  await node.start(abort.signal);
  assert.deepEqual(api.summary(), ["create nodes /hollow-0", "patch leases kube-node-lease/hollow-0", "create leases kube-node-lease/hollow-0"]);
  const created = api.find(nodes, "hollow-0") as Node & KubeObject;
  assert.equal(created.status?.conditions?.find((c) => c.type === "Ready")?.status, "True");
  const lease = api.find(leases, "hollow-0") as KubeObject & { spec: { renewTime: string; holderIdentity: string } };
  assert.equal(lease.metadata.ownerReferences?.[0]?.uid, created.metadata.uid);
  assert.equal(lease.spec.holderIdentity, "hollow-0");
  assert.equal(lease.spec.renewTime, "2025-03-01T10:00:00.000000Z");
  assert.equal(node.isRegistered, true);
  node.stop();
});

test("an existing Node is taken back: labels and status patched, not created again", async () => {
  const { api, node, abort } = setup({ labels: { pool: "x" } });
  api.seed(nodes, { apiVersion: "v1", kind: "Node", metadata: { name: "hollow-0", uid: "old-uid", labels: { stale: "yes" } }, status: { conditions: [{ type: "Ready", status: "Unknown" }] } } as KubeObject);
  await node.start(abort.signal);
  assert.deepEqual(api.summary().slice(0, 3), ["create nodes /", "patch nodes /hollow-0", "patch nodes/status /hollow-0"]);
  const taken = api.find(nodes, "hollow-0") as Node & KubeObject;
  assert.equal(taken.metadata.labels?.["pool"], "x");
  assert.equal(taken.metadata.labels?.["kubernetes.io/hostname"], "hollow-0");
  assert.equal(taken.status?.conditions?.find((c) => c.type === "Ready")?.status, "True");
  node.stop();
});

test("registration failures are retried with back-off until they work", async () => {
  const { api, node, abort, advance } = setup();
  api.failNext("create", "nodes", 503, "ServiceUnavailable");
  api.failNext("create", "nodes", 503, "ServiceUnavailable");
  const started = node.start(abort.signal);
  await settle();
  assert.equal(node.isRegistered, false);
  await advance(200, 100); // first retry after 200 ms
  assert.equal(node.isRegistered, false);
  await advance(400, 100); // second after 400 ms more
  await started;
  assert.equal(node.isRegistered, true);
  assert.equal(api.summary().filter((s) => s.startsWith("create nodes ")).length, 3, api.summary().join("; "));
  node.stop();
});

test("the lease is renewed every quarter of its duration, and only while started", async () => {
  const { api, node, abort, advance } = setup({ leaseDurationSeconds: 40 });
  await node.start(abort.signal);
  const afterStart = leaseRenewals(api);
  await advance(0);
  assert.equal(leaseRenewals(api) - afterStart, 1, "the first renewal is at a random point of the first period (here 0)");
  await advance(40_000);
  assert.equal(leaseRenewals(api) - afterStart, 5, "then every 10 s");
  const lease = api.find(leases, "hollow-0") as KubeObject & { spec: { renewTime: string } };
  assert.equal(lease.spec.renewTime, "2025-03-01T10:00:40.000000Z");
  node.stop();
  await advance(60_000);
  assert.equal(leaseRenewals(api) - afterStart, 5, "no renewal after stop");
});

test("a failed renewal is retried within a second", async () => {
  const { api, node, abort, advance } = setup();
  await node.start(abort.signal);
  await advance(0);
  api.failNext("patch", "leases", 500, "InternalError");
  await advance(10_000);
  const before = leaseRenewals(api);
  await advance(1000, 500);
  assert.equal(leaseRenewals(api), before + 1, "retried after 1 s, not after a full period");
  node.stop();
});

test("status: the full status is posted every report period, and at the next check when the API shows it otherwise", async () => {
  const { api, node, abort, advance } = setup({ nodeStatusUpdateFrequencyMs: 10_000, nodeStatusReportFrequencyMs: 60_000 });
  await node.start(abort.signal);
  await advance(50_000);
  assert.equal(statusPosts(api), 0, "nothing changed and the report period has not passed");
  await advance(10_000);
  assert.equal(statusPosts(api), 1, "the heartbeat after 60 s");
  const posted = api.find(nodes, "hollow-0") as Node & KubeObject;
  const ready = posted.status?.conditions?.find((c) => c.type === "Ready");
  assert.equal(ready?.lastHeartbeatTime, "2025-03-01T10:01:00Z");
  assert.equal(ready?.lastTransitionTime, "2025-03-01T10:00:00Z");

  // The node lifecycle controller marks the node Unknown: the next check (≤ 10 s) puts Ready back.
  const unknown = structuredClone(posted);
  unknown.status!.conditions = unknown.status!.conditions!.map((c) => (c.type === "Ready" ? { ...c, status: "Unknown", reason: "NodeStatusUnknown" } : c));
  node.observe(unknown);
  await advance(10_000);
  assert.equal(statusPosts(api), 2);
  node.stop();
});

test("a deleted Node registers again at the next status check", async () => {
  const { api, node, abort, advance } = setup();
  await node.start(abort.signal);
  await advance(0);
  const first = (api.find(nodes, "hollow-0") as KubeObject).metadata.uid;
  api.clearActions();
  // What the API would do: the Node goes, the garbage collector takes its Lease.
  await api.client.delete({ group: "", version: "v1", plural: "nodes", namespaced: false }, "hollow-0");
  await api.client.delete({ group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true }, "hollow-0", { namespace: "kube-node-lease" });
  node.observe(undefined);
  assert.equal(node.isRegistered, false);
  await advance(10_000);
  assert.equal(node.isRegistered, true);
  const again = api.find(nodes, "hollow-0") as KubeObject;
  assert.notEqual(again.metadata.uid, first);
  assert.equal((api.find(leases, "hollow-0") as KubeObject).metadata.ownerReferences?.[0]?.uid, again.metadata.uid);
  node.stop();
});

function boundPod(extra: Partial<Pod["metadata"]> = {}, spec: Partial<Pod["spec"]> = {}): Pod & KubeObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "ns", uid: "u1", ...extra },
    spec: { nodeName: "hollow-0", containers: [{ name: "app", image: "web:1" }], ...spec },
    status: { phase: "Pending" },
  };
}

test("syncPod reports a bound pod Running with one merge patch of the status subresource", async () => {
  const { api, node } = setup();
  api.seed(pods, boundPod());
  const again = await node.syncPod(boundPod(), () => "10.250.0.9");
  assert.equal(again, undefined);
  const [action] = api.actions();
  assert.equal(action?.verb, "patch");
  assert.equal(action?.subresource, "status");
  assert.equal(api.transport.requests.at(-1)?.headers?.["content-type"], "application/merge-patch+json");
  const body = action?.body as unknown as { status: Pod["status"] } & Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ["status"], "only the status is sent");
  assert.equal(body.status?.phase, "Running");
  assert.equal(body.status?.podIP, "10.250.0.9");
  assert.equal(body.status?.hostIP, "192.0.2.1");
  assert.equal(body.status?.containerStatuses?.[0]?.containerID, "hollow://u1-app");
});

test("syncPod deletes a pod marked for deletion with grace 0 and its uid as precondition", async () => {
  const { api, node } = setup();
  const pod = boundPod({ deletionTimestamp: "2025-03-01T10:00:30Z" });
  api.seed(pods, pod);
  await node.syncPod(pod, () => "unused");
  const [action] = api.actions();
  assert.equal(action?.verb, "delete");
  assert.equal(action?.name, "p");
  assert.deepEqual(action?.body, { kind: "DeleteOptions", apiVersion: "v1", gracePeriodSeconds: 0, preconditions: { uid: "u1" } });
  // Already gone, or replaced by a pod of the same name: nothing to retry.
  api.failNext("delete", "pods", 409, "Conflict");
  assert.equal(await node.syncPod(pod, () => "unused"), undefined);
  assert.equal(await node.syncPod(pod, () => "unused"), undefined, "NotFound is done too");
});

test("syncPod ends a run-to-completion pod when it is due, and says when to look again before", async () => {
  const { api, node, clock } = setup();
  const pod = {
    ...boundPod({ annotations: { "hollow.skiff.dev/run-seconds": "30" } }, { restartPolicy: "Never" }),
    status: { phase: "Running", startTime: "2025-03-01T10:00:00Z" },
  };
  api.seed(pods, pod);
  clock.advance(10_000);
  assert.equal(await node.syncPod(pod, () => "unused"), 20_000);
  assert.deepEqual(api.actions(), []);
  clock.advance(20_000);
  assert.equal(await node.syncPod(pod, () => "unused"), undefined);
  const body = api.actions()[0]?.body as unknown as { status: Pod["status"] };
  assert.equal(body.status?.phase, "Succeeded");
});

test("syncPod surfaces API errors other than the pod being gone, so the queue retries", async () => {
  const { api, node } = setup();
  api.seed(pods, boundPod());
  api.failNext("patch", "pods", 500, "InternalError");
  await assert.rejects(node.syncPod(boundPod(), () => "10.250.0.1"));
  // The pod is gone: nothing to report.
  const ghost = boundPod({ name: "ghost" });
  assert.equal(await node.syncPod(ghost, () => "10.250.0.1"), undefined);
});
