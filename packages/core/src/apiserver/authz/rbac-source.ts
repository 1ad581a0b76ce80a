/**
 * Where the RBAC authorizer reads roles and bindings from. `RbacCache`
 * serves it from the store; tests serve it from arrays. Everything returned
 * is shared and must not be changed.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-types/rbac/v1.js";

export interface RbacSource {
  clusterRoles(): readonly ClusterRole[];
  clusterRoleBindings(): readonly ClusterRoleBinding[];
  /** The Roles of one namespace. */
  roles(namespace: string): readonly Role[];
  /** The RoleBindings of one namespace. */
  roleBindings(namespace: string): readonly RoleBinding[];
  clusterRole(name: string): ClusterRole | undefined;
  role(namespace: string, name: string): Role | undefined;
}

/** An `RbacSource` over fixed lists; for tests and one-off evaluations. */
export function staticRbacSource(objects: {
  clusterRoles?: readonly ClusterRole[];
  clusterRoleBindings?: readonly ClusterRoleBinding[];
  roles?: readonly Role[];
  roleBindings?: readonly RoleBinding[];
}): RbacSource {
  const clusterRoles = objects.clusterRoles ?? [];
  const clusterRoleBindings = objects.clusterRoleBindings ?? [];
  const roles = objects.roles ?? [];
  const roleBindings = objects.roleBindings ?? [];
  return {
    clusterRoles: () => clusterRoles,
    clusterRoleBindings: () => clusterRoleBindings,
    roles: (namespace) => roles.filter((r) => r.metadata?.namespace === namespace),
    roleBindings: (namespace) => roleBindings.filter((b) => b.metadata?.namespace === namespace),
    clusterRole: (name) => clusterRoles.find((r) => r.metadata?.name === name),
    role: (namespace, name) => roles.find((r) => r.metadata?.namespace === namespace && r.metadata?.name === name),
  };
}
