import { test } from "node:test";
import assert from "node:assert/strict";
import { resolveHollowNodeOptions } from "./hollow-node-options.js";
import { hollowLease, hollowNode, hollowNodeAddress, microTime, rfc3339 } from "./node-object.js";

const t0 = Date.parse("2025-03-01T10:00:00Z");

test("a hollow Node carries the scheduler's labels, capacity as allocatable, Ready and no pressure", () => {
  const options = resolveHollowNodeOptions({ labels: { zone: "a", "kubernetes.io/hostname": "ignored" } });
  const node = hollowNode("hollow-7", "192.0.2.8", options, { now: t0 + 30_000, since: t0 });
  assert.equal(node.metadata?.name, "hollow-7");
  assert.deepEqual(node.metadata?.labels, {
    zone: "a",
    "kubernetes.io/hostname": "hollow-7",
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "node.kubernetes.io/instance-type": "hollow",
    "beta.kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": "amd64",
  });
  const status = node.status!;
  assert.deepEqual(status.capacity, { cpu: "4", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi" });
  assert.deepEqual(status.allocatable, status.capacity);
  assert.deepEqual(
    status.conditions?.map((c) => [c.type, c.status, c.reason]),
    [
      ["MemoryPressure", "False", "KubeletHasSufficientMemory"],
      ["DiskPressure", "False", "KubeletHasNoDiskPressure"],
      ["PIDPressure", "False", "KubeletHasSufficientPID"],
      ["Ready", "True", "KubeletReady"],
    ],
  );
  for (const c of status.conditions!) {
    assert.equal(c.lastHeartbeatTime, "2025-03-01T10:00:30Z", "heartbeat is now");
    assert.equal(c.lastTransitionTime, "2025-03-01T10:00:00Z", "transition is when the condition took its value");
  }
  assert.deepEqual(status.addresses, [
    { type: "InternalIP", address: "192.0.2.8" },
    { type: "Hostname", address: "hollow-7" },
  ]);
  const info = status.nodeInfo!;
  assert.equal(info.kubeletVersion, "v1.32.0-skiff-hollow");
  assert.equal(info.containerRuntimeVersion, "hollow://1.0");
  assert.equal(info.operatingSystem, "linux");
  assert.equal(info.architecture, "amd64");
  assert.ok(info.osImage && info.kernelVersion);
  assert.equal(status.daemonEndpoints, undefined, "no kubelet port is advertised: nothing may try to reach a hollow node");
});

test("capacity options replace or extend the defaults", () => {
  const options = resolveHollowNodeOptions({ capacity: { cpu: "32", "nvidia.com/gpu": "8" } });
  const node = hollowNode("n", "192.0.2.1", options, { now: t0, since: t0 });
  assert.deepEqual(node.status?.allocatable, { cpu: "32", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi", "nvidia.com/gpu": "8" });
});

test("the Lease lives in kube-node-lease, is held by the node, owned by it, and renewed now", () => {
  const lease = hollowLease("hollow-1", "uid-1", resolveHollowNodeOptions({ leaseDurationSeconds: 20 }), t0 + 1234);
  assert.deepEqual(lease.metadata, {
    name: "hollow-1",
    namespace: "kube-node-lease",
    ownerReferences: [{ apiVersion: "v1", kind: "Node", name: "hollow-1", uid: "uid-1" }],
  });
  assert.deepEqual(lease.spec, { holderIdentity: "hollow-1", leaseDurationSeconds: 20, renewTime: "2025-03-01T10:00:01.234000Z" });
  assert.equal(hollowLease("n", undefined, resolveHollowNodeOptions(), t0).metadata?.ownerReferences, undefined);
});

test("node addresses are documentation and benchmarking ranges, unique per index", () => {
  assert.equal(hollowNodeAddress(0), "192.0.2.1");
  assert.equal(hollowNodeAddress(253), "192.0.2.254");
  assert.equal(hollowNodeAddress(254), "198.18.0.1");
  assert.equal(hollowNodeAddress(254 + 255), "198.18.1.1");
  const seen = new Set(Array.from({ length: 5000 }, (_, i) => hollowNodeAddress(i)));
  assert.equal(seen.size, 5000);
  for (const ip of seen) assert.match(ip, /^(192\.0\.2|198\.1[89]\.\d+)\.\d+$/);
  assert.throws(() => hollowNodeAddress(-1));
});

test("timestamps are written as metav1.Time and metav1.MicroTime", () => {
  assert.equal(rfc3339(t0 + 999), "2025-03-01T10:00:00Z");
  assert.equal(microTime(t0 + 5), "2025-03-01T10:00:00.005000Z");
});

test("options: the lease is renewed every quarter of its duration; bad values are refused", () => {
  const o = resolveHollowNodeOptions();
  assert.equal(o.leaseDurationSeconds, 40);
  assert.equal(o.leaseRenewIntervalMs, 10_000);
  assert.equal(o.nodeStatusUpdateFrequencyMs, 10_000);
  assert.equal(o.nodeStatusReportFrequencyMs, 60_000);
  assert.deepEqual(o.podStartDelay, { minMs: 0, maxMs: 200 });
  assert.equal(resolveHollowNodeOptions({ leaseDurationSeconds: 8 }).leaseRenewIntervalMs, 2000);
  assert.throws(() => resolveHollowNodeOptions({ leaseDurationSeconds: 0 }));
  assert.throws(() => resolveHollowNodeOptions({ podStartDelay: { minMs: 10, maxMs: 5 } }));
});
