/**
 * The namespace controller: empties a namespace that is being deleted, then
 * lets it go.
 *
 * Deleting a namespace only marks it (`deletionTimestamp`, `status.phase:
 * Terminating`); it keeps the `kubernetes` finalizer in `spec.finalizers`
 * until this controller has deleted every object in it. For each namespaced
 * resource that has objects there it sends one deletecollection (or, for a
 * resource that offers no deletecollection, one delete per object); it then
 * lists again, and while anything remains (an object with finalizers of its
 * own, a pod in graceful termination) it looks again after `recheckMs`.
 * Once every resource is empty it removes `kubernetes` from
 * `spec.finalizers`, and the server deletes the namespace.
 *
 * Removing the finalizer uses `PUT /api/v1/namespaces/{name}/finalize`, as
 * upstream does; a server that does not route that subresource gets a merge
 * patch of the namespace itself instead. Either way the controller reads the
 * namespace back and fails the sync (so the queue retries with backoff) if
 * the server kept it with the finalizer.
 *
 * Keys are namespace names.
 */
import { ApiError, isNotFound, type KubeObject, type ResourceInfo } from "../../api/index.js";
import { resourcePath, type RestClient, type ResourceRef } from "../../client/index.js";
import type { Controller } from "../../control-loop/index.js";
import { Informer } from "../../informer/index.js";
import { logger } from "../../util/index.js";

const log = logger("namespace-controller");

/** The finalizer in a namespace's `spec.finalizers` that this controller owns. */
export const namespaceFinalizer = "kubernetes";

export const namespacesRef: ResourceRef = { group: "", version: "v1", plural: "namespaces", namespaced: false, kind: "Namespace" };

export interface NamespaceControllerOptions {
  /** How long to wait before looking again at a namespace whose content is still going away, in milliseconds. @default 1000 */
  recheckMs?: number;
  /** Builds the namespace informer. @default an `Informer` over the client */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
}

/** Namespaced resources the controller can empty: listable and deletable. */
export function deletableNamespacedResources(resources: readonly ResourceInfo[]): ResourceInfo[] {
  const seen = new Set<string>();
  const out: ResourceInfo[] = [];
  for (const r of resources) {
    const id = `${r.group}/${r.plural}`;
    if (!r.namespaced || seen.has(id) || !r.verbs.includes("list") || !r.verbs.includes("delete")) continue;
    seen.add(id);
    out.push(r);
  }
  return out;
}

export class NamespaceController implements Controller {
  readonly name = "namespace-controller";
  readonly informers: Informer<KubeObject>[];
  private readonly namespaces: Informer<KubeObject>;
  private readonly resources: ResourceInfo[];
  private readonly recheckMs: number;
  private enqueueAfter: (key: string, ms: number) => void = () => {};

  /** `resources`: every served resource; the namespaced, deletable ones are emptied. */
  constructor(
    private readonly client: RestClient,
    resources: readonly ResourceInfo[],
    options: NamespaceControllerOptions = {},
  ) {
    this.resources = deletableNamespacedResources(resources);
    this.recheckMs = options.recheckMs ?? 1000;
    this.namespaces = (options.newInformer ?? ((ref) => new Informer<KubeObject>(client, ref)))(namespacesRef);
    this.informers = [this.namespaces];
  }

  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void {
    this.enqueueAfter = enqueueAfter;
    const touched = (ns: Readonly<KubeObject>) => {
      if (ns.metadata.deletionTimestamp) enqueue(ns.metadata.name!);
    };
    this.namespaces.addEventHandler({ onAdd: touched, onUpdate: (_old: Readonly<KubeObject>, ns: Readonly<KubeObject>) => touched(ns) });
  }

