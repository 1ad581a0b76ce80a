/**
 * Turns a request path into what it addresses, like kube-apiserver's
 * `RequestInfoFactory`:
 *
 *   /api/v1/namespaces/{ns}/pods/{name}/status      core group
 *   /apis/{group}/{version}/namespaces/{ns}/{resource}/{name}/{subresource}
 *   /apis/{group}/{version}/{resource}              cluster-wide list / cluster-scoped
 *   /api/v1/namespaces/{name}                       the Namespace itself
 *
 * Anything else is a non-resource path (discovery, /version, /openapi, …).
 */
export type Verb =
  | "get"
  | "list"
  | "watch"
  | "create"
  | "update"
  | "patch"
  | "delete"
  | "deletecollection";

export interface ResourceRequest {
  isResource: true;
  verb: Verb;
  group: string;
  version: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The path segments after the subresource (e.g. proxy paths); usually empty. */
  rest: string[];
}

export interface NonResourceRequest {
  isResource: false;
  path: string;
  method: string;
}

export type RequestInfo = ResourceRequest | NonResourceRequest;

/** Subresources of a Namespace itself: namespaces/{name}/status is not a resource "status" in it. */
const namespaceSubresources = new Set(["status", "finalize"]);

export function parseRequestInfo(method: string, pathname: string, query: URLSearchParams): RequestInfo {
  const parts = pathname.split("/").filter((p) => p !== "").map(decodeURIComponent);
  let group: string;
  let version: string;
  let i: number;
  if (parts[0] === "api" && parts.length >= 3) {
    group = "";
    version = parts[1]!;
    i = 2;
  } else if (parts[0] === "apis" && parts.length >= 4) {
    group = parts[1]!;
    version = parts[2]!;
    i = 3;
  } else {
    return { isResource: false, path: pathname, method };
  }

  let watchPrefix = false;
  if (parts[i] === "watch") {
    watchPrefix = true;
    i++;
  }
  let namespace = "";
  // "namespaces/{ns}/{resource}..." addresses a namespaced resource; a bare
  // "namespaces" or "namespaces/{name}[/status|finalize]" is the Namespace kind.
  if (parts[i] === "namespaces" && parts.length > i + 2 && !namespaceSubresources.has(parts[i + 2]!)) {
    namespace = parts[i + 1]!;
    i += 2;
  }
  const resource = parts[i] ?? "";
  const name = parts[i + 1] ?? "";
  const subresource = parts[i + 2] ?? "";
  const rest = parts.slice(i + 3);
  if (!resource) return { isResource: false, path: pathname, method };

  let verb: Verb;
  switch (method) {
    case "GET":
    case "HEAD":
      verb = name ? "get" : "list";
      if (watchPrefix || isTrue(query.get("watch"))) verb = "watch";
      break;
    case "POST":
      verb = "create";
      break;
    case "PUT":
      verb = "update";
      break;
    case "PATCH":
      verb = "patch";
      break;
    case "DELETE":
      verb = name ? "delete" : "deletecollection";
      break;
    default:
      return { isResource: false, path: pathname, method };
  }
  return { isResource: true, verb, group, version, resource, subresource, namespace, name, rest };
}

function isTrue(v: string | null): boolean {
  return v === "true" || v === "1";
}
