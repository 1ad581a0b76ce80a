/**
 * The informer's local copy of a resource: objects by key, plus indexes.
 *
 * Read-only to users: every object handed out is the cached instance itself
 * (no copy per read), typed `Readonly`, and shared by every controller that
 * reads the informer. Change a `structuredClone` of it, never the object.
 * Only the informer writes, through the writer from `cacheWriter`, which
 * the package's public surface does not export.
 */
import type { KubeObject, OwnerReference } from "../api/index.js";

/** Index values of one object: the object is listed under each of them. */
export type IndexFunction<T> = (obj: T) => string[];

/** Objects by namespace (`""` for cluster-scoped ones); every `Cache` has it under `"namespace"`. */
export const namespaceIndex = (obj: KubeObject): string[] => [obj.metadata.namespace ?? ""];

/** Objects by the uid of each of their owners, for finding an owner's dependents. */
export const ownerUidIndex = (obj: KubeObject): string[] =>
  (obj.metadata.ownerReferences ?? []).map((ref: OwnerReference) => ref.uid);

export interface CacheWriter<T> {
  /** Stores `obj` under `key`, returning what was there. */
  upsert(key: string, obj: T): T | undefined;
  /** Removes `key`, returning what was there. */
  remove(key: string): T | undefined;
}

const writers = new WeakMap<object, unknown>();

/** The write side of `cache`: for the informer that fills it (and tests). */
export function cacheWriter<T>(cache: Cache<T>): CacheWriter<T> {
  return writers.get(cache) as CacheWriter<T>;
}

interface Index<T> {
  fn: IndexFunction<T>;
  /** Index value → keys of the objects listed under it. */
  keysByValue: Map<string, Set<string>>;
}

export class Cache<T> {
  private readonly items = new Map<string, T>();
  private readonly indexes = new Map<string, Index<T>>();

  constructor() {
    const writer: CacheWriter<T> = {
      upsert: (key, obj) => {
        const old = this.items.get(key);
        if (old !== undefined) this.unindex(key, old);
        this.items.set(key, obj);
        this.index(key, obj);
        return old;
      },
      remove: (key) => {
        const old = this.items.get(key);
        if (old === undefined) return undefined;
        this.unindex(key, old);
        this.items.delete(key);
        return old;
      },
    };
    writers.set(this, writer);
  }

  get(key: string): Readonly<T> | undefined {
    return this.items.get(key);
  }

  list(): Readonly<T>[] {
    return [...this.items.values()];
  }

  keys(): string[] {
    return [...this.items.keys()];
  }

  /**
   * Maintains an index from now on, over the objects already cached too.
   * Adding a name again replaces that index (e.g. two controllers sharing an
   * informer both asking for "byOwnerUid" with the same function).
   */
  addIndex(name: string, fn: IndexFunction<T>): void {
    const index: Index<T> = { fn, keysByValue: new Map() };
    this.indexes.set(name, index);
    for (const [key, obj] of this.items) addToIndex(index, key, obj);
  }

  /** Objects listed under `value` in index `name`. Throws for an index nobody added: that is a bug, not an empty result. */
  byIndex(name: string, value: string): Readonly<T>[] {
    const index = this.indexes.get(name);
    if (!index) throw new Error(`cache has no index named ${JSON.stringify(name)}`);
    const keys = index.keysByValue.get(value);
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.items.get(key);
      if (obj !== undefined) out.push(obj);
    }
    return out;
  }

  private index(key: string, obj: T): void {
    for (const index of this.indexes.values()) addToIndex(index, key, obj);
  }

  private unindex(key: string, obj: T): void {
    for (const index of this.indexes.values()) {
      for (const value of index.fn(obj)) {
        const keys = index.keysByValue.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.keysByValue.delete(value);
      }
    }
  }
}

function addToIndex<T>(index: Index<T>, key: string, obj: T): void {
  for (const value of index.fn(obj)) {
    let keys = index.keysByValue.get(value);
    if (!keys) index.keysByValue.set(value, (keys = new Set()));
    keys.add(key);
  }
}
