/**
 * Generates `packages/core/src/api/openapi/definitions.json`: the OpenAPI v3
 * `components.schemas` of every kind Skiff serves, keyed by the upstream
 * definition names (`io.k8s.api.core.v1.Pod`, …).
 *
 * Regenerate (from the repository root, no network needed):
 *
 *     npx tsx packages/core/scripts/gen-openapi.ts
 *
 * Source: the `kubernetes-types` declaration files (descriptions from JSDoc,
 * required = non-optional members). What those files cannot say — Go integer
 * vs float, strategic-merge tags, list types, int-or-string — comes from the
 * hand-written tables below, which reproduce the upstream Go struct tags for
 * the served kinds. Output is sorted, so regenerating is byte-stable.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = dirname(fileURLToPath(import.meta.url));
const outFile = resolve(here, "../src/api/openapi/definitions.json");
const require = createRequire(import.meta.url);
const typesRoot = dirname(require.resolve("kubernetes-types/package.json"));

type Schema = Record<string, unknown>;

const refPrefix = "#/components/schemas/";

/** kubernetes-types module (path without `.d.ts`) → upstream definition prefix. */
const modulePrefix: Record<string, string> = {
  "core/v1": "io.k8s.api.core.v1",
  "apps/v1": "io.k8s.api.apps.v1",
  "batch/v1": "io.k8s.api.batch.v1",
  "autoscaling/v1": "io.k8s.api.autoscaling.v1",
  "autoscaling/v2": "io.k8s.api.autoscaling.v2",
  "networking/v1": "io.k8s.api.networking.v1",
  "discovery/v1": "io.k8s.api.discovery.v1",
  "coordination/v1": "io.k8s.api.coordination.v1",
  "storage/v1": "io.k8s.api.storage.v1",
  "rbac/v1": "io.k8s.api.rbac.v1",
  "apiextensions/v1": "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1",
  "meta/v1": "io.k8s.apimachinery.pkg.apis.meta.v1",
  runtime: "io.k8s.apimachinery.pkg.runtime",
  "api/resource": "io.k8s.apimachinery.pkg.api.resource",
};

const intOrString = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const metaPrefix = "io.k8s.apimachinery.pkg.apis.meta.v1";
const crdPrefix = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1";

