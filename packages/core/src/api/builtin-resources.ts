/**
 * The built-in resources Skiff serves, as kube-apiserver's discovery
 * presents them (kubectl's short names, categories and verbs come from here).
 * Subresources other than `status` and `scale` (pods/binding, pods/log,
 * pods/exec, pods/eviction, namespaces/finalize) are routed by the handler
 * by name and are not modelled in `ResourceInfo`.
 */
import { standardVerbs, type ResourceInfo, type ScaleSubresource } from "./resource-info.js";

interface Spec {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  status?: boolean;
  scale?: ScaleSubresource;
}

/**
 * Built-in apps kinds keep no `status.selector`; the scale handler is expected
 * to build the scale's selector from `spec.selector` when the path resolves to
 * nothing (CRDs, by contrast, must publish a serialised selector there).
 */
const replicasScale: ScaleSubresource = {
  specReplicasPath: ".spec.replicas",
  statusReplicasPath: ".status.replicas",
  labelSelectorPath: ".status.selector",
};

function resource(s: Spec): ResourceInfo {
  const subresources: ResourceInfo["subresources"] = {};
  if (s.status) subresources.status = true;
  if (s.scale) subresources.scale = s.scale;
  return {
    group: s.group,
    version: s.version,
    kind: s.kind,
    listKind: `${s.kind}List`,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    namespaced: s.namespaced,
    shortNames: s.shortNames ?? [],
    categories: s.categories ?? [],
    verbs: s.verbs ?? [...standardVerbs],
    subresources,
  };
}

const all = ["all"];

export const builtinResources: readonly ResourceInfo[] = [
  // core/v1
  resource({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"], status: true, verbs: ["create", "delete", "get", "list", "patch", "update", "watch"] }),
  resource({ group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"], status: true }),
  resource({ group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true, shortNames: ["po"], categories: all, status: true }),
  resource({ group: "", version: "v1", kind: "Service", plural: "services", namespaced: true, shortNames: ["svc"], categories: all, status: true }),
  resource({ group: "", version: "v1", kind: "Endpoints", plural: "endpoints", namespaced: true, shortNames: ["ep"] }),
  resource({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, shortNames: ["cm"] }),
  resource({ group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true }),
  resource({ group: "", version: "v1", kind: "Event", plural: "events", namespaced: true, shortNames: ["ev"] }),
  resource({ group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true, shortNames: ["sa"] }),
  resource({ group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false, shortNames: ["pv"], status: true }),
  resource({ group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true, shortNames: ["pvc"], status: true }),
  // apps/v1
  resource({ group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true, shortNames: ["rs"], categories: all, status: true, scale: replicasScale }),
  resource({ group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true, shortNames: ["deploy"], categories: all, status: true, scale: replicasScale }),
  resource({ group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", namespaced: true, shortNames: ["ds"], categories: all, status: true }),
  // batch/v1
  resource({ group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true, categories: all, status: true }),
  // autoscaling/v2
  resource({ group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", namespaced: true, shortNames: ["hpa"], categories: all, status: true }),
  // networking.k8s.io/v1
  resource({ group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true, shortNames: ["ing"], status: true }),
  resource({ group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false }),
  // discovery.k8s.io/v1
  resource({ group: "discovery.k8s.io", version: "v1", kind: "EndpointSlice", plural: "endpointslices", namespaced: true }),
  // coordination.k8s.io/v1
  resource({ group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true }),
  // storage.k8s.io/v1
  resource({ group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false, shortNames: ["sc"] }),
  // rbac.authorization.k8s.io/v1
  resource({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true }),
  resource({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false }),
  resource({ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true }),
  resource({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false }),
  // apiextensions.k8s.io/v1
  resource({ group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], status: true }),
];

/** The preferred (and only) served version of each built-in group; "" is the core group. */
export const preferredVersions: Readonly<Record<string, string>> = Object.fromEntries(
  builtinResources.map((r) => [r.group, r.version]),
);

/** The built-in resource for a group and plural, or undefined. */
export function findBuiltin(group: string, plural: string): ResourceInfo | undefined {
  return builtinResources.find((r) => r.group === group && r.plural === plural);
}
