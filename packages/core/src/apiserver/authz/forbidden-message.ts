/**
 * The words of a refusal, byte for byte as kube-apiserver writes them
 * (`responsewriters.forbiddenMessage` wrapped by `apierrors.NewForbidden`),
 * because users and tools read them:
 *
 *   pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"
 *   pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "default"
 *   nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope
 *   deployments.apps is forbidden: User "alice" cannot list resource "deployments" in API group "apps" …
 *   forbidden: User "alice" cannot get path "/metrics"
 *
 * An authorizer's reason, when it has one, follows after ": ".
 */
import { ApiError } from "../../api/errors.js";
import type { AuthorizationAttributes } from "./attributes.js";

export function forbiddenMessage(attrs: AuthorizationAttributes, reason = ""): string {
  const user = attrs.user.name;
  let what: string;
  if (!attrs.resourceRequest) {
    what = `User ${quote(user)} cannot ${attrs.verb} path ${quote(attrs.path)}`;
  } else {
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    const scope = attrs.namespace ? `in the namespace ${quote(attrs.namespace)}` : "at the cluster scope";
    what = `User ${quote(user)} cannot ${attrs.verb} resource ${quote(resource)} in API group ${quote(attrs.apiGroup)} ${scope}`;
  }
  if (reason) what = `${what}: ${reason}`;
  if (!attrs.resourceRequest || attrs.resource === "") return `forbidden: ${what}`;
  const qualified = attrs.apiGroup ? `${attrs.resource}.${attrs.apiGroup}` : attrs.resource;
  return attrs.name ? `${qualified} ${quote(attrs.name)} is forbidden: ${what}` : `${qualified} is forbidden: ${what}`;
}

/**
 * The 403 to send for a refused request: `message` is the decision's
 * reason (already the full upstream message), details name the resource
 * like upstream's `NewForbidden` (kind is the plural resource).
 */
export function forbiddenError(attrs: AuthorizationAttributes, message: string): ApiError {
  const details: { group?: string; kind?: string; name?: string } = {};
  if (attrs.resourceRequest) {
    if (attrs.apiGroup) details.group = attrs.apiGroup;
    if (attrs.resource) details.kind = attrs.resource;
    if (attrs.name) details.name = attrs.name;
  }
  return new ApiError("Forbidden", message, details);
}

/** Go's %q for the strings that appear here (names, paths, groups). */
function quote(s: string): string {
  return JSON.stringify(s);
}
