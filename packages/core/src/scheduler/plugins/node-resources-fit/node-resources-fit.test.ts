import { test } from "node:test";
import assert from "node:assert/strict";
import { nodeResourcesFit } from "./node-resources-fit.js";
import { podRequests } from "../../resources.js";
import { makeNode, makePod, oneNode } from "../../testing/fixtures.js";
import type { Pod } from "../../../api/types.js";

test("requests fit in allocatable minus what the node's pods already request", () => {
  const node = makeNode("n1", { cpu: "2", memory: "4Gi", pods: "3", extra: { "nvidia.com/gpu": "1" } });
  const placed = [makePod("a", { nodeName: "n1", cpu: "1500m", memory: "1Gi" })];
  const cases: { pod: Pod; pods?: Pod[]; reasons: string[] }[] = [
    { pod: makePod("p", { cpu: "500m", memory: "3Gi" }), reasons: [] },
    { pod: makePod("p", { cpu: "501m" }), reasons: ["Insufficient cpu"] },
    { pod: makePod("p", { cpu: "1", memory: "4Gi" }), reasons: ["Insufficient cpu", "Insufficient memory"] },
    { pod: makePod("p", { extra: { "nvidia.com/gpu": "1" } }), reasons: [] },
    { pod: makePod("p", { extra: { "nvidia.com/gpu": "2" } }), reasons: ["Insufficient nvidia.com/gpu"] },
    { pod: makePod("p", { extra: { "example.com/dongle": "1" } }), reasons: ["Insufficient example.com/dongle"] },
    { pod: makePod("p"), pods: [...placed, makePod("b", { nodeName: "n1" }), makePod("c", { nodeName: "n1" })], reasons: ["Too many pods"] },
    // A finished pod holds nothing.
    { pod: makePod("p", { cpu: "2" }), pods: [makePod("done", { nodeName: "n1", cpu: "2", phase: "Succeeded" })], reasons: [] },
  ];
  for (const c of cases) {
    const { nodeInfo, state } = oneNode(node, c.pods ?? placed);
    const result = nodeResourcesFit.filter(c.pod, nodeInfo, state);
    assert.deepEqual(result.ok ? [] : result.reasons, c.reasons, JSON.stringify(c.pod.spec));
  }
});

test("effective requests: app containers summed, the largest init container, sidecars kept running, overhead", () => {
  const pod: Pod = {
    metadata: { name: "p" },
    spec: {
      initContainers: [
        { name: "init-big", resources: { requests: { cpu: "2", memory: "100Mi" } } },
        { name: "sidecar", restartPolicy: "Always", resources: { requests: { cpu: "100m", memory: "50Mi" } } },
        { name: "init-after-sidecar", resources: { requests: { cpu: "1", memory: "500Mi" } } },
      ],
      containers: [
        { name: "a", resources: { requests: { cpu: "250m", memory: "64Mi" } } },
        { name: "b", resources: { limits: { cpu: "250m", memory: "64Mi" } } },
      ],
      overhead: { cpu: "10m" },
    },
  };
  const r = podRequests(pod);
  // cpu: max(2000, 100+1000, 500+100) + 10; memory: max(100Mi, 550Mi, 178Mi)
  assert.equal(r["cpu"], 2010);
  assert.equal(r["memory"], 550 * 2 ** 20);
  assert.equal(r["pods"], 1);
});

test("non-zero requests give request-less containers 100m and 200Mi for scoring", () => {
  const r = podRequests(makePod("p"), { nonZero: true });
  assert.equal(r["cpu"], 100);
  assert.equal(r["memory"], 200 * 2 ** 20);
  assert.deepEqual(podRequests(makePod("p")), { pods: 1 });
});
