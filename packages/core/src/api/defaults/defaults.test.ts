import { test } from "node:test";
import assert from "node:assert/strict";
import { applyDefaults, defaultImagePullPolicy } from "./index.js";
import type { KubeObject } from "../object.js";

type Any = Record<string, any>;

test("imagePullPolicy: Always for latest or untagged images, IfNotPresent otherwise", () => {
  assert.equal(defaultImagePullPolicy("nginx"), "Always");
  assert.equal(defaultImagePullPolicy("nginx:latest"), "Always");
  assert.equal(defaultImagePullPolicy("nginx:1.27"), "IfNotPresent");
  assert.equal(defaultImagePullPolicy("localhost:5000/app"), "Always");
  assert.equal(defaultImagePullPolicy("localhost:5000/app:v2"), "IfNotPresent");
  assert.equal(defaultImagePullPolicy("nginx@sha256:abcd"), "IfNotPresent");
});

test("Pod: spec, container, probe and volume defaults; user values win", () => {
  const pod: Any = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p" },
    spec: {
      containers: [
        {
          name: "a",
          image: "nginx",
          ports: [{ containerPort: 80 }],
          readinessProbe: { httpGet: { port: 80 } },
          resources: { limits: { cpu: "1" } },
        },
        { name: "b", image: "busybox:1.36", imagePullPolicy: "Never" },
      ],
      volumes: [{ name: "scratch" }, { name: "cfg", configMap: { name: "c" } }],
      restartPolicy: "OnFailure",
    },
  };
  applyDefaults(pod as KubeObject);
  const spec = pod.spec;
  assert.equal(spec.restartPolicy, "OnFailure");
  assert.equal(spec.dnsPolicy, "ClusterFirst");
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.schedulerName, "default-scheduler");
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.enableServiceLinks, true);
  const [a, b] = spec.containers;
  assert.equal(a.imagePullPolicy, "Always");
  assert.equal(b.imagePullPolicy, "Never");
  assert.equal(a.terminationMessagePath, "/dev/termination-log");
  assert.equal(a.terminationMessagePolicy, "File");
  assert.deepEqual(a.ports, [{ containerPort: 80, protocol: "TCP" }]);
  assert.deepEqual(a.readinessProbe, {
    httpGet: { port: 80, path: "/", scheme: "HTTP" },
    timeoutSeconds: 1,
    periodSeconds: 10,
    successThreshold: 1,
    failureThreshold: 3,
  });
  assert.deepEqual(a.resources, { limits: { cpu: "1" }, requests: { cpu: "1" } });
  assert.deepEqual(b.resources, {});
  assert.deepEqual(spec.volumes, [
    { name: "scratch", emptyDir: {} },
    { name: "cfg", configMap: { name: "c", defaultMode: 420 } },
  ]);
  const again = structuredClone(pod);
  applyDefaults(again as KubeObject);
  assert.deepEqual(again, pod, "defaulting is idempotent");
});

test("Deployment: replicas, RollingUpdate 25%/25%, history, deadline, template defaults", () => {
  const d: Any = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "d" },
    spec: { selector: {}, template: { spec: { containers: [{ name: "a", image: "x:1" }] } } },
  };
  applyDefaults(d as KubeObject);
  assert.equal(d.spec.replicas, 1);
  assert.deepEqual(d.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } });
  assert.equal(d.spec.revisionHistoryLimit, 10);
  assert.equal(d.spec.progressDeadlineSeconds, 600);
  assert.equal(d.spec.template.spec.restartPolicy, "Always");
  assert.equal(d.spec.template.spec.containers[0].imagePullPolicy, "IfNotPresent");
  assert.equal(d.spec.template.spec.enableServiceLinks, undefined, "pod-only defaults stay off templates");

  const recreate: Any = { apiVersion: "apps/v1", kind: "Deployment", metadata: {}, spec: { replicas: 0, strategy: { type: "Recreate" }, template: {} } };
  applyDefaults(recreate as KubeObject);
  assert.equal(recreate.spec.replicas, 0);
  assert.deepEqual(recreate.spec.strategy, { type: "Recreate" });
});

test("Service: ClusterIP, None affinity, TCP, targetPort = port, traffic policies, families", () => {
  const svc: Any = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "s" },
    spec: { ports: [{ port: 80 }, { port: 443, targetPort: "https" }] },
  };
  applyDefaults(svc as KubeObject);
  assert.deepEqual(svc.spec, {
    type: "ClusterIP",
    sessionAffinity: "None",
    ports: [
      { port: 80, protocol: "TCP", targetPort: 80 },
      { port: 443, targetPort: "https", protocol: "TCP" },
    ],
    internalTrafficPolicy: "Cluster",
    ipFamilyPolicy: "SingleStack",
    ipFamilies: ["IPv4"],
  });
  const np: Any = { apiVersion: "v1", kind: "Service", metadata: {}, spec: { type: "NodePort", ports: [{ port: 80 }] } };
  applyDefaults(np as KubeObject);
  assert.equal(np.spec.externalTrafficPolicy, "Cluster");
});

