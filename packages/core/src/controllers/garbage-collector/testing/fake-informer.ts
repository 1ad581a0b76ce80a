/**
 * An in-memory stand-in for `Informer` in controller tests: the test seeds
 * its cache with `add`/`update`/`remove`, which also call the registered
 * event handlers, exactly as a reflector would after a watch event. It never
 * talks to a server; `run` resolves when aborted.
 *
 * Cache keys are `namespace/name` (or `name` for cluster-scoped objects),
 * like the real informer's.
 */
import { objectKey, type KubeObject } from "../../../api/index.js";

export interface FakeEventHandler<T> {
  onAdd?(obj: Readonly<T>): void;
  onUpdate?(oldObj: Readonly<T>, newObj: Readonly<T>): void;
  onDelete?(obj: Readonly<T>): void;
}

export class FakeCache<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, (obj: T) => string[]>();

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
    this.indexers.set(name, fn);
  }

  byIndex(name: string, value: string): Readonly<T>[] {
    const fn = this.indexers.get(name);
    if (!fn) throw new Error(`no index named ${name}`);
    return this.list().filter((obj) => fn(obj as T).includes(value));
  }

  /** Test-only: replaces the stored object; returns the previous one. */
  set(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, structuredClone(obj));
    return old;
  }

  /** Test-only. */
  delete(obj: T): T | undefined {
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.delete(key);
    return old;
  }
}

export class FakeInformer<T extends KubeObject = KubeObject> {
  readonly cache = new FakeCache<T>();
  private readonly handlers: FakeEventHandler<T>[] = [];

  /** `ref` is kept so tests can tell informers apart. */
  constructor(readonly ref: { group: string; plural: string }) {}

  addEventHandler(handler: FakeEventHandler<T>): void {
    this.handlers.push(handler);
  }

  async run(signal: AbortSignal): Promise<void> {
    if (signal.aborted) return;
    await new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));
  }

  hasSynced(): boolean {
    return true;
  }

  async waitForSync(): Promise<void> {}

  /** Stores `obj` and calls `onAdd` (or `onUpdate` when the key is already cached). */
  add(obj: T): void {
    const old = this.cache.set(obj);
    const stored = this.cache.get(objectKey(obj))!;
    for (const h of this.handlers) {
      if (old) h.onUpdate?.(old, stored);
      else h.onAdd?.(stored);
    }
  }

  update(obj: T): void {
    this.add(obj);
  }

  remove(obj: T): void {
    const old = this.cache.delete(obj);
    if (!old) return;
    for (const h of this.handlers) h.onDelete?.(old);
  }
}
