/**
 * Whether one PolicyRule or one Subject applies to a request, exactly as
 * upstream's `rbac/v1` evaluation helpers decide it:
 *
 * - verbs, apiGroups: `*` or an exact match;
 * - resources: `*` (which covers subresources too), the exact
 *   `resource/subresource`, or a star followed by `/subresource` for that
 *   subresource of any resource;
 * - resourceNames: an empty list allows every name; otherwise the request
 *   must carry one of the names, so list, watch, create and
 *   deletecollection (which have no name) are never allowed by such a rule;
 * - nonResourceURLs: `*`, an exact path, or a prefix ending in `*`.
 */
import type { PolicyRule, Subject } from "kubernetes-types/rbac/v1.js";
import type { UserInfo } from "../authn/index.js";
import type { AuthorizationAttributes } from "./attributes.js";

export const all = "*";

export function ruleAllows(attrs: AuthorizationAttributes, rule: Readonly<PolicyRule>): boolean {
  if (!verbMatches(rule, attrs.verb)) return false;
  if (!attrs.resourceRequest) return nonResourceUrlMatches(rule, attrs.path);
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  return (
    apiGroupMatches(rule, attrs.apiGroup) &&
    resourceMatches(rule, combined, attrs.subresource) &&
    resourceNameMatches(rule, attrs.name)
  );
}

export function verbMatches(rule: Readonly<PolicyRule>, verb: string): boolean {
  return rule.verbs.some((v) => v === all || v === verb);
}

export function apiGroupMatches(rule: Readonly<PolicyRule>, group: string): boolean {
  return (rule.apiGroups ?? []).some((g) => g === all || g === group);
}

export function resourceMatches(rule: Readonly<PolicyRule>, combinedResource: string, subresource: string): boolean {
  return (rule.resources ?? []).some(
    (r) => r === all || r === combinedResource || (subresource !== "" && r === `*/${subresource}`),
  );
}

export function resourceNameMatches(rule: Readonly<PolicyRule>, name: string): boolean {
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(name);
}

export function nonResourceUrlMatches(rule: Readonly<PolicyRule>, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === all || u === path || (u.endsWith("*") && path.startsWith(u.replace(/\*+$/, ""))),
  );
}

/** The user name a service account authenticates as. */
export function serviceAccountUsername(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

/**
 * Whether a binding's subject names this user. A ServiceAccount subject
 * without a namespace means the binding's own namespace (RoleBindings
 * only; `bindingNamespace` is "" for ClusterRoleBindings, where such a
 * subject matches nobody).
 */
export function subjectMatches(user: UserInfo, subject: Readonly<Subject>, bindingNamespace: string): boolean {
  switch (subject.kind) {
    case "User":
      return user.name === subject.name;
    case "Group":
      return user.groups.includes(subject.name);
    case "ServiceAccount": {
      const namespace = subject.namespace || bindingNamespace;
      return namespace !== "" && user.name === serviceAccountUsername(namespace, subject.name);
    }
    default:
      return false;
  }
}
