/**
 * Controller references: the one ownerReference with `controller: true`
 * that says which controller manages an object, and the claim step every
 * workload controller runs before it counts (upstream's
 * `PodControllerRefManager` / `ReplicaSetControllerRefManager`).
 *
 * Claiming a candidate set for an owner with a selector:
 *
 *   controlled by another owner ─────────────────────▶ ignored
 *   controlled by this owner, selector matches ──────▶ claimed
 *   controlled by this owner, selector no longer
 *     matches ──────────────────────────────────────▶ released (ownerRef removed),
 *                                                      unless the owner is being deleted
 *   orphan, selector matches, neither owner nor
 *     object being deleted, same namespace ─────────▶ adopted (ownerRef added), claimed
 *
 * Before the first adoption the owner is re-read from the API server
 * (`canAdopt`): the cache may still show an owner that was deleted, or
 * replaced by another of the same name, and adopting for it would hand
 * pods to a dead owner.
 *
 * Adoption and release are merge patches pinned to the object's
 * resourceVersion, so a concurrent change fails with Conflict and the sync
 * is retried on fresh data instead of overwriting someone's ownerReferences.
 */
import { isNotFound, type KubeObject, type LabelSelectorMatcher, type OwnerReference } from "../../api/index.js";
import type { RestClient, ResourceRef } from "../../client/index.js";
import { controllerOf } from "../../control-loop/index.js";

export { controllerOf };

/** Name of the index `controllerUidIndex` is registered under. */
export const controllerUidIndexName = "controllerUid";

/**
 * Objects by the uid of their controller, and orphans under
 * `orphan/<namespace>`: an owner's candidates are `byIndex(uid)` plus
 * `byIndex(orphanIndexValue(ns))`, without scanning the namespace.
 */
export function controllerUidIndex(obj: KubeObject): string[] {
  const ref = controllerOf(obj);
  return [ref ? ref.uid : orphanIndexValue(obj.metadata.namespace ?? "")];
}

export function orphanIndexValue(namespace: string): string {
  return `orphan/${namespace}`;
}

/** The candidates of `owner` from a cache indexed by `controllerUidIndex`. */
export function candidatesOf<T extends KubeObject>(
  cache: { byIndex(name: string, value: string): Readonly<T>[] },
  owner: Readonly<KubeObject>,
): Readonly<T>[] {
  return [
    ...cache.byIndex(controllerUidIndexName, owner.metadata.uid ?? ""),
    ...cache.byIndex(controllerUidIndexName, orphanIndexValue(owner.metadata.namespace ?? "")),
  ];
}

/** The ownerReference a controller puts on what it creates or adopts. */
export function newControllerRef(owner: Readonly<KubeObject>, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata.name ?? "",
    uid: owner.metadata.uid ?? "",
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** True when `obj` is controlled by `owner` (same uid). */
export function isControlledBy(obj: Readonly<KubeObject>, owner: Readonly<KubeObject>): boolean {
  const ref = controllerOf(obj);
  return ref !== undefined && ref.uid === owner.metadata.uid;
}

export interface ControllerRefManagerOptions {
  /** The owner's controller reference, as `newControllerRef` builds it. */
  controllerRef: OwnerReference;
  /** What is claimed: pods for a ReplicaSet, ReplicaSets for a Deployment. */
  resource: ResourceRef;
  /** Throws when the owner must not adopt (gone, replaced or being deleted); called at most once per manager. */
  canAdopt: () => Promise<void>;
}

export class ControllerRefManager<T extends KubeObject = KubeObject> {
  private adoptable: Promise<void> | undefined;

  constructor(
    private readonly client: RestClient,
    private readonly owner: Readonly<KubeObject>,
    private readonly selector: LabelSelectorMatcher,
    private readonly options: ControllerRefManagerOptions,
  ) {}

  /**
   * The candidates this owner controls after adoption and release. Errors
   * of individual adoptions or releases (other than NotFound: the object
   * is gone, nothing to claim) are thrown after every candidate has been
   * tried, so the sync is retried.
   */
  async claim(candidates: readonly Readonly<T>[]): Promise<Readonly<T>[]> {
    const claimed: Readonly<T>[] = [];
    const failures: unknown[] = [];
    for (const obj of candidates) {
      try {
        const result = await this.claimOne(obj);
        if (result) claimed.push(result);
      } catch (err) {
        failures.push(err);
      }
    }
    if (failures.length === 1) throw failures[0];
    if (failures.length > 1) throw new AggregateError(failures, `claiming ${this.options.resource.plural}: ${failures.length} failures`);
    return claimed;
  }

  private async claimOne(obj: Readonly<T>): Promise<Readonly<T> | undefined> {
    const ownerUid = this.owner.metadata.uid;
    const ref = controllerOf(obj);
    const matches = this.selector.matches(obj.metadata.labels);
    if (ref) {
      if (ref.uid !== ownerUid) return undefined;
      if (matches) return obj;
      // A dying owner keeps what it has: releasing would let a new owner adopt pods about to be collected.
      if (this.owner.metadata.deletionTimestamp) return undefined;
      await this.release(obj);
      return undefined;
    }
    if (this.owner.metadata.deletionTimestamp || !matches) return undefined;
    if (obj.metadata.deletionTimestamp) return undefined;
    if (obj.metadata.namespace !== this.owner.metadata.namespace) return undefined;
    this.adoptable ??= this.options.canAdopt();
    await this.adoptable;
    return this.adopt(obj);
  }

  private async adopt(obj: Readonly<T>): Promise<Readonly<T> | undefined> {
    const ownerReferences = [...(obj.metadata.ownerReferences ?? []), this.options.controllerRef];
    try {
      return await this.client.patch<T>(
        this.options.resource,
        obj.metadata.name!,
        "merge",
        { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences } },
        { namespace: obj.metadata.namespace },
      );
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  private async release(obj: Readonly<T>): Promise<void> {
    const remaining = (obj.metadata.ownerReferences ?? []).filter((r) => r.uid !== this.owner.metadata.uid);
    try {
      await this.client.patch(
        this.options.resource,
        obj.metadata.name!,
        "merge",
        { metadata: { resourceVersion: obj.metadata.resourceVersion, ownerReferences: remaining.length > 0 ? remaining : null } },
        { namespace: obj.metadata.namespace },
      );
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

/**
 * The usual `canAdopt`: re-reads the owner from the server and refuses if
 * it is gone, has another uid (deleted and recreated under the same name)
 * or is being deleted.
 */
export function recheckOwner(client: RestClient, ownerResource: ResourceRef, owner: Readonly<KubeObject>): () => Promise<void> {
  return async () => {
    const fresh = await client.get<KubeObject>(ownerResource, owner.metadata.name!, { namespace: owner.metadata.namespace });
    const what = `${ownerResource.kind ?? ownerResource.plural} ${owner.metadata.namespace}/${owner.metadata.name}`;
    if (fresh.metadata.uid !== owner.metadata.uid) {
      throw new Error(`original ${what} is gone: got uid ${fresh.metadata.uid}, wanted ${owner.metadata.uid}`);
    }
    if (fresh.metadata.deletionTimestamp) throw new Error(`${what} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
  };
}