/** The kinds Skiff serves; everything reachable from them is emitted. */
const servedKinds: string[] = [
  ...["Namespace", "Node", "Pod", "Service", "Endpoints", "ConfigMap", "Secret", "Event", "ServiceAccount",
    "PersistentVolume", "PersistentVolumeClaim"].flatMap((k) => [`io.k8s.api.core.v1.${k}`, `io.k8s.api.core.v1.${k}List`]),
  "io.k8s.api.core.v1.Binding",
  ...["ReplicaSet", "Deployment", "DaemonSet"].flatMap((k) => [`io.k8s.api.apps.v1.${k}`, `io.k8s.api.apps.v1.${k}List`]),
  "io.k8s.api.batch.v1.Job", "io.k8s.api.batch.v1.JobList",
  "io.k8s.api.autoscaling.v1.Scale",
  "io.k8s.api.autoscaling.v2.HorizontalPodAutoscaler", "io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerList",
  ...["Ingress", "IngressClass"].flatMap((k) => [`io.k8s.api.networking.v1.${k}`, `io.k8s.api.networking.v1.${k}List`]),
  "io.k8s.api.discovery.v1.EndpointSlice", "io.k8s.api.discovery.v1.EndpointSliceList",
  "io.k8s.api.coordination.v1.Lease", "io.k8s.api.coordination.v1.LeaseList",
  "io.k8s.api.storage.v1.StorageClass", "io.k8s.api.storage.v1.StorageClassList",
  ...["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].flatMap((k) => [`io.k8s.api.rbac.v1.${k}`, `io.k8s.api.rbac.v1.${k}List`]),
  `${crdPrefix}.CustomResourceDefinition`, `${crdPrefix}.CustomResourceDefinitionList`,
  ...["Status", "DeleteOptions", "WatchEvent", "APIResourceList", "APIGroupList", "APIGroup", "APIVersions", "Patch",
    "Table", "PartialObjectMetadata", "PartialObjectMetadataList"].map((k) => `${metaPrefix}.${k}`),
];

/** Group/versions whose operations share the meta types (DeleteOptions, WatchEvent carry one GVK per group/version upstream). */
const servedGroupVersions: Array<[string, string]> = [
  ["", "v1"], ["apps", "v1"], ["batch", "v1"], ["autoscaling", "v1"], ["autoscaling", "v2"],
  ["networking.k8s.io", "v1"], ["discovery.k8s.io", "v1"], ["coordination.k8s.io", "v1"],
  ["storage.k8s.io", "v1"], ["rbac.authorization.k8s.io", "v1"], ["apiextensions.k8s.io", "v1"],
];

/** Go float fields (everything else typed `number` is a Go integer). */
const floatFields = new Set([`${crdPrefix}.JSONSchemaProps.maximum`, `${crdPrefix}.JSONSchemaProps.minimum`, `${crdPrefix}.JSONSchemaProps.multipleOf`]);

interface ListTags {
  mergeKey?: string;
  strategy?: string;
  listType?: "atomic" | "set" | "map";
  mapKeys?: string[];
}

const atomic: ListTags = { listType: "atomic" };
const byName: ListTags = { mergeKey: "name", strategy: "merge", listType: "map", mapKeys: ["name"] };
const byType: ListTags = { mergeKey: "type", strategy: "merge", listType: "map", mapKeys: ["type"] };

/**
 * Upstream `patchMergeKey`/`patchStrategy`/`listType`/`listMapKey` tags
 * (Kubernetes 1.30), keyed by `<Definition>.<field>` without the prefix.
 */
const listTags: Record<string, ListTags> = {
  // meta/v1
  "meta.ObjectMeta.finalizers": { strategy: "merge", listType: "set" },
  "meta.ObjectMeta.ownerReferences": { mergeKey: "uid", strategy: "merge", listType: "map", mapKeys: ["uid"] },
  "meta.ObjectMeta.managedFields": atomic,
  "meta.LabelSelector.matchExpressions": atomic,
  "meta.LabelSelectorRequirement.values": atomic,
  "meta.StatusDetails.causes": atomic,
  "meta.DeleteOptions.dryRun": atomic,
  "meta.APIResourceList.resources": atomic,
  "meta.APIResource.verbs": atomic,
  "meta.APIResource.shortNames": atomic,
  "meta.APIResource.categories": atomic,
  "meta.APIGroupList.groups": atomic,
  "meta.APIGroup.versions": atomic,
  "meta.APIGroup.serverAddressByClientCIDRs": atomic,
  "meta.APIVersions.versions": atomic,
  "meta.APIVersions.serverAddressByClientCIDRs": atomic,
  "meta.Table.columnDefinitions": atomic,
  "meta.Table.rows": atomic,
  "meta.TableRow.cells": atomic,
  "meta.TableRow.conditions": atomic,
  // core/v1: pods
  "core.PodSpec.volumes": { mergeKey: "name", strategy: "merge,retainKeys", listType: "map", mapKeys: ["name"] },
  "core.PodSpec.initContainers": byName,
  "core.PodSpec.containers": byName,
  "core.PodSpec.ephemeralContainers": byName,
  "core.PodSpec.imagePullSecrets": byName,
  "core.PodSpec.tolerations": atomic,
  "core.PodSpec.hostAliases": { mergeKey: "ip", strategy: "merge", listType: "map", mapKeys: ["ip"] },
  "core.PodSpec.topologySpreadConstraints": {
    mergeKey: "topologyKey", strategy: "merge", listType: "map", mapKeys: ["topologyKey", "whenUnsatisfiable"],
  },
  "core.PodSpec.readinessGates": atomic,
  "core.PodSpec.schedulingGates": byName,
  "core.PodSpec.resourceClaims": { mergeKey: "name", strategy: "merge,retainKeys", listType: "map", mapKeys: ["name"] },
  "core.PodSecurityContext.supplementalGroups": atomic,
  "core.PodSecurityContext.sysctls": atomic,
  "core.PodDNSConfig.nameservers": atomic,
  "core.PodDNSConfig.searches": atomic,
  "core.PodDNSConfig.options": atomic,
  "core.HostAlias.hostnames": atomic,
  "core.TopologySpreadConstraint.matchLabelKeys": atomic,
  "core.Capabilities.add": atomic,
  "core.Capabilities.drop": atomic,
  "core.ExecAction.command": atomic,
  "core.HTTPGetAction.httpHeaders": atomic,
  "core.ResourceRequirements.claims": { listType: "map", mapKeys: ["name"] },
  "core.NodeSelector.nodeSelectorTerms": atomic,
  "core.NodeSelectorTerm.matchExpressions": atomic,
  "core.NodeSelectorTerm.matchFields": atomic,
  "core.NodeSelectorRequirement.values": atomic,
  "core.NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution": atomic,
  "core.PodAffinity.requiredDuringSchedulingIgnoredDuringExecution": atomic,
  "core.PodAffinity.preferredDuringSchedulingIgnoredDuringExecution": atomic,
  "core.PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution": atomic,
  "core.PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution": atomic,
  "core.PodAffinityTerm.namespaces": atomic,
  "core.PodAffinityTerm.matchLabelKeys": atomic,
  "core.PodAffinityTerm.mismatchLabelKeys": atomic,
  "core.TopologySelectorTerm.matchLabelExpressions": atomic,
  "core.TopologySelectorLabelRequirement.values": atomic,
  "core.ConfigMapVolumeSource.items": atomic,
  "core.SecretVolumeSource.items": atomic,
  "core.ConfigMapProjection.items": atomic,
  "core.SecretProjection.items": atomic,
  "core.DownwardAPIVolumeSource.items": atomic,
  "core.DownwardAPIProjection.items": atomic,
  "core.ProjectedVolumeSource.sources": atomic,
  "core.CephFSVolumeSource.monitors": atomic,
  "core.CephFSPersistentVolumeSource.monitors": atomic,
  "core.RBDVolumeSource.monitors": atomic,
  "core.RBDPersistentVolumeSource.monitors": atomic,
  "core.ISCSIVolumeSource.portals": atomic,
  "core.ISCSIPersistentVolumeSource.portals": atomic,
  "core.FCVolumeSource.targetWWNs": atomic,
  "core.FCVolumeSource.wwids": atomic,
  // containers (Container and EphemeralContainer carry the same tags)
  ...Object.fromEntries(
    ["Container", "EphemeralContainer"].flatMap((c) => [
      [`core.${c}.command`, atomic],
      [`core.${c}.args`, atomic],
      [`core.${c}.ports`, { mergeKey: "containerPort", strategy: "merge", listType: "map", mapKeys: ["containerPort", "protocol"] }],
      [`core.${c}.envFrom`, atomic],
      [`core.${c}.env`, byName],
      [`core.${c}.volumeMounts`, { mergeKey: "mountPath", strategy: "merge", listType: "map", mapKeys: ["mountPath"] }],
      [`core.${c}.volumeDevices`, { mergeKey: "devicePath", strategy: "merge", listType: "map", mapKeys: ["devicePath"] }],
      [`core.${c}.resizePolicy`, atomic],
    ]),
  ),
  "core.PodStatus.conditions": byType,
  "core.PodStatus.podIPs": { mergeKey: "ip", strategy: "merge", listType: "map", mapKeys: ["ip"] },
  "core.PodStatus.hostIPs": { mergeKey: "ip", strategy: "merge", listType: "atomic" },
  "core.PodStatus.initContainerStatuses": atomic,
  "core.PodStatus.containerStatuses": atomic,
  "core.PodStatus.ephemeralContainerStatuses": atomic,
  "core.PodStatus.resourceClaimStatuses": { mergeKey: "name", strategy: "merge,retainKeys", listType: "map", mapKeys: ["name"] },
  "core.ContainerStatus.volumeMounts": { mergeKey: "mountPath", strategy: "merge", listType: "map", mapKeys: ["mountPath"] },
  // core/v1: nodes
  "core.NodeSpec.podCIDRs": { strategy: "merge", listType: "set" },
  "core.NodeSpec.taints": atomic,
  "core.NodeStatus.conditions": byType,
  "core.NodeStatus.addresses": byType,
  "core.NodeStatus.images": atomic,
  "core.NodeStatus.volumesInUse": atomic,
  "core.NodeStatus.volumesAttached": atomic,
  "core.ContainerImage.names": atomic,
  // core/v1: services and endpoints
  "core.ServiceSpec.ports": { mergeKey: "port", strategy: "merge", listType: "map", mapKeys: ["port", "protocol"] },
  "core.ServiceSpec.clusterIPs": atomic,
  "core.ServiceSpec.externalIPs": atomic,
  "core.ServiceSpec.loadBalancerSourceRanges": atomic,
  "core.ServiceSpec.ipFamilies": atomic,
  "core.ServiceStatus.conditions": byType,
  "core.LoadBalancerStatus.ingress": atomic,
  "core.LoadBalancerIngress.ports": atomic,
  "core.Endpoints.subsets": atomic,
  "core.EndpointSubset.addresses": atomic,
  "core.EndpointSubset.notReadyAddresses": atomic,
  "core.EndpointSubset.ports": atomic,
  // core/v1: the rest
  "core.ServiceAccount.secrets": byName,
  "core.ServiceAccount.imagePullSecrets": atomic,
  "core.NamespaceSpec.finalizers": atomic,
  "core.NamespaceStatus.conditions": byType,
  "core.PersistentVolumeSpec.accessModes": atomic,
  "core.PersistentVolumeSpec.mountOptions": atomic,
  "core.PersistentVolumeClaimSpec.accessModes": atomic,
  "core.PersistentVolumeClaimStatus.accessModes": atomic,
  "core.PersistentVolumeClaimStatus.conditions": byType,
  // apps/v1
  "apps.DeploymentSpec.strategy": { strategy: "retainKeys" },
  "apps.DeploymentStatus.conditions": byType,
  "apps.ReplicaSetStatus.conditions": byType,
  "apps.DaemonSetStatus.conditions": byType,
  // batch/v1
  "batch.JobStatus.conditions": { mergeKey: "type", strategy: "merge", listType: "atomic" },
  "batch.PodFailurePolicy.rules": atomic,
  "batch.PodFailurePolicyRule.onPodConditions": atomic,
  "batch.PodFailurePolicyOnExitCodesRequirement.values": { listType: "set" },
  "batch.SuccessPolicy.rules": atomic,
  // autoscaling/v2
  "autoscalingv2.HorizontalPodAutoscalerSpec.metrics": atomic,
  "autoscalingv2.HorizontalPodAutoscalerStatus.currentMetrics": atomic,
  "autoscalingv2.HorizontalPodAutoscalerStatus.conditions": byType,
  "autoscalingv2.HPAScalingRules.policies": atomic,
  // networking/v1
  "networking.IngressSpec.tls": atomic,
  "networking.IngressSpec.rules": atomic,
  "networking.IngressTLS.hosts": atomic,
  "networking.HTTPIngressRuleValue.paths": atomic,
  "networking.IngressLoadBalancerStatus.ingress": atomic,
  "networking.IngressLoadBalancerIngress.ports": atomic,
  // discovery/v1
  "discovery.EndpointSlice.endpoints": atomic,
  "discovery.EndpointSlice.ports": atomic,
  "discovery.Endpoint.addresses": { listType: "set" },
  "discovery.EndpointHints.forZones": atomic,
  // storage/v1
  "storage.StorageClass.mountOptions": atomic,
  "storage.StorageClass.allowedTopologies": atomic,
  // rbac/v1
  "rbac.Role.rules": atomic,
  "rbac.ClusterRole.rules": atomic,
  "rbac.RoleBinding.subjects": atomic,
  "rbac.ClusterRoleBinding.subjects": atomic,
  "rbac.AggregationRule.clusterRoleSelectors": atomic,
  "rbac.PolicyRule.verbs": atomic,
  "rbac.PolicyRule.apiGroups": atomic,
  "rbac.PolicyRule.resources": atomic,
  "rbac.PolicyRule.resourceNames": atomic,
  "rbac.PolicyRule.nonResourceURLs": atomic,
  // apiextensions/v1
  "apiextensions.CustomResourceDefinitionSpec.versions": atomic,
  "apiextensions.CustomResourceDefinitionNames.shortNames": atomic,
  "apiextensions.CustomResourceDefinitionNames.categories": atomic,
  "apiextensions.CustomResourceDefinitionStatus.conditions": { listType: "map", mapKeys: ["type"] },
  "apiextensions.CustomResourceDefinitionStatus.storedVersions": atomic,
  "apiextensions.CustomResourceDefinitionVersion.additionalPrinterColumns": atomic,
  "apiextensions.CustomResourceDefinitionVersion.selectableFields": atomic,
  "apiextensions.CustomResourceConversion.webhook": {},
  "apiextensions.JSONSchemaProps.x-kubernetes-list-map-keys": atomic,
  "apiextensions.JSONSchemaProps.x-kubernetes-validations": { mergeKey: "rule", strategy: "merge", listType: "map", mapKeys: ["rule"] },
};

/** Short table prefixes → definition prefixes. */
const tablePrefix: Record<string, string> = {
  meta: metaPrefix,
  core: "io.k8s.api.core.v1",
  apps: "io.k8s.api.apps.v1",
  batch: "io.k8s.api.batch.v1",
  autoscalingv2: "io.k8s.api.autoscaling.v2",
  networking: "io.k8s.api.networking.v1",
  discovery: "io.k8s.api.discovery.v1",
  storage: "io.k8s.api.storage.v1",
  rbac: "io.k8s.api.rbac.v1",
  apiextensions: crdPrefix,
};

/** Structs upstream marks `+structType=atomic` (a strategic merge replaces them whole). */
const atomicStructs = [
  "meta.LabelSelector", "core.LocalObjectReference", "core.ObjectReference", "core.ConfigMapKeySelector",
  "core.SecretKeySelector", "core.ObjectFieldSelector", "core.ResourceFieldSelector", "core.NodeSelector",
  "core.NodeSelectorTerm", "core.TopologySelectorTerm", "core.TypedLocalObjectReference",
];

/** Fields JSONSchemaProps has upstream but kubernetes-types leaves out (the `x-kubernetes-*` vendor extensions). */
const jsonSchemaPropsExtensions: Record<string, Schema> = {
  "x-kubernetes-embedded-resource": { type: "boolean", description: "x-kubernetes-embedded-resource defines that the value is an embedded Kubernetes runtime.Object, with TypeMeta and ObjectMeta. The type must be object. It is allowed to further restrict the embedded object. kind, apiVersion and metadata are validated automatically. x-kubernetes-preserve-unknown-fields is allowed to be true, but does not have to be if the object is fully specified (up to kind, apiVersion, metadata)." },
  "x-kubernetes-int-or-string": { type: "boolean", description: "x-kubernetes-int-or-string specifies that this value is either an integer or a string. If this is true, an empty type is allowed and type as child of anyOf is permitted if following one of the following patterns:\n\n1) anyOf:\n   - type: integer\n   - type: string\n2) allOf:\n   - anyOf:\n     - type: integer\n     - type: string\n   - ... zero or more" },
  "x-kubernetes-list-map-keys": { type: "array", items: { type: "string", default: "" }, description: "x-kubernetes-list-map-keys annotates an array with the x-kubernetes-list-type `map` by specifying the keys used as the index of the map.\n\nThis tag MUST only be used on lists that have the \"x-kubernetes-list-type\" extension set to \"map\". Also, the values specified for this attribute must be a scalar typed field of the child structure (no nesting is supported).\n\nThe properties specified must either be required or have a default value, to ensure those properties are present for all list items." },
  "x-kubernetes-list-type": { type: "string", description: "x-kubernetes-list-type annotates an array to further describe its topology. This extension must only be used on lists and may have 3 possible values:\n\n1) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic lists will be entirely replaced when updated. This extension\n     may be used on any type of list (struct, scalar, ...).\n2) `set`:\n     Sets are lists that must not have multiple items with the same value. Each\n     value must be a scalar, an object with x-kubernetes-map-type `atomic` or an\n     array with x-kubernetes-list-type `atomic`.\n3) `map`:\n     These lists are like maps in that their elements have a non-index key\n     used to identify them. Order is preserved upon merge. The map tag\n     must only be used on a list with elements of type object.\nDefaults to atomic for arrays." },
  "x-kubernetes-map-type": { type: "string", description: "x-kubernetes-map-type annotates an object to further describe its topology. This extension must only be used when type is object and may have 2 possible values:\n\n1) `granular`:\n     These maps are actual maps (key-value pairs) and each fields are independent\n     from each other (they can each be manipulated by separate actors). This is\n     the default behaviour for all maps.\n2) `atomic`: the list is treated as a single entity, like a scalar.\n     Atomic maps will be entirely replaced when updated." },
  "x-kubernetes-preserve-unknown-fields": { type: "boolean", description: "x-kubernetes-preserve-unknown-fields stops the API server decoding step from pruning fields which are not specified in the validation schema. This affects fields recursively, but switches back to normal pruning behaviour if nested properties or additionalProperties are specified in the schema. This can either be true or undefined. False is forbidden." },
  "x-kubernetes-validations": { type: "array", items: { $ref: `${refPrefix}${crdPrefix}.ValidationRule` }, description: "x-kubernetes-validations describes a list of validation rules written in the CEL expression language." },
};

/** meta/v1 types kubernetes-types does not carry; shapes as upstream serves them. */
const handWritten: Record<string, Schema> = {
  [`${metaPrefix}.Table`]: {
    description: "Table is a tabular representation of a set of API resources. The server transforms the object into a set of preferred columns for quickly reviewing the objects.",
    type: "object",
    required: ["columnDefinitions", "rows"],
    properties: {
      apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources" },
      columnDefinitions: { type: "array", description: "columnDefinitions describes each column in the returned items array. The number of cells per row will always match the number of column definitions.", items: { $ref: `${refPrefix}${metaPrefix}.TableColumnDefinition` } },
      kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
      metadata: { allOf: [{ $ref: `${refPrefix}${metaPrefix}.ListMeta` }], description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
      rows: { type: "array", description: "rows is the list of items in the table.", items: { $ref: `${refPrefix}${metaPrefix}.TableRow` } },
    },
    "x-kubernetes-group-version-kind": [{ group: "meta.k8s.io", kind: "Table", version: "v1" }],
  },
  [`${metaPrefix}.TableColumnDefinition`]: {
    description: "TableColumnDefinition contains information about a column returned in the Table.",
    type: "object",
    required: ["name", "type", "format", "description", "priority"],
    properties: {
      description: { type: "string", description: "description is a human readable description of this column." },
      format: { type: "string", description: "format is an optional OpenAPI type modifier for this column. A format modifies the type and imposes additional rules, like date or time formatting for a string. The 'name' format is applied to the primary identifier column which has type 'string' to assist in clients identifying column is the resource name." },
      name: { type: "string", description: "name is a human readable name for the column." },
      priority: { type: "integer", format: "int32", description: "priority is an integer defining the relative importance of this column compared to others. Lower numbers are considered higher priority. Columns that may be omitted in limited space scenarios should be given a higher priority." },
      type: { type: "string", description: "type is an OpenAPI type definition for this column, such as number, integer, string, or array." },
    },
  },
  [`${metaPrefix}.TableRow`]: {
    description: "TableRow is an individual row in a table.",
    type: "object",
    required: ["cells"],
    properties: {
      cells: { type: "array", description: "cells will be as wide as the column definitions array and may contain strings, numbers (float64 or int64), booleans, simple maps, lists, or null.", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
      conditions: { type: "array", description: "conditions describe additional status of a row that are relevant for a human user.", items: { $ref: `${refPrefix}${metaPrefix}.TableRowCondition` } },
      object: { allOf: [{ $ref: `${refPrefix}io.k8s.apimachinery.pkg.runtime.RawExtension` }], description: "This field contains the requested additional information about each object based on the includeObject policy when requesting the Table." },
    },
  },
  [`${metaPrefix}.TableRowCondition`]: {
    description: "TableRowCondition allows a row to be marked with additional information.",
    type: "object",
    required: ["type", "status"],
    properties: {
      message: { type: "string", description: "Human readable message indicating details about last transition." },
      reason: { type: "string", description: "(brief) machine readable reason for the condition's last transition." },
      status: { type: "string", description: "Status of the condition, one of True, False, Unknown." },
      type: { type: "string", description: "Type of row condition. The only defined value is 'Completed' indicating that the object this row represents has reached a completed state and may be omitted from the table." },
    },
  },
  [`${metaPrefix}.PartialObjectMetadata`]: {
    description: "PartialObjectMetadata is a generic representation of any object with ObjectMeta. It allows clients to get access to a particular ObjectMeta schema without knowing the details of the version.",
    type: "object",
    properties: {
      apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." },
      kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents." },
      metadata: { allOf: [{ $ref: `${refPrefix}${metaPrefix}.ObjectMeta` }], description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata" },
    },
    "x-kubernetes-group-version-kind": [{ group: "meta.k8s.io", kind: "PartialObjectMetadata", version: "v1" }],
  },
  [`${metaPrefix}.PartialObjectMetadataList`]: {
    description: "PartialObjectMetadataList contains a list of objects containing only their metadata",
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: { type: "string", description: "APIVersion defines the versioned schema of this representation of an object." },
      items: { type: "array", description: "items contains each of the included items.", items: { $ref: `${refPrefix}${metaPrefix}.PartialObjectMetadata` } },
      kind: { type: "string", description: "Kind is a string value representing the REST resource this object represents." },
      metadata: { allOf: [{ $ref: `${refPrefix}${metaPrefix}.ListMeta` }], description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
    },
  },
};

// ---------------------------------------------------------------------------

interface ParsedModule {
  prefix: string;
  /** Imported identifier → the module (types path) it comes from. */
  imports: Map<string, string>;
  declarations: Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>;
}

function parseModule(modulePath: string): ParsedModule {
  const file = join(typesRoot, `${modulePath}.d.ts`);
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const imports = new Map<string, string>();
  const declarations = new Map<string, ts.InterfaceDeclaration | ts.TypeAliasDeclaration>();
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const from = join(dirname(modulePath), statement.moduleSpecifier.text).replace(/\\/g, "/");
      const bindings = statement.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) for (const el of bindings.elements) imports.set(el.name.text, from);
    } else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) {
      declarations.set(statement.name.text, statement);
    }
  }
  const prefix = modulePrefix[modulePath];
  if (!prefix) throw new Error(`no definition prefix for ${modulePath}`);
  return { prefix, imports, declarations };
}

