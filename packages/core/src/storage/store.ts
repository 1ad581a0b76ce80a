/**
 * The storage contract. Storage knows keys, opaque values and revisions —
 * nothing about kinds. The API server maps objects to keys
 * (`/registry/<group>/<resource>/<namespace>/<name>`) and values (JSON text).
 *
 * Guarantees every backend gives (checked by `storage/testing`'s contract suite):
 * - One global, strictly increasing revision. Every successful write
 *   (create, update, delete) gets a new revision; a key's `modRevision` is
 *   the revision of its last write, `createRevision` that of its creation.
 * - `create` fails with `KeyExists` if the key exists.
 * - `update` and `delete` with `expectedModRevision` fail with `Conflict` if
 *   the key's current `modRevision` differs, `NotFound` if it is absent; the
 *   check and the write are atomic, so concurrent writers never lose an update.
 * - `list` returns a snapshot at one revision (the current one unless asked),
 *   sorted by key; `limit` + `startAfter` page through that same snapshot.
 *   Asking for a revision older than the compaction point fails with `Compacted`.
 * - `watch(prefix, afterRevision)` delivers every event with
 *   revision > afterRevision under the prefix, in revision order, exactly
 *   once, until the signal aborts. If afterRevision is older than the
 *   compaction point the iterator throws `Compacted` before any event.
 * - A write acknowledged (promise resolved) survives a crash of the process.
 */

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export type StoreEventType = "create" | "update" | "delete";

export interface StoreEvent {
  type: StoreEventType;
  /** For create/update the new value; for delete the value as it was when deleted. */
  kv: KeyValue;
  /** The value before an update or delete (absent on create). */
  prevKv?: KeyValue;
  /** The revision of this event (equal to kv.modRevision for create/update). */
  revision: number;
}

export interface ListOptions {
  /** Read at this revision instead of the current one. */
  revision?: number;
  /** Return at most this many items (0 or absent = all). */
  limit?: number;
  /** Return keys strictly greater than this one (for continuing a page). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list was read at. */
  revision: number;
  /** True when more keys match after the last returned item. */
  more: boolean;
  /** Number of matching keys after the returned page (when known). */
  remaining?: number;
}

export interface Store {
  /** The latest value of a key, or undefined. */
  get(key: string): Promise<KeyValue | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** Creates a key; fails with `KeyExists`. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Replaces a key's value if its modRevision equals `expectedModRevision`. */
  update(key: string, value: string, expectedModRevision: number): Promise<KeyValue>;
  /**
   * Deletes a key (if `expectedModRevision` is given, only at that revision).
   * Returns the deleted value, with `modRevision` set to the deletion's revision.
   */
  delete(key: string, expectedModRevision?: number): Promise<KeyValue>;
  /** Streams events under `prefix` after `afterRevision`; see the contract above. */
  watch(prefix: string, afterRevision: number, signal: AbortSignal): AsyncIterable<StoreEvent>;
  /** The latest revision of the store. */
  currentRevision(): Promise<number>;
  /** The oldest revision still readable/watchable (history before it is gone). */
  compactedRevision(): Promise<number>;
  /** Forgets history up to (not including) `revision`. Latest values are kept. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}

export type StorageErrorCode = "KeyExists" | "NotFound" | "Conflict" | "Compacted";

/** The four storage errors; the API server maps them to `ApiError` in one function. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message?: string,
    /** For Compacted: the oldest revision still available. */
    readonly compactedRevision?: number,
  ) {
    super(message ?? `${code}: ${key}`);
    this.name = "StorageError";
  }
}

export const isStorageError = (err: unknown, code?: StorageErrorCode): err is StorageError =>
  err instanceof StorageError && (code === undefined || err.code === code);
