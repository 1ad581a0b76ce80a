import { test } from "node:test";
import assert from "node:assert/strict";
import type { KubeObject } from "../../../api/object.js";
import { formatFieldError } from "../../../api/errors.js";
import { strategyFor } from "../registry.js";

const now = Date.parse("2024-01-04T00:00:00Z");
const created = "2024-01-01T00:00:00Z";

test("namespace create: Active phase and the kubernetes finalizer; label names only", () => {
  const ns = strategyFor("", "namespaces")!;
  const obj: KubeObject = { metadata: { name: "team-a" } };
  ns.prepareForCreate(obj);
  assert.deepEqual(obj.status, { phase: "Active" });
  assert.deepEqual(obj.spec, { finalizers: ["kubernetes"] });
  assert.equal(ns.validate({ metadata: { name: "a.b" } })[0]?.field, "metadata.name");
  assert.deepEqual(ns.row({ ...obj, metadata: { name: "team-a", creationTimestamp: created } }, now), ["team-a", "Active", "3d"]);
});

test("node row: status, roles, version, wide addresses", () => {
  const node = strategyFor("", "nodes")!;
  const obj: KubeObject = {
    metadata: { name: "n1", creationTimestamp: created, labels: { "node-role.kubernetes.io/control-plane": "" } },
    spec: { unschedulable: true },
    status: {
      conditions: [{ type: "Ready", status: "False" }],
      addresses: [{ type: "InternalIP", address: "10.0.0.2" }],
      nodeInfo: { kubeletVersion: "v1.30.0", osImage: "Debian", kernelVersion: "6.1", containerRuntimeVersion: "containerd://1.7" },
    },
  };
  assert.deepEqual(node.row(obj, now), ["n1", "NotReady,SchedulingDisabled", "control-plane", "3d", "v1.30.0", "10.0.0.2", "<none>", "Debian", "6.1", "containerd://1.7"]);
  const kept = structuredClone(obj);
  node.prepareForCreate(kept);
  assert.deepEqual(kept.status, obj.status);
});

test("configmap and secret keys", () => {
  const cm = strategyFor("", "configmaps")!;
  const errs = cm.validate({ metadata: { name: "c", namespace: "d" }, data: { "bad key": "x", ok: "y" } }).map(formatFieldError);
  assert.equal(errs.length, 1);
  assert.match(errs[0]!, /^data\[bad key\]: Invalid value: "bad key": a valid config key must consist of alphanumeric characters/);
  const secret = strategyFor("", "secrets")!;
  assert.deepEqual(secret.validate({ metadata: { name: "s", namespace: "d" }, type: "kubernetes.io/tls", data: { "tls.crt": "eA==" } }).map(formatFieldError), [
    "data[tls.key]: Required value",
  ]);
  const obj: KubeObject = { metadata: { name: "s", namespace: "d", creationTimestamp: created }, stringData: { password: "hi" } };
  secret.prepareForCreate(obj);
  assert.deepEqual(obj.data, { password: "aGk=" });
  assert.deepEqual(secret.row(obj, now), ["s", "Opaque", 1, "3d"]);
});

test("event row matches kubectl get events", () => {
  const events = strategyFor("", "events")!;
  const ev: KubeObject = {
    metadata: { name: "web.1", namespace: "default" },
    involvedObject: { kind: "Pod", name: "web", namespace: "default" },
    reason: "Scheduled",
    message: "Successfully assigned default/web to n1 ",
    type: "Normal",
    source: { component: "default-scheduler" },
    firstTimestamp: "2024-01-03T23:58:00Z",
    lastTimestamp: "2024-01-03T23:59:00Z",
    count: 2,
  };
  assert.deepEqual(events.columns.filter((c) => c.priority === 0).map((c) => c.name), ["Last Seen", "Type", "Reason", "Object", "Message"]);
  assert.deepEqual(events.row(ev, now), ["60s", "Normal", "Scheduled", "pod/web", "", "default-scheduler", "Successfully assigned default/web to n1", "2m", 2, "web.1"]);
  assert.deepEqual(events.validate({ metadata: { name: "e", namespace: "default" } }).map(formatFieldError), ["involvedObject: Required value"]);
  assert.equal(events.selectableFields(ev)["involvedObject.name"], "web");
});

