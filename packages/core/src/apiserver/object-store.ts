/**
 * Objects over the key/value `Store`, like Kubernetes' generic registry
 * store: maps (resource, namespace, name) to keys, objects to JSON values,
 * and store revisions to `metadata.resourceVersion`. Knows nothing about
 * validation or HTTP.
 *
 * Keys: /registry/<group or "core">/<plural>/<namespace>/<name> for namespaced
 * kinds, /registry/<group>/<plural>/<name> for cluster-scoped ones. Keys do not
 * contain the version: all versions of a resource share one storage location.
 */
import type { KubeObject } from "../api/object.js";
import type { ResourceInfo } from "../api/resource-info.js";
import { apiVersionOf } from "../api/schema.js";
import { ApiError, errors } from "../api/errors.js";
import { StorageError, type KeyValue, type Store, type StoreEvent } from "../storage/index.js";

export interface ObjectEvent {
  type: "ADDED" | "MODIFIED" | "DELETED";
  object: KubeObject;
  /** For MODIFIED and DELETED: the object before the change. */
  previous?: KubeObject;
  revision: number;
}

export class ObjectStore {
  constructor(readonly store: Store) {}

  keyFor(info: ResourceInfo, namespace: string, name: string): string {
    return info.namespaced ? `${this.prefixFor(info, namespace)}${name}` : `${this.prefixFor(info, "")}${name}`;
  }

  /** The prefix of all objects of a resource, optionally in one namespace. */
  prefixFor(info: ResourceInfo, namespace: string): string {
    const base = `/registry/${info.group || "core"}/${info.plural}/`;
    return info.namespaced && namespace ? `${base}${namespace}/` : base;
  }

  decode(info: ResourceInfo, kv: KeyValue): KubeObject {
    const obj = JSON.parse(kv.value) as KubeObject;
    obj.apiVersion = apiVersionOf(info);
    obj.kind = info.kind;
    obj.metadata.resourceVersion = String(kv.modRevision);
    return obj;
  }

  encode(obj: KubeObject): string {
    const copy = { ...obj, metadata: { ...obj.metadata } };
    delete copy.metadata.resourceVersion;
    return JSON.stringify(copy);
  }

  async get(info: ResourceInfo, namespace: string, name: string): Promise<KubeObject> {
    const kv = await this.store.get(this.keyFor(info, namespace, name));
    if (!kv) throw errors.notFound({ group: info.group, resource: info.plural }, name);
    return this.decode(info, kv);
  }

  async tryGet(info: ResourceInfo, namespace: string, name: string): Promise<KubeObject | undefined> {
    const kv = await this.store.get(this.keyFor(info, namespace, name));
    return kv ? this.decode(info, kv) : undefined;
  }

  async create(info: ResourceInfo, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata.name!;
    try {
      const kv = await this.store.create(this.keyFor(info, obj.metadata.namespace ?? "", name), this.encode(obj));
      return this.decode(info, kv);
    } catch (err) {
      throw storageToApiError(err, info, name);
    }
  }

  /** Writes `obj` if the stored object is still at `expectedRevision`. */
  async update(info: ResourceInfo, obj: KubeObject, expectedRevision: number): Promise<KubeObject> {
    const name = obj.metadata.name!;
    try {
      const kv = await this.store.update(
        this.keyFor(info, obj.metadata.namespace ?? "", name),
        this.encode(obj),
        expectedRevision,
      );
      return this.decode(info, kv);
    } catch (err) {
      throw storageToApiError(err, info, name);
    }
  }

  /** Removes the object; returns it as it was, with the deletion's resourceVersion. */
  async delete(info: ResourceInfo, namespace: string, name: string, expectedRevision?: number): Promise<KubeObject> {
    try {
      const kv = await this.store.delete(this.keyFor(info, namespace, name), expectedRevision);
      return this.decode(info, kv);
    } catch (err) {
      throw storageToApiError(err, info, name);
    }
  }

  async list(
    info: ResourceInfo,
    namespace: string,
    options: { revision?: number; limit?: number; startAfter?: string },
  ): Promise<{ items: KubeObject[]; revision: number; more: boolean; lastKey?: string; remaining?: number }> {
    if (options.revision !== undefined) {
      const current = await this.store.currentRevision();
      if (options.revision > current) {
        // Upstream answers a resourceVersion from the future with 504 and retries are expected.
        throw new ApiError("Timeout", `Too large resource version: ${options.revision}, current: ${current}`, {
          causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
          retryAfterSeconds: 1,
        });
      }
    }
    try {
      const result = await this.store.list(this.prefixFor(info, namespace), options);
      const last = result.items[result.items.length - 1];
      return {
        items: result.items.map((kv) => this.decode(info, kv)),
        revision: result.revision,
        more: result.more,
        lastKey: last?.key,
        remaining: result.remaining,
      };
    } catch (err) {
      throw storageToApiError(err, info, "");
    }
  }

  /** Object-level events after `afterRevision`; throws `Expired` (410) if compacted. */
  async *watch(
    info: ResourceInfo,
    namespace: string,
    afterRevision: number,
    signal: AbortSignal,
  ): AsyncGenerator<ObjectEvent> {
    try {
      for await (const ev of this.store.watch(this.prefixFor(info, namespace), afterRevision, signal)) {
        yield this.toObjectEvent(info, ev);
      }
    } catch (err) {
      if (signal.aborted) return;
      throw storageToApiError(err, info, "");
    }
  }

  private toObjectEvent(info: ResourceInfo, ev: StoreEvent): ObjectEvent {
    switch (ev.type) {
      case "create":
        return { type: "ADDED", object: this.decode(info, ev.kv), revision: ev.revision };
      case "update":
        return {
          type: "MODIFIED",
          object: this.decode(info, ev.kv),
          previous: ev.prevKv ? this.decode(info, ev.prevKv) : undefined,
          revision: ev.revision,
        };
      case "delete": {
        const object = this.decode(info, { ...ev.kv, modRevision: ev.revision });
        return { type: "DELETED", object, previous: object, revision: ev.revision };
      }
    }
  }
}

/** The one mapping from storage errors to API errors. */
export function storageToApiError(err: unknown, info: ResourceInfo, name: string): unknown {
  if (!(err instanceof StorageError)) return err;
  const q = { group: info.group, resource: info.plural };
  switch (err.code) {
    case "KeyExists":
      return errors.alreadyExists(q, name);
    case "NotFound":
      return errors.notFound(q, name);
    case "Conflict":
      return errors.conflict(q, name, "the object has been modified; please apply your changes to the latest version and try again");
    case "Compacted":
      return new ApiError(
        "Expired",
        `too old resource version: ${err.message.match(/\d+/)?.[0] ?? "?"} (${err.compactedRevision ?? "?"})`,
      );
  }
}
