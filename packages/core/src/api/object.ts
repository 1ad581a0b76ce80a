/**
 * The generic shape of every API object. Kind-specific types come from
 * `kubernetes-types` (re-exported in `types.ts`); generic code — the API
 * server's handler, the client, informers — works on `KubeObject`.
 */
import type {
  ObjectMeta as UpstreamObjectMeta,
  ListMeta,
  OwnerReference,
} from "kubernetes-types/meta/v1.js";

export type { ListMeta, OwnerReference };

/**
 * ObjectMeta as the server writes it. Upstream's type marks server-owned
 * fields `readonly` for clients; the API server is the one that sets them.
 */
export type ObjectMeta = { -readonly [K in keyof UpstreamObjectMeta]: UpstreamObjectMeta[K] };

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion: string;
  kind: string;
  metadata: ListMeta;
  items: T[];
}

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. */
export function objectKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${obj.metadata?.name ?? ""}` : (obj.metadata?.name ?? "");
}