  async sync(name: string): Promise<void> {
    const ns = this.namespaces.cache.get(name);
    if (!ns?.metadata.deletionTimestamp || !specFinalizers(ns).includes(namespaceFinalizer)) return;
    const remaining = await this.deleteContent(name);
    if (remaining.length > 0) {
      log.debug({ namespace: name, remaining }, "namespace content is still going away");
      this.enqueueAfter(name, this.recheckMs);
      return;
    }
    await this.finalize(name);
  }

  /**
   * Deletes what each resource holds in the namespace; returns the resources
   * that still hold something. Every resource is tried even when one fails;
   * the first failure is thrown afterwards.
   */
  private async deleteContent(namespace: string): Promise<string[]> {
    const remaining: string[] = [];
    let failure: unknown;
    for (const resource of this.resources) {
      try {
        if (await this.isEmpty(resource, namespace)) continue;
        await this.deleteAll(resource, namespace);
        if (!(await this.isEmpty(resource, namespace))) remaining.push(qualified(resource));
      } catch (err) {
        log.warn({ namespace, resource: qualified(resource), err }, "could not delete namespace content");
        failure ??= err;
        remaining.push(qualified(resource));
      }
    }
    if (failure) throw failure;
    return remaining;
  }

  private async isEmpty(resource: ResourceInfo, namespace: string): Promise<boolean> {
    const list = await this.client.list(resource, { namespace, limit: 1 });
    return list.items.length === 0;
  }

  private async deleteAll(resource: ResourceInfo, namespace: string): Promise<void> {
    if (resource.verbs.includes("deletecollection")) {
      try {
        await this.client.deleteCollection(resource, { namespace, propagationPolicy: "Background" });
        return;
      } catch (err) {
        if (!isMethodNotAllowed(err) && !isNotFound(err)) throw err;
      }
    }
    const list = await this.client.list(resource, { namespace });
    for (const obj of list.items) {
      if (obj.metadata.deletionTimestamp) continue;
      try {
        await this.client.delete(resource, obj.metadata.name!, { namespace, propagationPolicy: "Background" });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }

  /** Removes the `kubernetes` finalizer from the live namespace; see the file comment. */
  private async finalize(name: string): Promise<void> {
    let latest: KubeObject;
    try {
      latest = await this.client.get<KubeObject>(namespacesRef, name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const kept = specFinalizers(latest).filter((f) => f !== namespaceFinalizer);
    const finalized = { ...latest, spec: { ...((latest["spec"] as object | undefined) ?? {}), finalizers: kept } };
    try {
      await this.client.send({ method: "PUT", path: resourcePath(namespacesRef, undefined, name, "finalize"), body: finalized });
      log.info({ namespace: name }, "namespace is empty; finalized");
      return;
    } catch (err) {
      // NotFound: no /finalize route (or the namespace just went). Anything else, a Conflict included, is retried by the queue.
      if (!isNotFound(err)) throw err;
    }
    try {
      await this.client.patch(namespacesRef, name, "merge", {
        metadata: { resourceVersion: latest.metadata.resourceVersion },
        spec: { finalizers: kept.length ? kept : null },
      });
      const after = await this.client.get<KubeObject>(namespacesRef, name);
      if (after.metadata.uid === latest.metadata.uid && specFinalizers(after).includes(namespaceFinalizer)) {
        throw new Error(
          `namespace ${name}: the server kept the "${namespaceFinalizer}" finalizer after an update removing it, and has no finalize subresource`,
        );
      }
    } catch (err) {
      if (isNotFound(err)) {
        log.info({ namespace: name }, "namespace is empty; finalized");
        return;
      }
      throw err;
    }
  }
}

/** The resource offers no deletecollection after all (its discovery verbs said otherwise). */
function isMethodNotAllowed(err: unknown): boolean {
  return err instanceof ApiError && err.reason === "MethodNotAllowed";
}

function specFinalizers(ns: Readonly<KubeObject>): string[] {
  return (ns["spec"] as { finalizers?: string[] } | undefined)?.finalizers ?? [];
}

function qualified(r: ResourceInfo): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}
