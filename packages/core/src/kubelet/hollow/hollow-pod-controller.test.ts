import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject, Node, Pod } from "../../api/index.js";
import { FakeApi, FakeInformer } from "../../controllers/shared/testing/index.js";
import { FakeClock } from "../../util/index.js";
import { HollowNode } from "./hollow-node.js";
import { resolveHollowNodeOptions } from "./hollow-node-options.js";
import { HollowPodController } from "./hollow-pod-controller.js";
import type { NodeObject, PodObject } from "./resources.js";

function setup() {
  const api = new FakeApi();
  const clock = new FakeClock(Date.parse("2025-03-01T10:00:00Z"));
  const options = resolveHollowNodeOptions({ clock, random: () => 0.5, podStartDelay: { minMs: 100, maxMs: 300 } });
  const fleet = new Map([["hollow-0", new HollowNode(api.client, "hollow-0", "192.0.2.1", options)]]);
  const pods = new FakeInformer<PodObject>();
  const nodes = new FakeInformer<NodeObject>();
  let ip = 0;
  const controller = new HollowPodController({
    pods: pods.asInformer(),
    nodes: nodes.asInformer(),
    nodeFor: (name) => fleet.get(name),
    podIP: () => `10.250.0.${++ip}`,
    options,
  });
  const queued: string[] = [];
  const delayed: [string, number][] = [];
  controller.register(
    (key) => queued.push(key),
    (key, ms) => delayed.push([key, ms]),
  );
  return { api, pods, nodes, fleet, controller, queued, delayed };
}

function pod(name: string, nodeName: string | undefined, extra: Partial<Pod["metadata"]> = {}, phase = "Pending"): PodObject {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns", uid: `uid-${name}`, ...extra },
    spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: "app", image: "web:1" }] },
    status: { phase },
  };
}

test("only pods bound to a fleet node are queued; a new one after the jittered start delay", () => {
  const { pods, queued, delayed } = setup();
  pods.add(pod("unbound", undefined));
  pods.add(pod("elsewhere", "real-node"));
  pods.add(pod("mine", "hollow-0"));
  pods.add(pod("done", "hollow-0", {}, "Succeeded"));
  pods.add(pod("leaving", "hollow-0", { deletionTimestamp: "2025-03-01T10:00:30Z" }));
  assert.deepEqual(delayed, [["ns/mine", 200]], "min + random · (max − min)");
  assert.deepEqual(queued, ["ns/leaving"], "deletions go at once");
});

test("sync reports the pod Running through its node, with a fleet pod IP", async () => {
  const { api, pods, controller } = setup();
  const p = pod("mine", "hollow-0");
  api.seed("/api/v1/namespaces/ns/pods", p);
  pods.seed(p);
  await controller.sync("ns/mine");
  assert.deepEqual(api.summary(), ["patch pods/status ns/mine"]);
  const body = api.actions()[0]?.body as unknown as { status: Pod["status"] };
  assert.equal(body.status?.podIP, "10.250.0.1");
  assert.equal(body.status?.hostIP, "192.0.2.1");
  // Gone from the cache, or moved off the fleet: nothing is written.
  api.clearActions();
  await controller.sync("ns/missing");
  pods.seed(pod("other", "real-node"));
  await controller.sync("ns/other");
  assert.deepEqual(api.summary(), []);
});

test("sync requeues a run-to-completion pod for when it is due", async () => {
  const { pods, controller, delayed } = setup();
  const p = pod("job", "hollow-0", { annotations: { "hollow.skiff.dev/run-seconds": "7" } }, "Running");
  p.spec!.restartPolicy = "Never";
  p.status!.startTime = "2025-03-01T10:00:00Z";
  pods.seed(p);
  await controller.sync("ns/job");
  assert.deepEqual(delayed, [["ns/job", 7000]]);
});

test("node events reach the fleet's node: deleted means register again", async () => {
  const { nodes, fleet } = setup();
  const node = fleet.get("hollow-0")!;
  (node as unknown as { registered: boolean }).registered = true;
  const obj = { apiVersion: "v1", kind: "Node", metadata: { name: "hollow-0", uid: "u" } } as Node & KubeObject;
  nodes.add(obj);
  nodes.add({ ...obj, metadata: { name: "someone-else" } });
  assert.equal(node.isRegistered, true);
  nodes.remove(obj);
  assert.equal(node.isRegistered, false);
});