const modules = new Map<string, ParsedModule>();
for (const m of Object.keys(modulePrefix)) modules.set(m, parseModule(m));
const moduleByPrefix = new Map([...modules.entries()].map(([path, m]) => [m.prefix, { path, module: m }]));

function docOf(node: ts.Node): string | undefined {
  const parts = ts
    .getJSDocCommentsAndTags(node)
    .filter(ts.isJSDoc)
    .map((d) => ts.getTextOfJSDocComment(d.comment) ?? "")
    .filter((t) => t.length > 0);
  return parts.length > 0 ? parts.join("\n") : undefined;
}

function ref(name: string): Schema {
  return { $ref: `${refPrefix}${name}` };
}

/** Definitions that are scalars upstream even though TypeScript spells them as aliases or empty interfaces. */
function specialDefinition(name: string, description: string | undefined): Schema | undefined {
  const d = description ? { description } : {};
  switch (name) {
    case "io.k8s.apimachinery.pkg.api.resource.Quantity":
      return { ...d, type: "string", format: "quantity", "x-kubernetes-int-or-string": true };
    case `${metaPrefix}.Time`:
    case `${metaPrefix}.MicroTime`:
      return { ...d, type: "string", format: "date-time" };
    case "io.k8s.apimachinery.pkg.runtime.RawExtension":
      return { ...d, type: "object", "x-kubernetes-preserve-unknown-fields": true };
    case `${metaPrefix}.FieldsV1`:
      return { ...d, type: "object", "x-kubernetes-preserve-unknown-fields": true };
    case `${metaPrefix}.Patch`:
      return { ...d, type: "object" };
    case `${crdPrefix}.JSON`:
    case `${crdPrefix}.JSONSchemaPropsOrArray`:
    case `${crdPrefix}.JSONSchemaPropsOrBool`:
    case `${crdPrefix}.JSONSchemaPropsOrStringArray`:
      return { ...d, "x-kubernetes-preserve-unknown-fields": true };
    default:
      return undefined;
  }
}

