import { test } from "node:test";
import assert from "node:assert/strict";
import { builtinDefinitionName, resolveSchema, schemaFor, schemaForDefinition } from "./schema-graph.js";

test("schemaFor resolves refs into shared nodes with definition names", () => {
  const pod = schemaFor({ group: "", version: "v1", kind: "Pod" })!;
  assert.equal(pod["x-skiff-definition"], "io.k8s.api.core.v1.Pod");
  const containers = pod.properties!.spec!.properties!.containers!;
  assert.equal(containers.type, "array");
  assert.equal(containers["x-kubernetes-patch-merge-key"], "name");
  assert.deepEqual(containers["x-kubernetes-list-map-keys"], ["name"]);
  assert.equal(containers.items, schemaForDefinition("io.k8s.api.core.v1.Container"), "items share the definition node");
  const ports = containers.items!.properties!.ports!;
  assert.equal(ports["x-kubernetes-patch-merge-key"], "containerPort");
  assert.deepEqual(ports["x-kubernetes-list-map-keys"], ["containerPort", "protocol"]);
  // A described $ref keeps the field's description but shares the definition's properties.
  const spec = pod.properties!.spec!;
  assert.match(spec.description!, /desired behavior of the pod/);
  assert.equal(spec.properties, schemaForDefinition("io.k8s.api.core.v1.PodSpec")!.properties);
  assert.equal(schemaFor({ group: "", version: "v1", kind: "Pod" }), pod, "cached");
});

test("special types: IntOrString, Quantity, Time, RawExtension", () => {
  const svc = schemaFor({ group: "", version: "v1", kind: "Service" })!;
  const targetPort = svc.properties!.spec!.properties!.ports!.items!.properties!.targetPort!;
  assert.equal(targetPort["x-kubernetes-int-or-string"], true);
  const meta = schemaForDefinition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")!;
  assert.equal(meta.properties!.creationTimestamp!.format, "date-time");
  assert.equal(meta.properties!.finalizers!["x-kubernetes-patch-strategy"], "merge");
  assert.equal(meta.properties!.ownerReferences!["x-kubernetes-patch-merge-key"], "uid");
  const limits = schemaForDefinition("io.k8s.api.core.v1.ResourceRequirements")!.properties!.limits!;
  assert.equal((limits.additionalProperties as { format?: string }).format, "quantity");
  const crd = schemaFor({ group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition" })!;
  const props = crd.properties!.spec!.properties!.versions!.items!.properties!.schema!.properties!.openAPIV3Schema!;
  assert.equal(props.properties!.default!["x-kubernetes-preserve-unknown-fields"], true);
  assert.equal(props.properties!.not, schemaForDefinition("io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps"), "cycle");
  assert.equal(props.properties!.maximum!.type, "number");
  assert.equal(props.properties!.maxLength!.type, "integer");
});

test("every served kind has a schema", () => {
  const kinds: Array<[string, string, string]> = [
    ["", "v1", "Namespace"], ["", "v1", "Node"], ["", "v1", "Pod"], ["", "v1", "Service"], ["", "v1", "Endpoints"],
    ["", "v1", "ConfigMap"], ["", "v1", "Secret"], ["", "v1", "Event"], ["", "v1", "ServiceAccount"],
    ["", "v1", "PersistentVolume"], ["", "v1", "PersistentVolumeClaim"], ["", "v1", "Binding"],
    ["apps", "v1", "ReplicaSet"], ["apps", "v1", "Deployment"], ["apps", "v1", "DaemonSet"], ["batch", "v1", "Job"],
    ["autoscaling", "v1", "Scale"], ["autoscaling", "v2", "HorizontalPodAutoscaler"],
    ["networking.k8s.io", "v1", "Ingress"], ["networking.k8s.io", "v1", "IngressClass"],
    ["discovery.k8s.io", "v1", "EndpointSlice"], ["coordination.k8s.io", "v1", "Lease"],
    ["storage.k8s.io", "v1", "StorageClass"], ["rbac.authorization.k8s.io", "v1", "Role"],
    ["rbac.authorization.k8s.io", "v1", "ClusterRole"], ["rbac.authorization.k8s.io", "v1", "RoleBinding"],
    ["rbac.authorization.k8s.io", "v1", "ClusterRoleBinding"], ["apiextensions.k8s.io", "v1", "CustomResourceDefinition"],
    ["", "v1", "Status"], ["meta.k8s.io", "v1", "Table"], ["meta.k8s.io", "v1", "PartialObjectMetadata"],
  ];
  for (const [group, version, kind] of kinds) {
    assert.ok(schemaFor({ group, version, kind }), `${group}/${version} ${kind}`);
  }
  assert.equal(builtinDefinitionName({ group: "apps", version: "v1", kind: "DeleteOptions" }), "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
  assert.equal(schemaFor({ group: "apps", version: "v1", kind: "StatefulSet" }), undefined);
});

test("resolveSchema adds type meta at the root and at embedded resources, without touching its input", () => {
  const raw = {
    type: "object",
    properties: {
      spec: {
        type: "object",
        properties: { template: { type: "object", "x-kubernetes-embedded-resource": true, properties: { x: { type: "string" } } } },
      },
    },
  };
  const copy = structuredClone(raw);
  const node = resolveSchema(raw);
  assert.deepEqual(raw, copy);
  assert.deepEqual(Object.keys(node.properties!).sort(), ["apiVersion", "kind", "metadata", "spec"]);
  assert.equal(node.properties!.metadata!["x-skiff-definition"], "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
  const template = node.properties!.spec!.properties!.template!;
  assert.deepEqual(Object.keys(template.properties!).sort(), ["apiVersion", "kind", "metadata", "x"]);
});
