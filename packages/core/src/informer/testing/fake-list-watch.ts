/**
 * An in-memory API for one resource that behaves like the server as far as
 * a reflector can tell: every write bumps a revision, a list returns the
 * revision it was read at, a watch replays history after its
 * resourceVersion and then streams live events, a compacted revision is
 * refused with 410 Expired, and bookmarks carry the current revision.
 *
 * Filters by namespace only (selectors are the server's business, tested
 * there). Every call is recorded, and errors can be queued for the next
 * list or watch.
 */
import { errors, objectKey, type KubeList, type KubeObject } from "../../api/index.js";
import type { ListOptions, ResourceRef, WatchEvent, WatchStream } from "../../client/index.js";
import type { ListWatcher } from "../list-watcher.js";

type Event<T> = WatchEvent<T> & { revision: number };

export class FakeListWatch<T extends KubeObject = KubeObject> implements ListWatcher {
  /** Options of every list call, in order. */
  readonly listCalls: ListOptions[] = [];
  /** Options of every watch call, in order. */
  readonly watchCalls: ListOptions[] = [];
  /** Errors the next list calls throw, one each, in order. */
  readonly listErrors: unknown[] = [];
  /** Errors the next watches throw when iterated, one each, in order. */
  readonly watchErrors: unknown[] = [];

  private revision = 0;
  private compactedRevision = 0;
  private readonly objects = new Map<string, T>();
  private readonly history: Event<T>[] = [];
  private readonly streams = new Set<Channel<T>>();

  constructor(objects: T[] = []) {
    for (const obj of objects) this.create(obj);
  }

  /** The current revision, as a resourceVersion. */
  get resourceVersion(): string {
    return String(this.revision);
  }

  /** Watches being iterated now. */
  get openWatches(): number {
    return this.streams.size;
  }

  create(obj: T): T {
    return this.write("ADDED", obj);
  }

  update(obj: T): T {
    if (!this.objects.has(objectKey(obj))) throw new Error(`fake: update of missing ${objectKey(obj)}`);
    return this.write("MODIFIED", obj);
  }

  delete(key: string): T {
    const old = this.objects.get(key);
    if (!old) throw new Error(`fake: delete of missing ${key}`);
    this.objects.delete(key);
    return this.record("DELETED", old);
  }

  /**
   * Sends a BOOKMARK to open watches. With `advance`, the revision moves on
   * first, as when other resources were written meanwhile.
   */
  bookmark(advance = 0): void {
    this.revision += advance;
    const event: WatchEvent<T> = {
      type: "BOOKMARK",
      object: { metadata: { resourceVersion: this.resourceVersion } } as T,
    };
    for (const s of this.streams) s.push(event);
  }

  /** Forgets history up to now: watches from older revisions get 410, and open watches fail with it. */
  compact(): void {
    this.compactedRevision = this.revision;
    this.history.length = 0;
    this.breakWatches(expired(this.revision));
  }

  /** Open watches fail with `err` (a dropped connection by default). */
  breakWatches(err: unknown = new Error("connection reset by peer")): void {
    for (const s of [...this.streams]) s.fail(err);
  }

  /** Open watches end normally, as when the server's timeout passes. */
  endWatches(): void {
    for (const s of [...this.streams]) s.end();
  }

  async list<L = KubeList>(_ref: ResourceRef, options: ListOptions = {}): Promise<L> {
    this.listCalls.push(options);
    await Promise.resolve();
    if (options.signal?.aborted) throw options.signal.reason;
    const err = this.listErrors.shift();
    if (err !== undefined) throw err;
    const items = [...this.objects.values()].filter((o) => inNamespace(o, options.namespace)).map((o) => structuredClone(o));
    const list: KubeList<T> = { apiVersion: "v1", kind: "List", metadata: { resourceVersion: this.resourceVersion }, items };
    return list as L;
  }

  watch<W = KubeObject>(_ref: ResourceRef, options: ListOptions = {}): WatchStream<W> {
    this.watchCalls.push(options);
    const channel = new Channel<T>();
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const fake = this;
    const close = () => channel.end();
    async function* events(): AsyncGenerator<WatchEvent<W>> {
      const err = fake.watchErrors.shift();
      if (err !== undefined) throw err;
      if (options.signal?.aborted) return;
      const from = options.resourceVersion ? Number(options.resourceVersion) : fake.revision;
      if (from < fake.compactedRevision) throw expired(from);
      // Replay and subscribe in one synchronous step, so nothing falls between them.
      for (const e of fake.history) {
        if (e.revision > from && inNamespace(e.object, options.namespace)) channel.push(e);
      }
      channel.namespace = options.namespace;
      fake.streams.add(channel);
      options.signal?.addEventListener("abort", close, { once: true });
      try {
        for (;;) {
          const event = await channel.next();
          if (event === undefined) return;
          yield { type: event.type, object: structuredClone(event.object) as unknown as W };
        }
      } finally {
        fake.streams.delete(channel);
        options.signal?.removeEventListener("abort", close);
      }
    }
    return { [Symbol.asyncIterator]: () => events(), close };
  }

  private write(type: "ADDED" | "MODIFIED", obj: T): T {
    const stored = structuredClone(obj);
    this.objects.set(objectKey(stored), stored);
    return this.record(type, stored);
  }

  private record(type: "ADDED" | "MODIFIED" | "DELETED", obj: T): T {
    this.revision++;
    obj.metadata.resourceVersion = this.resourceVersion;
    const event: Event<T> = { type, object: structuredClone(obj), revision: this.revision };
    this.history.push(event);
    for (const s of this.streams) if (inNamespace(obj, s.namespace)) s.push(event);
    return structuredClone(obj);
  }
}

function inNamespace(obj: KubeObject, namespace: string | undefined): boolean {
  return !namespace || obj.metadata.namespace === namespace;
}

function expired(revision: number) {
  return errors.expired(`too old resource version: ${revision}`);
}

/** A one-reader queue of events with an end and a failure. */
class Channel<T> {
  namespace: string | undefined;
  private readonly queued: WatchEvent<T>[] = [];
  private waiting: { resolve: (e: WatchEvent<T> | undefined) => void; reject: (err: unknown) => void } | undefined;
  private ended = false;
  private failure: { err: unknown } | undefined;

  push(event: WatchEvent<T>): void {
    if (this.ended || this.failure) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(event);
    } else this.queued.push(event);
  }

  end(): void {
    this.ended = true;
    this.settle();
  }

  fail(err: unknown): void {
    this.failure = { err };
    this.settle();
  }

  next(): Promise<WatchEvent<T> | undefined> {
    const event = this.queued.shift();
    if (event) return Promise.resolve(event);
    if (this.failure) return Promise.reject(this.failure.err);
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  private settle(): void {
    const w = this.waiting;
    if (!w) return;
    this.waiting = undefined;
    if (this.failure) w.reject(this.failure.err);
    else w.resolve(undefined);
  }
}