const intOrStringDefinition: Schema = {
  description:
    "IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.",
  type: "string",
  format: "int-or-string",
  "x-kubernetes-int-or-string": true,
};

class Generator {
  readonly out = new Map<string, Schema>();
  private readonly queue: string[] = [];

  want(name: string): void {
    if (!this.out.has(name) && !this.queue.includes(name)) this.queue.push(name);
  }

  run(roots: string[]): void {
    for (const r of roots) this.want(r);
    while (this.queue.length > 0) {
      const name = this.queue.shift()!;
      if (this.out.has(name)) continue;
      this.out.set(name, this.build(name));
    }
  }

  private build(name: string): Schema {
    if (name === intOrString) return intOrStringDefinition;
    const hand = handWritten[name];
    if (hand) {
      this.collectRefs(hand);
      for (const [field, s] of Object.entries((hand.properties ?? {}) as Record<string, Schema>)) {
        const tags = listTagsFor(name, field);
        if (tags) applyListTags(s, tags);
      }
      return hand;
    }
    const dot = name.lastIndexOf(".");
    const prefix = name.slice(0, dot);
    const typeName = name.slice(dot + 1);
    const found = moduleByPrefix.get(prefix);
    const decl = found?.module.declarations.get(typeName);
    if (!found || !decl) throw new Error(`unknown definition ${name}`);
    const description = docOf(decl);
    const special = specialDefinition(name, description);
    if (special) return special;
    if (!ts.isInterfaceDeclaration(decl)) throw new Error(`unhandled alias ${name}`);

    const schema: Schema = {};
    if (description) schema.description = description;
    schema.type = "object";
    const properties: Record<string, Schema> = {};
    const required: string[] = [];
    let apiVersion: string | undefined;
    let kind: string | undefined;
    for (const member of decl.members) {
      if (!ts.isPropertySignature(member) || !member.type) continue;
      const field = ts.isStringLiteral(member.name) || ts.isIdentifier(member.name) ? member.name.text : member.name.getText();
      if (!member.questionToken) required.push(field);
      const literal = literalOf(member.type);
      if (field === "apiVersion" && literal) apiVersion = literal;
      if (field === "kind" && literal) kind = literal;
      const fieldSchema = this.typeSchema(member.type, found.module, `${name}.${field}`);
      const doc = docOf(member);
      properties[field] = withDescription(fieldSchema, doc);
      const tags = listTagsFor(name, field);
      if (tags) applyListTags(properties[field]!, tags);
    }
    if (name === `${crdPrefix}.JSONSchemaProps`) {
      for (const [field, s] of Object.entries(jsonSchemaPropsExtensions)) {
        properties[field] = s;
        this.collectRefs(s);
        const tags = listTagsFor(name, field);
        if (tags) applyListTags(properties[field], tags);
      }
    }
    schema.properties = sortKeys(properties);
    if (required.length > 0) schema.required = required.sort();
    if (atomicStructs.some((s) => expandTableKey(s) === name)) schema["x-kubernetes-map-type"] = "atomic";
    const gvks = groupVersionKinds(name, apiVersion, kind);
    if (gvks) schema["x-kubernetes-group-version-kind"] = gvks;
    return schema;
  }

