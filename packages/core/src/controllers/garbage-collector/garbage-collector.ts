/**
 * The garbage collector: finishes what the API server starts when an object
 * with dependents is deleted, the way Kubernetes' garbage collector does.
 *
 * - A dependent whose every owner is gone (not cached, and a GET by name
 *   answers 404 or an object with another uid) is deleted in background.
 *   A dependent that lost only some of its owners loses those references.
 * - An owner being deleted with the `orphan` finalizer: every dependent
 *   loses its reference to it, then the finalizer is removed (and the
 *   server deletes the owner).
 * - An owner being deleted with the `foregroundDeletion` finalizer: every
 *   dependent is deleted in foreground (or, when it has another owner that
 *   is still there, loses its reference), and the finalizer is removed once
 *   no dependent is left.
 *
 * Decisions are made on the informer caches, but every write first re-reads
 * the object it changes and pins its uid and resourceVersion, because the
 * caches of different resources lag by different amounts: a dependent just
 * orphaned may still show its old owner reference in the cache.
 *
 * Keys are `<group>/<plural>/<namespace>/<name>` (see `object-ref.ts`).
 */
import type { KubeObject, ObjectMeta, OwnerReference, ResourceInfo } from "../../api/index.js";
import { isConflict, isNotFound } from "../../api/index.js";
import type { RestClient } from "../../client/index.js";
import type { Controller } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger } from "../../util/index.js";
import { DependencyGraph, type GraphNode, type TrackedResource } from "./dependency-graph.js";
import { parseObjectRef } from "./object-ref.js";

const log = logger("garbage-collector");

export const orphanFinalizer = "orphan";
export const foregroundFinalizer = "foregroundDeletion";

/** How often a write that lost a race with another writer is retried at once, before the queue's backoff takes over. */
const conflictRetries = 3;

export interface GarbageCollectorOptions {
  /**
   * Builds the informer of one resource.
   * @default a metadata-only `Informer` over the client (the collector reads nothing but metadata)
   */
  newInformer?: (resource: ResourceInfo) => Informer<KubeObject>;
}

type OwnerState = "present" | "absent" | "unknown";

