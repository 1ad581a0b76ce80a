/**
 * What an authorizer decides on, like kube-apiserver's
 * `authorizer.Attributes`: who asks, the verb, and either the resource
 * addressed (group, resource, subresource, namespace, name) or the
 * non-resource path. Authorizers never see the HTTP request itself.
 */
import type { UserInfo } from "../authn/index.js";
import type { RequestInfo } from "../request-info.js";

export interface AuthorizationAttributes {
  user: UserInfo;
  /**
   * For resource requests one of get, list, watch, create, update, patch,
   * delete, deletecollection; for non-resource requests the HTTP method in
   * lower case (get, post, put, patch, delete, head, options).
   */
  verb: string;
  resourceRequest: boolean;
  /** "" for the core group. Empty for non-resource requests. */
  apiGroup: string;
  /** Plural, lower case (`pods`). Empty for non-resource requests. */
  resource: string;
  /** `status`, `log`, `exec`, `scale`, …; "" when none. */
  subresource: string;
  /** "" for cluster-scoped resources and cluster-wide lists. */
  namespace: string;
  /** "" for list, watch, create and deletecollection (unless narrowed by name). */
  name: string;
  /** The request path; what non-resource rules match. */
  path: string;
}

/** Namespace subresources: `/api/v1/namespaces/{name}/{status|finalize}`. */
const namespaceSubresources = new Set(["status", "finalize"]);

/**
 * Builds the attributes of a request from the server's `RequestInfo`.
 *
 * Follows upstream's `RequestInfoFactory` where it differs from routing:
 * - a Namespace addressed by name (`/api/v1/namespaces/foo[/status]`) has
 *   namespace "foo", so a RoleBinding in "foo" can grant reading it;
 * - a list or watch narrowed by `fieldSelector=metadata.name=x` carries
 *   name "x", so a rule with `resourceNames: [x]` allows it (this is how
 *   `kubectl get pod x -w` and informers on one object are authorized).
 *
 * `path` and `query` are optional for callers that have them; the path is
 * rebuilt from the request info otherwise.
 */
export function attributesFrom(
  user: UserInfo,
  info: RequestInfo,
  method: string,
  extra: { path?: string; query?: URLSearchParams } = {},
): AuthorizationAttributes {
  if (!info.isResource) {
    return {
      user,
      verb: method.toLowerCase(),
      resourceRequest: false,
      apiGroup: "",
      resource: "",
      subresource: "",
      namespace: "",
      name: "",
      path: extra.path ?? info.path,
    };
  }
  let { namespace, resource, name, subresource } = info;
  if (info.group === "" && namespace !== "" && name === "" && subresource === "" && namespaceSubresources.has(resource)) {
    // `/api/v1/namespaces/{ns}/status` read as resource "status" in namespace ns.
    subresource = resource;
    resource = "namespaces";
    name = namespace;
  }
  if (info.group === "" && resource === "namespaces" && name !== "") namespace = name;
  if ((info.verb === "list" || info.verb === "watch") && name === "" && extra.query) {
    name = nameFromFieldSelector(extra.query.get("fieldSelector")) ?? "";
  }
  return {
    user,
    verb: info.verb,
    resourceRequest: true,
    apiGroup: info.group,
    resource,
    subresource,
    namespace,
    name,
    path: extra.path ?? resourcePath(info.group, info.version, resource, namespace, name, subresource),
  };
}

/** `metadata.name=x` or `metadata.name==x` among the field selector's terms. */
function nameFromFieldSelector(selector: string | null): string | undefined {
  if (!selector) return undefined;
  for (const term of selector.split(",")) {
    const match = /^\s*metadata\.name\s*==?\s*(.*?)\s*$/.exec(term);
    if (match) return match[1];
  }
  return undefined;
}

function resourcePath(group: string, version: string, resource: string, namespace: string, name: string, subresource: string): string {
  const parts = [group === "" ? "/api" : `/apis/${group}`, version];
  if (namespace !== "" && !(resource === "namespaces" && group === "")) parts.push("namespaces", namespace);
  parts.push(resource);
  if (name) parts.push(name);
  if (subresource) parts.push(subresource);
  return parts.join("/");
}