  private collectRefs(s: unknown): void {
    if (Array.isArray(s)) for (const x of s) this.collectRefs(x);
    else if (s && typeof s === "object") {
      for (const [k, v] of Object.entries(s)) {
        if (k === "$ref" && typeof v === "string") this.want(v.slice(refPrefix.length));
        else this.collectRefs(v);
      }
    }
  }

  private named(name: string, module: ParsedModule): string {
    if (module.declarations.has(name)) return `${module.prefix}.${name}`;
    const from = module.imports.get(name);
    if (!from) throw new Error(`cannot resolve ${name} in ${module.prefix}`);
    const target = modules.get(from);
    if (!target) throw new Error(`module ${from} not loaded (needed for ${name})`);
    return `${target.prefix}.${name}`;
  }

  private typeSchema(node: ts.TypeNode, module: ParsedModule, path: string): Schema {
    switch (node.kind) {
      case ts.SyntaxKind.StringKeyword:
        return { type: "string" };
      case ts.SyntaxKind.BooleanKeyword:
        return { type: "boolean" };
      case ts.SyntaxKind.NumberKeyword:
        return floatFields.has(path) ? { type: "number", format: "double" } : { type: "integer" };
      default:
        break;
    }
    if (ts.isLiteralTypeNode(node)) return { type: "string" };
    if (ts.isParenthesizedTypeNode(node)) return this.typeSchema(node.type, module, path);
    if (ts.isUnionTypeNode(node)) {
      const kinds = node.types.map((t) => t.kind).sort();
      if (kinds.length === 2 && kinds.includes(ts.SyntaxKind.NumberKeyword) && kinds.includes(ts.SyntaxKind.StringKeyword)) {
        this.want(intOrString);
        return ref(intOrString);
      }
      throw new Error(`unhandled union at ${path}: ${node.getText()}`);
    }
    if (ts.isArrayTypeNode(node)) return { type: "array", items: this.typeSchema(node.elementType, module, path) };
    if (ts.isTypeLiteralNode(node)) {
      const index = node.members.find(ts.isIndexSignatureDeclaration);
      if (index && node.members.length === 1) {
        return { type: "object", additionalProperties: this.typeSchema(index.type, module, path) };
      }
      throw new Error(`unhandled type literal at ${path}`);
    }
    if (ts.isTypeReferenceNode(node)) {
      const name = node.typeName.getText();
      if (name === "Array" && node.typeArguments?.length === 1) {
        return { type: "array", items: this.typeSchema(node.typeArguments[0]!, module, path) };
      }
      const def = this.named(name, module);
      this.want(def);
      return ref(def);
    }
    throw new Error(`unhandled type at ${path}: ${node.getText()}`);
  }
}