/** The resources the collector can manage: listable, watchable and deletable. */
export function collectableResources(resources: readonly ResourceInfo[]): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of resources) {
    const id = `${r.group}/${r.plural}`;
    if (seen.has(id) || !["list", "watch", "delete"].every((v) => r.verbs.includes(v))) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

export class GarbageCollector implements Controller {
  readonly name = "garbage-collector";
  readonly informers: Informer<KubeObject>[];
  private readonly graph: DependencyGraph;

  /** `resources`: every deletable resource (preferred versions first); others are ignored. */
  constructor(
    private readonly client: RestClient,
    resources: readonly ResourceInfo[],
    options: GarbageCollectorOptions = {},
  ) {
    const newInformer = options.newInformer ?? ((info: ResourceInfo) => new Informer<KubeObject>(client, info, { metadataOnly: true }));
    const tracked: TrackedResource[] = collectableResources(resources).map((info) => ({ info, informer: newInformer(info) }));
    this.graph = new DependencyGraph(tracked);
    this.informers = tracked.map((t) => t.informer);
  }

  /**
   * Every event of an object with owners, or being deleted with one of our
   * finalizers, enqueues it; every event also enqueues the object's cached
   * owners (a foreground owner waits for its dependents to go), and a delete
   * enqueues the object's dependents (they may now be dangling).
   */
  register(enqueue: (key: string) => void): void {
    for (const resource of this.graph.resources) {
      const touched = (obj: Readonly<KubeObject>) => {
        if (obj.metadata.ownerReferences?.length || hasCollectorFinalizer(obj)) enqueue(this.graph.keyOf(resource, obj));
        for (const ref of obj.metadata.ownerReferences ?? []) {
          for (const owner of this.graph.byUid(ref.uid)) enqueue(this.graph.keyOf(owner.resource, owner.object));
        }
      };
      resource.informer.addEventHandler({
        onAdd: touched,
        onUpdate: (oldObj: Readonly<KubeObject>, newObj: Readonly<KubeObject>) => {
          touched(oldObj);
          touched(newObj);
        },
        onDelete: (obj: Readonly<KubeObject>) => {
          touched(obj);
          if (!obj.metadata.uid) return;
          for (const dep of this.graph.dependentsOf(obj.metadata.uid)) enqueue(this.graph.keyOf(dep.resource, dep.object));
        },
      });
    }
  }

  async sync(key: string): Promise<void> {
    const ref = parseObjectRef(key);
    if (!ref) {
      log.warn({ key }, "dropping a malformed key");
      return;
    }
    const node = this.graph.get(ref);
    if (!node) return;
    const { object } = node;
    if (object.metadata.deletionTimestamp) {
      // An object on its way out is never collected again; only its dependents are handled.
      const finalizers = object.metadata.finalizers ?? [];
      if (finalizers.includes(orphanFinalizer)) await this.orphanDependents(node);
      else if (finalizers.includes(foregroundFinalizer)) await this.deleteDependentsInForeground(node);
      return;
    }
    if (object.metadata.ownerReferences?.length) await this.collectIfDangling(node);
  }

  /** Strips the owner from every dependent, then lets the owner go. */
  private async orphanDependents(owner: GraphNode): Promise<void> {
    const uid = owner.object.metadata.uid!;
    for (const dep of this.graph.dependentsOf(uid)) {
      await this.removeOwnerReferences(dep, new Set([uid]));
    }
    await this.removeFinalizer(owner, orphanFinalizer);
  }

  /** Deletes the dependents; lets the owner go once none is left. Dependents' events bring the owner back here. */
  private async deleteDependentsInForeground(owner: GraphNode): Promise<void> {
    const uid = owner.object.metadata.uid!;
    const dependents = this.graph.dependentsOf(uid);
    if (dependents.length === 0) {
      await this.removeFinalizer(owner, foregroundFinalizer);
      return;
    }
    for (const dep of dependents) {
      if (dep.object.metadata.deletionTimestamp) continue;
      const others = (dep.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
      const states = await Promise.all(others.map((r) => this.ownerState(dep, r)));
      if (states.some((s) => s !== "absent")) {
        // Another owner still holds it: it survives, without this owner.
        await this.removeOwnerReferences(dep, new Set([uid]));
        continue;
      }
      await this.deleteObject(dep, "Foreground", dep.object.metadata.resourceVersion);
    }
  }

  /** Deletes a dependent whose owners are all gone, or drops the references to the ones that are. */
  private async collectIfDangling(node: GraphNode): Promise<void> {
    // The cache says whether any owner is worth a second look; the decision uses the live object.
    const cachedRefs = node.object.metadata.ownerReferences ?? [];
    if (cachedRefs.every((r) => this.graph.byUid(r.uid).length > 0)) return;
    const latest = await this.fetch(node);
    if (!latest || latest.metadata.deletionTimestamp) return;
    const refs = latest.metadata.ownerReferences ?? [];
    const states = await Promise.all(refs.map((r) => this.ownerState(node, r)));
    const absent = refs.filter((_, i) => states[i] === "absent");
    if (absent.length === 0) return;
    const fresh: GraphNode = { resource: node.resource, object: latest };
    if (absent.length === refs.length) {
      log.info({ key: this.graph.keyOf(node.resource, latest), owners: absent.map(describeOwner) }, "deleting a dependent whose owners are gone");
      await this.deleteObject(fresh, "Background", latest.metadata.resourceVersion);
      return;
    }
    await this.removeOwnerReferences(fresh, new Set(absent.map((r) => r.uid)));
  }

  /**
   * Whether the owner a reference names still exists. "unknown" when the
   * collector cannot tell (a kind it does not watch, a namespaced owner of a
   * cluster-scoped object): such an owner is treated as present, so nothing
   * is ever deleted on a guess.
   */
  private async ownerState(dependent: GraphNode, ref: OwnerReference): Promise<OwnerState> {
    const resource = this.graph.resourceOfKind(ref.apiVersion, ref.kind);
    if (!resource) return "unknown";
    if (this.graph.byUid(ref.uid).length > 0) return "present";
    const namespace = resource.info.namespaced ? dependent.object.metadata.namespace : undefined;
    if (resource.info.namespaced && !namespace) return "unknown";
    try {
      const live = await this.client.get<KubeObject>(resource.info, ref.name, namespace ? { namespace } : {});
      return live.metadata.uid === ref.uid ? "present" : "absent";
    } catch (err) {
      if (isNotFound(err)) return "absent";
      throw err;
    }
  }

  private async deleteObject(node: GraphNode, policy: "Background" | "Foreground", resourceVersion: string | undefined): Promise<void> {
    const { resource, object } = node;
    try {
      await this.client.delete(resource.info, object.metadata.name!, {
        ...namespaceOf(resource, object),
        propagationPolicy: policy,
        preconditions: { uid: object.metadata.uid!, ...(resourceVersion ? { resourceVersion } : {}) },
      });
    } catch (err) {
      // Gone already, or changed since it was read: its own event brings it back if there is more to do.
      if (isNotFound(err) || isConflict(err)) return;
      throw err;
    }
  }

  private async removeOwnerReferences(node: GraphNode, uids: ReadonlySet<string>): Promise<void> {
    await this.patchMetadata(node, (meta) => {
      const refs = meta.ownerReferences ?? [];
      const kept = refs.filter((r) => !uids.has(r.uid));
      if (kept.length === refs.length) return undefined;
      return { ownerReferences: kept.length ? kept : null };
    });
  }

  private async removeFinalizer(node: GraphNode, finalizer: string): Promise<void> {
    await this.patchMetadata(node, (meta) => {
      const finalizers = meta.finalizers ?? [];
      if (!finalizers.includes(finalizer)) return undefined;
      const kept = finalizers.filter((f) => f !== finalizer);
      return { finalizers: kept.length ? kept : null };
    });
  }

  /**
   * Reads the live object, asks `change` for a metadata merge patch (or
   * nothing to do) and sends it pinned to the resourceVersion read, so a
   * concurrent change is never overwritten; a lost race is retried on a
   * fresh read.
   */
  private async patchMetadata(
    node: GraphNode,
    change: (meta: Readonly<ObjectMeta>) => Record<string, unknown> | undefined,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const latest = await this.fetch(node);
      if (!latest) return;
      const patch = change(latest.metadata);
      if (!patch) return;
      try {
        await this.client.patch(
          node.resource.info,
          latest.metadata.name!,
          "merge",
          { metadata: { ...patch, resourceVersion: latest.metadata.resourceVersion } },
          namespaceOf(node.resource, latest),
        );
        return;
      } catch (err) {
        if (isNotFound(err)) return;
        if (isConflict(err) && attempt < conflictRetries) continue;
        throw err;
      }
    }
  }

  /** The live object with the cached object's uid, or undefined when it is gone (or replaced). */
  private async fetch(node: GraphNode): Promise<KubeObject | undefined> {
    try {
      const live = await this.client.get<KubeObject>(node.resource.info, node.object.metadata.name!, namespaceOf(node.resource, node.object));
      return live.metadata.uid === node.object.metadata.uid ? live : undefined;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }
}

function hasCollectorFinalizer(obj: Readonly<KubeObject>): boolean {
  const f = obj.metadata.finalizers ?? [];
  return f.includes(orphanFinalizer) || f.includes(foregroundFinalizer);
}

function namespaceOf(resource: TrackedResource, obj: Readonly<KubeObject>): { namespace?: string } {
  return resource.info.namespaced && obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {};
}

function describeOwner(ref: OwnerReference): string {
  return `${ref.kind}/${ref.name} (${ref.uid})`;
}
