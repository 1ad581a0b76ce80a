/**
 * The owner → dependents graph of the garbage collector, kept as two indexes
 * on every resource's informer cache rather than as a separate structure:
 * `uid` (an object by its uid) and `owner-uid` (the objects naming a uid in
 * their `ownerReferences`). A dependent and its owner may be of different
 * resources, so every lookup asks every cache. The caches are the informers'
 * own (read-only); the graph adds nothing but the indexes and never copies
 * an object.
 */
import type { KubeObject, ResourceInfo } from "../../api/index.js";
import type { Informer } from "../../informer/index.js";
import { formatObjectRef, groupOfApiVersion, type ObjectRef } from "./object-ref.js";

export const uidIndex = "garbage-collector/uid";
export const ownerUidIndex = "garbage-collector/owner-uid";

/** One resource the collector watches. */
export interface TrackedResource {
  info: ResourceInfo;
  informer: Informer<KubeObject>;
}

/** A cached object and the resource it belongs to. */
export interface GraphNode {
  resource: TrackedResource;
  object: Readonly<KubeObject>;
}

export class DependencyGraph {
  private readonly byResource = new Map<string, TrackedResource>();
  private readonly byKind = new Map<string, TrackedResource>();

  constructor(readonly resources: readonly TrackedResource[]) {
    for (const r of resources) {
      this.byResource.set(`${r.info.group}/${r.info.plural}`, r);
      // Owner references name a kind; the first resource serving it wins (preferred version first).
      if (!this.byKind.has(`${r.info.group}/${r.info.kind}`)) this.byKind.set(`${r.info.group}/${r.info.kind}`, r);
      r.informer.cache.addIndex(uidIndex, (obj) => (obj.metadata.uid ? [obj.metadata.uid] : []));
      r.informer.cache.addIndex(ownerUidIndex, (obj) => (obj.metadata.ownerReferences ?? []).map((o) => o.uid));
    }
  }

  /** The work-queue key of a cached object. */
  keyOf(resource: TrackedResource, obj: Readonly<KubeObject>): string {
    return formatObjectRef({
      group: resource.info.group,
      plural: resource.info.plural,
      namespace: resource.info.namespaced ? (obj.metadata.namespace ?? "") : "",
      name: obj.metadata.name ?? "",
    });
  }

  /** The resource an owner reference points at, when the collector watches it. */
  resourceOfKind(apiVersion: string, kind: string): TrackedResource | undefined {
    return this.byKind.get(`${groupOfApiVersion(apiVersion)}/${kind}`);
  }

  get(ref: ObjectRef): GraphNode | undefined {
    const resource = this.byResource.get(`${ref.group}/${ref.plural}`);
    if (!resource) return undefined;
    const object = resource.informer.cache.get(ref.namespace ? `${ref.namespace}/${ref.name}` : ref.name);
    return object ? { resource, object } : undefined;
  }

  /** Cached objects with this uid: none or one, unless a cache lags behind a delete and re-create. */
  byUid(uid: string): GraphNode[] {
    return this.lookup(uidIndex, uid);
  }

  /** Cached objects that name `uid` as an owner. */
  dependentsOf(uid: string): GraphNode[] {
    return this.lookup(ownerUidIndex, uid);
  }

  private lookup(index: string, value: string): GraphNode[] {
    const out: GraphNode[] = [];
    for (const resource of this.resources) {
      for (const object of resource.informer.cache.byIndex(index, value)) out.push({ resource, object });
    }
    return out;
  }
}
