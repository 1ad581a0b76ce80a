/**
 * An in-memory stand-in for `Informer` in controller tests: `seed` fills
 * the cache silently (the state a sync reads); `add`/`update`/`remove` also
 * call the registered handlers, as a reflector would after a watch event.
 * Indexes work as the real cache's do. Never talks to a server.
 */
import { objectKey, type KubeObject } from "../../../api/index.js";
import type { EventHandlers, Informer } from "../../../informer/index.js";

export class FakeCache<T extends KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, (obj: T) => string[]>([["namespace", (o) => [o.metadata.namespace ?? ""]]]);

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }
  list(): Readonly<T>[] {
    return [...this.items.values()];
  }
  keys(): string[] {
    return [...this.items.keys()];
  }
  addIndex(name: string, fn: (obj: T) => string[]): void {
    this.indexes.set(name, fn);
  }
  byIndex(name: string, value: string): Readonly<T>[] {
    const fn = this.indexes.get(name);
    if (!fn) throw new Error(`cache has no index named ${JSON.stringify(name)}`);
    return this.list().filter((obj) => fn(obj as T).includes(value));
  }
  /** Test-only: stores a clone; returns what was there. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, structuredClone(obj));
    return old;
  }
  /** Test-only. */
  delete(key: string): T | undefined {
    const old = this.items.get(key);
    this.items.delete(key);
    return old;
  }
}

export class FakeInformer<T extends KubeObject = KubeObject> {
  readonly cache = new FakeCache<T>();
  readonly handlers: EventHandlers<T>[] = [];

  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
  }
  async run(): Promise<void> {}
  hasSynced(): boolean {
    return true;
  }
  async waitForSync(): Promise<void> {}

  /** This fake as the `Informer` a controller's options take. */
  asInformer(): Informer<T> {
    return this as unknown as Informer<T>;
  }

  /** Fills the cache without events. */
  seed(...objs: T[]): void {
    for (const obj of objs) this.cache.set(obj);
  }

  add(obj: T): void {
    const old = this.cache.set(obj);
    const cur = this.cache.get(objectKey(obj))!;
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, cur);
      else h.onAdd?.(cur);
    }
  }

  remove(obj: T): void {
    const old = this.cache.delete(objectKey(obj));
    for (const h of this.handlers) h.onDelete?.(old ?? obj);
  }
}