test("hpa: targets column and replica bounds", () => {
  const hpa = strategyFor("autoscaling", "horizontalpodautoscalers")!;
  const obj: KubeObject = {
    metadata: { name: "web", namespace: "d", creationTimestamp: created },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "web" },
      minReplicas: 1,
      maxReplicas: 5,
      metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } } }],
    },
    status: { currentReplicas: 2, currentMetrics: [{ type: "Resource", resource: { name: "cpu", current: { averageUtilization: 20 } } }] },
  };
  assert.deepEqual(hpa.row(obj, now), ["web", "Deployment/web", "cpu: 20%/50%", "1", 5, 2, "3d"]);
  (obj.spec as { minReplicas: number }).minReplicas = 6;
  assert.deepEqual(hpa.validate(obj).map(formatFieldError), ["spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`"]);
});

test("ingress paths need pathType and absolute Prefix paths", () => {
  const ing = strategyFor("networking.k8s.io", "ingresses")!;
  const backend = { service: { name: "web", port: { number: 80 } } };
  const obj: KubeObject = {
    metadata: { name: "i", namespace: "d", creationTimestamp: created },
    spec: { ingressClassName: "nginx", rules: [{ host: "a.example.com", http: { paths: [{ path: "api", pathType: "Prefix", backend }, { path: "/", backend }] } }] },
  };
  assert.deepEqual(ing.validate(obj).map(formatFieldError), [
    'spec.rules[0].http.paths[0].path: Invalid value: "api": must be an absolute path',
    "spec.rules[0].http.paths[1].pathType: Required value: pathType must be specified",
  ]);
  assert.deepEqual(ing.row(obj, now), ["i", "nginx", "a.example.com", "", "80", "3d"]);
});

test("rbac: names are path segments, bindings may not change roleRef", () => {
  const crb = strategyFor("rbac.authorization.k8s.io", "clusterrolebindings")!;
  const obj: KubeObject = {
    metadata: { name: "system:admin", creationTimestamp: created },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
    subjects: [{ kind: "ServiceAccount", name: "sa", namespace: "kube-system" }, { kind: "User", apiGroup: "rbac.authorization.k8s.io", name: "alice" }],
  };
  assert.deepEqual(crb.validate(obj), []);
  assert.deepEqual(crb.row(obj, now), ["system:admin", "ClusterRole/admin", "3d", "alice", "", "kube-system/sa"]);
  const next = structuredClone(obj);
  (next.roleRef as { name: string }).name = "view";
  assert.equal(crb.validateUpdate(next, obj)[0]?.detail, "cannot change roleRef");
  const role = strategyFor("rbac.authorization.k8s.io", "roles")!;
  assert.deepEqual(role.row({ metadata: { name: "r", creationTimestamp: "2024-01-01T00:00:00.000Z" } }, now), ["r", "2024-01-01T00:00:00Z"]);
});

test("every built-in strategy's row has one cell per column", () => {
  for (const [group, plural] of [
    ["", "endpoints"], ["", "serviceaccounts"], ["", "persistentvolumes"], ["", "persistentvolumeclaims"],
    ["apps", "replicasets"], ["apps", "daemonsets"], ["discovery.k8s.io", "endpointslices"], ["coordination.k8s.io", "leases"],
    ["storage.k8s.io", "storageclasses"], ["networking.k8s.io", "ingressclasses"], ["apiextensions.k8s.io", "customresourcedefinitions"],
  ] as const) {
    const s = strategyFor(group, plural)!;
    assert.equal(s.row({ metadata: { name: "x", creationTimestamp: created } }, now).length, s.columns.length, `${group}/${plural}`);
  }
});