test("DaemonSet, ReplicaSet and Job defaults", () => {
  const ds: Any = { apiVersion: "apps/v1", kind: "DaemonSet", metadata: {}, spec: { template: {} } };
  applyDefaults(ds as KubeObject);
  assert.deepEqual(ds.spec.updateStrategy, { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.spec.revisionHistoryLimit, 10);

  const rs: Any = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: {}, spec: { template: {} } };
  applyDefaults(rs as KubeObject);
  assert.equal(rs.spec.replicas, 1);

  const job: Any = {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "j" },
    spec: { template: { metadata: { labels: { app: "j" } }, spec: { restartPolicy: "Never", containers: [] } } },
  };
  applyDefaults(job as KubeObject);
  assert.equal(job.spec.completions, 1);
  assert.equal(job.spec.parallelism, 1);
  assert.equal(job.spec.backoffLimit, 6);
  assert.equal(job.spec.completionMode, "NonIndexed");
  assert.equal(job.spec.suspend, false);
  assert.equal(job.spec.podReplacementPolicy, "TerminatingOrFailed");
  assert.deepEqual(job.metadata.labels, { app: "j" });
  assert.equal(job.spec.template.spec.restartPolicy, "Never");

  const work: Any = { apiVersion: "batch/v1", kind: "Job", metadata: {}, spec: { completions: 5, template: {} } };
  applyDefaults(work as KubeObject);
  assert.equal(work.spec.completions, 5);
  assert.equal(work.spec.parallelism, 1);
});

test("HPA v2: min replicas and CPU 80% by default; behavior filled only when given", () => {
  const plain: Any = { apiVersion: "autoscaling/v2", kind: "HorizontalPodAutoscaler", metadata: {}, spec: { maxReplicas: 5 } };
  applyDefaults(plain as KubeObject);
  assert.equal(plain.spec.minReplicas, 1);
  assert.deepEqual(plain.spec.metrics, [
    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } } },
  ]);
  assert.equal(plain.spec.behavior, undefined);

  const tuned: Any = {
    apiVersion: "autoscaling/v2",
    kind: "HorizontalPodAutoscaler",
    metadata: {},
    spec: { maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
  };
  applyDefaults(tuned as KubeObject);
  assert.deepEqual(tuned.spec.behavior, {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: "Max",
      policies: [
        { type: "Pods", value: 4, periodSeconds: 15 },
        { type: "Percent", value: 100, periodSeconds: 15 },
      ],
    },
    scaleDown: { selectPolicy: "Max", policies: [{ type: "Percent", value: 100, periodSeconds: 15 }], stabilizationWindowSeconds: 60 },
  });
});

test("small kinds: Secret, PV, PVC, StorageClass, Namespace label, RBAC groups", () => {
  const secret: Any = { apiVersion: "v1", kind: "Secret", metadata: {} };
  applyDefaults(secret as KubeObject);
  assert.equal(secret.type, "Opaque");
  const pv: Any = { apiVersion: "v1", kind: "PersistentVolume", metadata: {}, spec: {} };
  applyDefaults(pv as KubeObject);
  assert.equal(pv.spec.persistentVolumeReclaimPolicy, "Retain");
  assert.equal(pv.spec.volumeMode, "Filesystem");
  const pvc: Any = { apiVersion: "v1", kind: "PersistentVolumeClaim", metadata: {}, spec: {} };
  applyDefaults(pvc as KubeObject);
  assert.equal(pvc.spec.volumeMode, "Filesystem");
  const sc: Any = { apiVersion: "storage.k8s.io/v1", kind: "StorageClass", metadata: {}, provisioner: "x" };
  applyDefaults(sc as KubeObject);
  assert.equal(sc.reclaimPolicy, "Delete");
  assert.equal(sc.volumeBindingMode, "Immediate");
  const ns: Any = { apiVersion: "v1", kind: "Namespace", metadata: { name: "team" } };
  applyDefaults(ns as KubeObject);
  assert.deepEqual(ns.metadata.labels, { "kubernetes.io/metadata.name": "team" });
  const rb: Any = {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: {},
    roleRef: { kind: "Role", name: "r" },
    subjects: [{ kind: "User", name: "u" }, { kind: "ServiceAccount", name: "s", namespace: "n" }],
  };
  applyDefaults(rb as KubeObject);
  assert.equal(rb.roleRef.apiGroup, "rbac.authorization.k8s.io");
  assert.deepEqual(rb.subjects.map((s: Any) => s.apiGroup), ["rbac.authorization.k8s.io", ""]);
});

test("custom resources are left alone", () => {
  const cr: Any = { apiVersion: "example.com/v1", kind: "Pod", metadata: {}, spec: {} };
  applyDefaults(cr as KubeObject);
  assert.deepEqual(cr.spec, {});
});
