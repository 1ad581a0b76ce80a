/**
 * The RBAC objects of the store, kept in memory for the authorizer, which
 * runs on every request and must not read the store.
 *
 *   for each of clusterroles, clusterrolebindings, roles, rolebindings:
 *     list ─▶ replace the index ─▶ watch from the list's revision ─▶ apply each event
 *        ▲                                                         │
 *        └── 410 Expired: at once; any other end or error: after relistDelayMs
 *
 * Watching from the list's revision misses nothing written in between.
 * Reads see a consistent index per resource, not across resources: a
 * binding can briefly name a role not seen yet (it then grants nothing),
 * as with upstream's informer-fed authorizer. Everything returned is
 * shared and read-only.
 */
import type { ClusterRole, ClusterRoleBinding, Role, RoleBinding } from "kubernetes-types/rbac/v1.js";
import { isGone } from "../../api/errors.js";
import type { ResourceInfo } from "../../api/resource-info.js";
import { realClock, type Clock } from "../../util/clock.js";
import { logger } from "../../util/logger.js";
import type { ObjectEvent, ObjectStore } from "../object-store.js";
import type { ResourceCatalog } from "../resource-catalog.js";
import type { RbacSource } from "./rbac-source.js";

const log = logger("apiserver.rbac-cache");
const rbacGroup = "rbac.authorization.k8s.io";

export interface RbacCacheOptions {
  /**
   * How long to wait before relisting after a watch fails or ends for any
   * reason but 410 Expired (which relists at once), in milliseconds.
   * @default 1000
   */
  relistDelayMs?: number;
  /** Timers for the relist delay. @default realClock */
  clock?: Clock;
}

export class RbacCache implements RbacSource {
  private readonly clusterRoleIndex = new ObjectIndex<ClusterRole>();
  private readonly clusterRoleBindingIndex = new ObjectIndex<ClusterRoleBinding>();
  private readonly roleIndex = new ObjectIndex<Role>();
  private readonly roleBindingIndex = new ObjectIndex<RoleBinding>();
  private readonly relistDelayMs: number;
  private readonly clock: Clock;
  private synced = false;

  constructor(
    private readonly objects: ObjectStore,
    private readonly catalog: ResourceCatalog,
    options: RbacCacheOptions = {},
  ) {
    this.relistDelayMs = options.relistDelayMs ?? 1000;
    this.clock = options.clock ?? realClock;
  }

  /**
   * Lists the four resources, then follows them until `signal` aborts.
   * Resolves once every list is in memory; rejects if a first list fails
   * (the server should not serve requests it cannot authorize).
   */
  async start(signal: AbortSignal): Promise<void> {
    const feeds = [
      this.feed("clusterroles", this.clusterRoleIndex),
      this.feed("clusterrolebindings", this.clusterRoleBindingIndex),
      this.feed("roles", this.roleIndex),
      this.feed("rolebindings", this.roleBindingIndex),
    ];
    const revisions = await Promise.all(feeds.map((f) => f.relist()));
    this.synced = true;
    feeds.forEach((f, i) => void this.follow(f, revisions[i]!, signal));
  }

  /** True once `start` has listed everything. */
  hasSynced(): boolean {
    return this.synced;
  }

  clusterRoles(): readonly ClusterRole[] {
    return this.clusterRoleIndex.all();
  }

  clusterRoleBindings(): readonly ClusterRoleBinding[] {
    return this.clusterRoleBindingIndex.all();
  }

  roles(namespace: string): readonly Role[] {
    return this.roleIndex.inNamespace(namespace);
  }

  roleBindings(namespace: string): readonly RoleBinding[] {
    return this.roleBindingIndex.inNamespace(namespace);
  }

  clusterRole(name: string): ClusterRole | undefined {
    return this.clusterRoleIndex.get("", name);
  }

  role(namespace: string, name: string): Role | undefined {
    return this.roleIndex.get(namespace, name);
  }

