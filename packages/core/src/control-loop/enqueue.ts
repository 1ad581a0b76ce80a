/**
 * The usual event → key mappings, as `EventHandlers` for `addEventHandler`.
 */
import { objectKey, type KubeObject, type OwnerReference } from "../api/index.js";
import type { EventHandlers } from "../informer/index.js";

/** Enqueues the object's own key on every add, update (resyncs included) and delete. */
export function enqueueObject(enqueue: (key: string) => void): EventHandlers<KubeObject> {
  return {
    onAdd: (obj) => enqueue(objectKey(obj)),
    onUpdate: (_old, obj) => enqueue(objectKey(obj)),
    onDelete: (obj) => enqueue(objectKey(obj)),
  };
}

/** The owner reference with `controller: true`, if any. */
export function controllerOf(obj: Readonly<KubeObject>): OwnerReference | undefined {
  return obj.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/**
 * Enqueues the key of the object's controlling owner when that owner is of
 * `kind` (and `apiGroup`, `""` for the core group): a ReplicaSet controller
 * watching pods wants `ns/<replicaset>`, not `ns/<pod>`. On an update that
 * changes the owner, both the old and the new owner are enqueued.
 */
export function enqueueOwner(
  enqueue: (key: string) => void,
  kind: string,
  apiGroup: string,
): EventHandlers<KubeObject> {
  const ownerKey = (obj: Readonly<KubeObject>): string | undefined => {
    const ref = controllerOf(obj);
    if (!ref || ref.kind !== kind || groupOf(ref.apiVersion) !== apiGroup) return undefined;
    const ns = obj.metadata.namespace;
    return ns ? `${ns}/${ref.name}` : ref.name;
  };
  const enqueueOwnerOf = (obj: Readonly<KubeObject>) => {
    const key = ownerKey(obj);
    if (key !== undefined) enqueue(key);
  };
  return {
    onAdd: enqueueOwnerOf,
    onUpdate: (old, obj) => {
      if (old !== obj && ownerKey(old) !== ownerKey(obj)) enqueueOwnerOf(old);
      enqueueOwnerOf(obj);
    },
    onDelete: enqueueOwnerOf,
  };
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash < 0 ? "" : apiVersion.slice(0, slash);
}
