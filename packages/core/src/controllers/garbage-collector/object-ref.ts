/**
 * Work-queue keys of the garbage collector: one key names one object of any
 * resource, `<group>/<plural>/<namespace>/<name>` (group and namespace are
 * empty for the core group and for cluster-scoped objects, so a core
 * ConfigMap is `/configmaps/default/web`). No segment can contain a slash:
 * groups are DNS subdomains, plurals, namespaces and names DNS labels or
 * subdomains.
 */
export interface ObjectRef {
  group: string;
  plural: string;
  /** Empty for cluster-scoped objects. */
  namespace: string;
  name: string;
}

export function formatObjectRef(ref: ObjectRef): string {
  return `${ref.group}/${ref.plural}/${ref.namespace}/${ref.name}`;
}

/** The inverse of `formatObjectRef`; undefined for a malformed key. */
export function parseObjectRef(key: string): ObjectRef | undefined {
  const parts = key.split("/");
  if (parts.length !== 4 || !parts[1] || !parts[3]) return undefined;
  const [group, plural, namespace, name] = parts as [string, string, string, string];
  return { group, plural, namespace, name };
}

/** `apps/v1` → `apps`, `v1` → `` (the core group). */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
