/** Defaults of the smaller groups: storage, discovery, rbac, apiextensions (Kubernetes 1.30). */
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import type { ClusterRoleBinding, RoleBinding } from "kubernetes-types/rbac/v1.js";
import type { CustomResourceDefinition } from "kubernetes-types/apiextensions/v1.js";

const rbacGroup = "rbac.authorization.k8s.io";

export function defaultStorageClass(sc: StorageClass): void {
  sc.reclaimPolicy ??= "Delete";
  sc.volumeBindingMode ??= "Immediate";
}

export function defaultEndpointSlice(slice: EndpointSlice): void {
  for (const port of slice.ports ?? []) {
    port.name ??= "";
    port.protocol ??= "TCP";
  }
}

/** roleRef and User/Group subjects default to the RBAC group; ServiceAccount subjects to the core group. */
export function defaultRoleBinding(binding: RoleBinding | ClusterRoleBinding): void {
  if (binding.roleRef) binding.roleRef.apiGroup ||= rbacGroup;
  for (const subject of binding.subjects ?? []) {
    if (subject.apiGroup !== undefined) continue;
    if (subject.kind === "ServiceAccount") subject.apiGroup = "";
    else if (subject.kind === "User" || subject.kind === "Group") subject.apiGroup = rbacGroup;
  }
}

export function defaultCustomResourceDefinition(crd: CustomResourceDefinition): void {
  const spec = crd.spec;
  if (!spec) return;
  const names = spec.names;
  if (names?.kind) {
    names.singular ||= names.kind.toLowerCase();
    names.listKind ||= `${names.kind}List`;
  }
  spec.conversion ??= { strategy: "None" };
}
