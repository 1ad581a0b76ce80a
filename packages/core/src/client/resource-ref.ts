/**
 * The part of `ResourceInfo` a client needs to build URLs. A `ResourceInfo`
 * from discovery or from `api/` is a `ResourceRef` as it is.
 */
export interface ResourceRef {
  group: string;
  version: string;
  plural: string;
  namespaced: boolean;
  /** For messages only. */
  kind?: string;
}

/**
 * `/api/v1/namespaces/ns/pods/name/status` and friends. A namespaced
 * resource without a namespace addresses all namespaces (list, watch).
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  let path = ref.group ? `/apis/${ref.group}/${ref.version}` : `/api/${ref.version}`;
  if (ref.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${ref.plural}`;
  if (name !== undefined) {
    if (!name) throw new Error(`resource name may not be empty`);
    path += `/${encodeURIComponent(name)}`;
  }
  if (subresource) path += `/${subresource}`;
  return path;
}

/** `pods` or `deployments.apps`, as Kubernetes names a resource in messages. */
export function qualifiedResource(ref: Pick<ResourceRef, "group" | "plural">): string {
  return ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
}