function literalOf(node: ts.TypeNode): string | undefined {
  return ts.isLiteralTypeNode(node) && ts.isStringLiteral(node.literal) ? node.literal.text : undefined;
}

/**
 * Upstream v3 style: a `$ref` that carries its own description is wrapped in
 * `allOf`, because siblings of `$ref` are ignored in OpenAPI 3.0.
 */
function withDescription(schema: Schema, description: string | undefined): Schema {
  if (!description) return schema;
  if (typeof schema.$ref === "string") return { allOf: [schema], description };
  return { description, ...schema };
}

function expandTableKey(key: string): string {
  const dot = key.indexOf(".");
  return `${tablePrefix[key.slice(0, dot)]}${key.slice(dot)}`;
}

const expandedListTags = new Map(Object.entries(listTags).map(([k, v]) => [expandTableKey(k), v]));
const usedListTags = new Set<string>();

function listTagsFor(definition: string, field: string): ListTags | undefined {
  const key = `${definition}.${field}`;
  const tags = expandedListTags.get(key);
  if (tags) usedListTags.add(key);
  return tags;
}

function applyListTags(schema: Schema, tags: ListTags): void {
  if (tags.mapKeys) schema["x-kubernetes-list-map-keys"] = tags.mapKeys;
  if (tags.listType) schema["x-kubernetes-list-type"] = tags.listType;
  if (tags.mergeKey) schema["x-kubernetes-patch-merge-key"] = tags.mergeKey;
  if (tags.strategy) schema["x-kubernetes-patch-strategy"] = tags.strategy;
}

