/**
 * The generic shape of every API object. Kind-specific types come from
 * `kubernetes-types` (re-exported in `types.ts`); generic code — the API
 * server's handler, the client, informers — works on `KubeObject`.
 */
import type { ObjectMeta, ListMeta, OwnerReference } from "kubernetes-types/meta/v1.js";

export type { ObjectMeta, ListMeta, OwnerReference };

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
