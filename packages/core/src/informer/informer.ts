/**
 * An informer keeps a local, indexed copy of one resource and tells handlers
 * what changed. Inside it a reflector lists once, then watches from the
 * list's resourceVersion, so no change between the two is missed:
 *
 *   list ──rv──▶ watch(rv, bookmarks) ──events──▶ cache ──▶ handlers
 *     ▲            │ 410 Gone: the revision was compacted → relist, and
 *     │            │   diff the new list against the cache (adds, updates,
 *     └────────────┘   and deletes nobody saw)
 *                  │ any other error or a closed stream → back off, watch
 *                    again from the last resourceVersion seen
 *
 * Handlers run synchronously in event order on the reflector's path, so they
 * must be quick: map the event to a key and enqueue it. A handler that
 * throws is logged and does not stop the others.
 */
import { isGone, objectKey, type KubeList, type KubeObject } from "../api/index.js";
import type { ListOptions, ResourceRef, WatchEvent } from "../client/index.js";
import { qualifiedResource } from "../client/index.js";
import { logger, realClock, type Clock, type Logger } from "../util/index.js";
import { backoffDelay, sleep } from "./backoff.js";
import { Cache, cacheWriter, namespaceIndex, type CacheWriter } from "./cache.js";
import type { ListWatcher } from "./list-watcher.js";

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones (see `objectKey`). */
export type ObjectKey = string;

export interface EventHandlers<T> {
  onAdd?(obj: Readonly<T>): void;
  /** Also called with `oldObj === newObj` on every resync. */
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  /**
   * The object as last seen: the final state from a DELETED event, or, for
   * a delete missed while the watch was down and found by a relist, the
   * last object the cache held (a tombstone: it may be stale).
   */
  onDelete?(obj: Readonly<T>): void;
}

export interface InformerOptions {
  /** Watch one namespace only. @default all namespaces */
  namespace?: string;
  /** Server-side label selector, e.g. `app=web`. @default everything */
  labelSelector?: string;
  /** Server-side field selector, e.g. `spec.nodeName=n1`. @default everything */
  fieldSelector?: string;
  /** Re-deliver every cached object as onUpdate(old=new) this often, in milliseconds; 0 = never. @default 0 */
  resyncMs?: number;
  /** @default realClock */
  clock?: Clock;
  /** Ask for PartialObjectMetadata instead of full objects (metadata-only informers). @default false */
  metadataOnly?: boolean;
}

const metadataListAccept = "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json";
const metadataAccept = "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json";

/** A watch that ends this soon after opening without a single event is treated as a failure (back off, do not spin). */
const minHealthyWatchMs = 1000;

export class Informer<T extends KubeObject = KubeObject> {
  readonly cache = new Cache<T>();
  private readonly writer: CacheWriter<T> = cacheWriter(this.cache);
  private readonly handlers: EventHandlers<T>[] = [];
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly resource: string;
  private synced = false;
  private running = false;
  private syncWaiters: (() => void)[] = [];
  private lastResourceVersion: string | undefined;

  constructor(
    private readonly client: ListWatcher,
    private readonly ref: ResourceRef,
    private readonly options: InformerOptions = {},
  ) {
    this.clock = options.clock ?? realClock;
    this.resource = qualifiedResource(ref);
    this.log = logger("informer").child({ resource: this.resource, namespace: options.namespace });
    this.cache.addIndex("namespace", namespaceIndex);
  }

  /** The resourceVersion the cache is current to: the last list, event or bookmark. */
  get resourceVersion(): string | undefined {
    return this.lastResourceVersion;
  }