function groupVersionKinds(name: string, apiVersion: string | undefined, kind: string | undefined): unknown[] | undefined {
  const short = name.slice(name.lastIndexOf(".") + 1);
  if (name === `${metaPrefix}.DeleteOptions` || name === `${metaPrefix}.WatchEvent`) {
    return servedGroupVersions.map(([group, version]) => ({ group, kind: short, version }));
  }
  if (name.startsWith(`${metaPrefix}.`)) {
    return ["Status", "APIResourceList", "APIGroupList", "APIGroup", "APIVersions"].includes(short)
      ? [{ group: "", kind: short, version: "v1" }]
      : undefined;
  }
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  return [{ group, kind, version }];
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const generator = new Generator();
generator.run(servedKinds);

const unused = [...expandedListTags.keys()].filter((k) => !usedListTags.has(k) && !k.endsWith(".webhook"));
const reachableUnused = unused.filter((k) => generator.out.has(k.slice(0, k.lastIndexOf("."))));
if (reachableUnused.length > 0) {
  console.error(`list tags naming fields that do not exist:\n  ${reachableUnused.join("\n  ")}`);
  process.exitCode = 1;
}

const definitions = sortKeys(Object.fromEntries(generator.out));
writeFileSync(outFile, JSON.stringify(definitions, null, 1) + "\n");
console.log(`wrote ${Object.keys(definitions).length} definitions to ${outFile}`);
