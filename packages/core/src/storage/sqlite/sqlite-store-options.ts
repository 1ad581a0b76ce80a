import { realClock, type Clock } from "../../util/clock.js";

export interface SqliteStoreOptions {
  /**
   * How often history is compacted automatically, in milliseconds. Each
   * pass compacts to the revision seen at the previous pass, so at least one
   * interval of history stays watchable (kube-apiserver does the same every
   * 5 minutes). 0 disables automatic compaction.
   * @default 300_000 (5 minutes)
   */
  compactionIntervalMs?: number;
  /**
   * Automatic compaction always keeps at least this many of the latest
   * revisions, so a quiet cluster keeps a useful window of history.
   * @default 1000
   */
  compactionMinRetainedRevisions?: number;
  /**
   * How often the log is read for writes made by another process on the
   * same file, in milliseconds. Writes of this process are fanned out
   * immediately and never wait for it. 0 disables polling.
   * @default 1000
   */
  pollIntervalMs?: number;
  /**
   * Events a live watcher may hold unconsumed before it falls back to
   * reading history from the log (bounds memory per slow watcher).
   * @default 1000
   */
  watchQueueLimit?: number;
  /**
   * Rows read per step when a watcher replays history.
   * @default 500
   */
  watchReplayBatch?: number;
  /**
   * How long a write waits for another process's write lock, in milliseconds.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /** Timers for polling and compaction. @default realClock (unref'd timers) */
  clock?: Clock;
}

export type ResolvedSqliteStoreOptions = Required<SqliteStoreOptions>;

export function resolveSqliteStoreOptions(options: SqliteStoreOptions = {}): ResolvedSqliteStoreOptions {
  return {
    compactionIntervalMs: options.compactionIntervalMs ?? 300_000,
    compactionMinRetainedRevisions: options.compactionMinRetainedRevisions ?? 1000,
    pollIntervalMs: options.pollIntervalMs ?? 1000,
    watchQueueLimit: options.watchQueueLimit ?? 1000,
    watchReplayBatch: options.watchReplayBatch ?? 500,
    busyTimeoutMs: options.busyTimeoutMs ?? 5000,
    clock: options.clock ?? realClock,
  };
}