  /**
   * Handlers added after the first list get a synthetic onAdd for every
   * cached object, so every handler sees every object whenever it joined.
   */
  addEventHandler(handlers: EventHandlers<T>): void {
    this.handlers.push(handlers);
    if (!this.synced) return;
    for (const obj of this.cache.list()) this.deliver("onAdd", obj, () => handlers.onAdd?.(obj));
  }

  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves once the first list is in the cache; rejects with `signal.reason` if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        reject(signal?.reason);
      };
      const done = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      this.syncWaiters.push(done);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /**
   * Lists, then watches until `signal` aborts; never rejects for API or
   * network errors (it retries them). Call once per informer.
   */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error(`informer for ${this.resource} is already running`);
    this.running = true;
    const stopResync = this.startResync(signal);
    let needList = true;
    let failures = 0;
    try {
      while (!signal.aborted) {
        try {
          if (needList) {
            await this.relist(signal);
            needList = false;
            failures = 0;
          }
          const healthy = await this.watch(signal);
          if (healthy) {
            failures = 0;
          } else if (!signal.aborted) {
            this.log.warn({ resourceVersion: this.lastResourceVersion }, "watch closed at once without events; backing off");
            await sleep(this.clock, backoffDelay(failures++), signal);
          }
        } catch (err) {
          if (signal.aborted) break;
          if (isGone(err)) {
            // The revision we watch from is compacted: only a fresh list can tell what changed.
            this.log.info({ resourceVersion: this.lastResourceVersion, err }, "watch expired; relisting");
            needList = true;
            continue;
          }
          const delay = backoffDelay(failures++);
          this.log.warn(
            { err, resourceVersion: this.lastResourceVersion, retryInMs: Math.round(delay), phase: needList ? "list" : "watch" },
            needList ? "list failed; retrying" : "watch failed; watching again from the last resourceVersion",
          );
          await sleep(this.clock, delay, signal);
        }
      }
    } finally {
      stopResync();
      this.running = false;
    }
  }

  /** Replaces the cache with a fresh list, telling handlers the difference. */
  private async relist(signal: AbortSignal): Promise<void> {
    const list = await this.client.list<KubeList<T>>(this.ref, {
      ...this.selection(),
      ...(this.options.metadataOnly ? { accept: metadataListAccept } : {}),
      signal,
    });
    if (signal.aborted) return;
    const seen = new Set<string>();
    let added = 0;
    let updated = 0;
    let deleted = 0;
    for (const obj of list.items ?? []) {
      const key = objectKey(obj);
      if (!key) {
        this.log.warn({ object: obj.metadata }, "list item without a name; skipped");
        continue;
      }
      seen.add(key);
      const old = this.writer.upsert(key, obj);
      if (old === undefined) {
        added++;
        this.emit("onAdd", obj, (h) => h.onAdd?.(obj));
      } else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) {
        updated++;
        this.emit("onUpdate", obj, (h) => h.onUpdate?.(old, obj));
      }
    }
    for (const key of this.cache.keys()) {
      if (seen.has(key)) continue;
      const old = this.writer.remove(key)!;
      deleted++;
      this.emit("onDelete", old, (h) => h.onDelete?.(old));
    }
    const rv = list.metadata?.resourceVersion;
    if (!rv) this.log.warn("list without a resourceVersion; the watch starts from the server's current state");
    this.lastResourceVersion = rv || undefined;
    this.log.debug({ resourceVersion: rv, items: seen.size, added, updated, deleted }, "listed");
    if (!this.synced) {
      this.synced = true;
      for (const done of this.syncWaiters.splice(0)) done();
    }
  }

  /**
   * One watch from the last resourceVersion until the stream ends. Returns
   * false when it ended at once without an event (a server refusing quietly).
   */
  private async watch(signal: AbortSignal): Promise<boolean> {
    const opened = this.clock.now();
    let events = 0;
    const stream = this.client.watch<T>(this.ref, {
      ...this.selection(),
      resourceVersion: this.lastResourceVersion,
      allowWatchBookmarks: true,
      // Spread reconnections of many informers: the server closes each watch after 5–10 minutes.
      timeoutSeconds: 300 + Math.floor(Math.random() * 300),
      ...(this.options.metadataOnly ? { accept: metadataAccept } : {}),
      signal,
    });
    try {
      for await (const event of stream) {
        if (signal.aborted) break;
        events++;
        this.apply(event);
      }
    } finally {
      stream.close();
    }
    return events > 0 || this.clock.now() - opened >= minHealthyWatchMs;
  }

  private apply(event: WatchEvent<T>): void {
    const obj = event.object;
    const rv = obj?.metadata?.resourceVersion;
    switch (event.type) {
      case "BOOKMARK":
        if (rv) this.lastResourceVersion = rv;
        return;
      case "ADDED":
      case "MODIFIED": {
        const key = objectKey(obj);
        if (!key) {
          this.log.warn({ type: event.type, object: obj?.metadata }, "watch event without a name; skipped");
          return;
        }
        const old = this.writer.upsert(key, obj);
        if (old === undefined) this.emit("onAdd", obj, (h) => h.onAdd?.(obj));
        else this.emit("onUpdate", obj, (h) => h.onUpdate?.(old, obj));
        break;
      }
      case "DELETED": {
        const key = objectKey(obj);
        const old = this.writer.remove(key);
        if (old === undefined) this.log.debug({ key }, "delete of an object the cache did not hold");
        this.emit("onDelete", obj, (h) => h.onDelete?.(obj));
        break;
      }
      case "ERROR":
        // RestClient throws these as ApiError; a ListWatcher that yields one is broken.
        throw new Error(`watch yielded an ERROR event: ${JSON.stringify(obj)}`);
      default: {
        const never: never = event.type;
        this.log.warn({ type: never }, "unknown watch event type; skipped");
        return;
      }
    }
    if (rv) this.lastResourceVersion = rv;
    else this.log.warn({ type: event.type, key: objectKey(obj) }, "watch event without a resourceVersion");
  }

  private startResync(signal: AbortSignal): () => void {
    const every = this.options.resyncMs ?? 0;
    if (!(every > 0)) return () => {};
    let cancel = () => {};
    const tick = () => {
      if (signal.aborted) return;
      if (this.synced) {
        for (const obj of this.cache.list()) this.emit("onUpdate", obj, (h) => h.onUpdate?.(obj, obj));
      }
      cancel = this.clock.setTimeout(tick, every);
    };
    cancel = this.clock.setTimeout(tick, every);
    return () => cancel();
  }

  private selection(): ListOptions {
    const { namespace, labelSelector, fieldSelector } = this.options;
    return { namespace, labelSelector, fieldSelector };
  }

  private emit(what: keyof EventHandlers<T>, obj: T, deliver: (h: EventHandlers<T>) => void): void {
    for (const h of this.handlers) this.deliver(what, obj, () => deliver(h));
  }

  private deliver(what: keyof EventHandlers<T>, obj: Readonly<T>, call: () => void): void {
    try {
      call();
    } catch (err) {
      this.log.error({ err, handler: what, key: objectKey(obj) }, "event handler threw");
    }
  }
}