  /** How one resource reaches its index. */
  private feed<T extends Indexable>(plural: string, index: ObjectIndex<T>): Feed {
    const served = this.catalog.lookup(rbacGroup, "v1", plural);
    if (!served) throw new Error(`RbacCache: ${plural}.${rbacGroup}/v1 is not served`);
    const info = served.info;
    return {
      info,
      relist: async () => {
        const list = await this.objects.list(info, "", {});
        index.replace(list.items as unknown as T[]);
        return list.revision;
      },
      apply: (ev) => {
        if (ev.type === "DELETED") index.delete(ev.object as unknown as T);
        else index.put(ev.object as unknown as T);
      },
    };
  }

  private async follow(feed: Feed, revision: number, signal: AbortSignal): Promise<void> {
    const { info } = feed;
    let from = revision;
    while (!signal.aborted) {
      let relistAtOnce = false;
      try {
        for await (const ev of this.objects.watch(info, "", from, signal)) {
          from = ev.revision;
          feed.apply(ev);
        }
        if (signal.aborted) return;
        log.warn({ resource: info.plural, revision: from }, "watch ended; relisting");
      } catch (err) {
        if (signal.aborted) return;
        relistAtOnce = isGone(err);
        if (relistAtOnce) log.info({ resource: info.plural, revision: from }, "watch expired; relisting");
        else log.warn({ err, resource: info.plural }, "watch failed; relisting");
      }
      for (;;) {
        if (!relistAtOnce) await this.sleep(signal);
        if (signal.aborted) return;
        try {
          from = await feed.relist();
          break;
        } catch (err) {
          log.warn({ err, resource: info.plural }, "relist failed; retrying");
          relistAtOnce = false;
        }
      }
    }
  }

  private sleep(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        cancel();
        signal.removeEventListener("abort", done);
        resolve();
      };
      const cancel = this.clock.setTimeout(done, this.relistDelayMs);
      signal.addEventListener("abort", done, { once: true });
    });
  }
}

interface Feed {
  info: ResourceInfo;
  /** Replaces the index with a fresh list; resolves with the list's revision. */
  relist(): Promise<number>;
  apply(ev: ObjectEvent): void;
}

const none: readonly never[] = Object.freeze([]);

type Indexable = { metadata?: { namespace?: string; name?: string } };

/**
 * Objects by namespace and name ("" for cluster-scoped ones), with the
 * arrays handed to readers built once per change, not once per request.
 */
class ObjectIndex<T extends Indexable> {
  private byNamespace = new Map<string, Map<string, T>>();
  private allItems: readonly T[] | undefined;
  private namespaceItems = new Map<string, readonly T[]>();

  replace(items: readonly T[]): void {
    this.byNamespace = new Map();
    for (const item of items) this.insert(item);
    this.changed();
  }

  put(item: T): void {
    this.insert(item);
    this.changed(item.metadata?.namespace ?? "");
  }

  delete(item: T): void {
    const namespace = item.metadata?.namespace ?? "";
    const names = this.byNamespace.get(namespace);
    if (!names) return;
    names.delete(item.metadata?.name ?? "");
    if (names.size === 0) this.byNamespace.delete(namespace);
    this.changed(namespace);
  }

  get(namespace: string, name: string): T | undefined {
    return this.byNamespace.get(namespace)?.get(name);
  }

  all(): readonly T[] {
    this.allItems ??= [...this.byNamespace.values()].flatMap((names) => [...names.values()]);
    return this.allItems;
  }

  inNamespace(namespace: string): readonly T[] {
    const names = this.byNamespace.get(namespace);
    // Namespaces without objects share one empty array, so asking about many cannot grow memory.
    if (!names) return none;
    let items = this.namespaceItems.get(namespace);
    if (!items) {
      items = [...names.values()];
      this.namespaceItems.set(namespace, items);
    }
    return items;
  }

  private insert(item: T): void {
    const namespace = item.metadata?.namespace ?? "";
    let names = this.byNamespace.get(namespace);
    if (!names) this.byNamespace.set(namespace, (names = new Map()));
    names.set(item.metadata?.name ?? "", item);
  }

  /** Drops the arrays built from the index: all of them, or those of one namespace. */
  private changed(namespace?: string): void {
    this.allItems = undefined;
    if (namespace === undefined) this.namespaceItems.clear();
    else this.namespaceItems.delete(namespace);
  }
}
