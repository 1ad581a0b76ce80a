/**
 * The embedded backend: a `Store` on one SQLite file, kept as a kine-style
 * revision log (see `revision-log.ts` and `storage/README.md`).
 *
 * - Durability: WAL journal with `synchronous=FULL`, so a write is fsynced
 *   before its promise resolves and survives `kill -9` (and power loss).
 * - Atomicity: better-sqlite3 is synchronous and every write is one
 *   `BEGIN IMMEDIATE` transaction, so compare-and-swap needs no locking of
 *   our own, in this process or against another one on the same file.
 * - Watch: one in-memory `WatchHub` per store fans every committed write out
 *   to all watchers at once; a timer also reads the log for rows written by
 *   another process on the same file (`pollIntervalMs`).
 * - Compaction: explicit `compact(revision)` plus an optional periodic pass.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database, { type Database as Db } from "better-sqlite3";
import { logger } from "../../util/logger.js";
import { StorageError, type KeyValue, type ListOptions, type ListResult, type Store, type StoreEvent } from "../store.js";
import { RevisionLog, rowToEvent, rowToKeyValue, type LogRow } from "./revision-log.js";
import { resolveSqliteStoreOptions, type ResolvedSqliteStoreOptions, type SqliteStoreOptions } from "./sqlite-store-options.js";
import { WatchHub } from "./watch-hub.js";

const log = logger("storage.sqlite");

/** Rows examined per compaction transaction; the event loop runs between batches. */
const COMPACTION_BATCH = 1000;
/** Rows read per step when fanning out another process's writes. */
const CATCH_UP_BATCH = 1000;

export class SqliteStore implements Store {
  private readonly db: Db;
  private readonly log: RevisionLog;
  private readonly hub: WatchHub;
  private readonly options: ResolvedSqliteStoreOptions;
  /** Compactions run one at a time, in call order. */
  private compaction: Promise<void> = Promise.resolve();
  private cancelPoll: (() => void) | undefined;
  private cancelCompactionTimer: (() => void) | undefined;
  /** The revision seen at the previous automatic compaction pass. */
  private revisionAtLastPass: number;
  private closed = false;

  /** Opens (creating if needed) the database file at `path`; `:memory:` for a private in-memory store. */
  constructor(
    readonly path: string,
    options: SqliteStoreOptions = {},
  ) {
    this.options = resolveSqliteStoreOptions(options);
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path, { timeout: this.options.busyTimeoutMs });
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = FULL");
    this.log = new RevisionLog(this.db);
    const current = this.log.currentRevision();
    this.revisionAtLastPass = current;
    this.hub = new WatchHub(
      {
        read: (prefix, after, upTo, limit) => {
          const page = this.log.history(prefix, after, upTo, limit);
          return { events: page.rows.map(rowToEvent), scannedTo: page.scannedTo };
        },
      },
      current,
      { queueLimit: this.options.watchQueueLimit, replayBatch: this.options.watchReplayBatch },
    );
    this.schedulePoll();
    this.scheduleCompaction();
  }

  async get(key: string): Promise<KeyValue | undefined> {
    const row = this.log.latest(key);
    return row && !row.deleted ? rowToKeyValue(row) : undefined;
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListResult> {
    const current = this.log.currentRevision();
    const revision = options.revision || current;
    if (revision > current) throw new Error(`revision ${revision} is in the future (current ${current})`);
    const limit = options.limit ?? 0;
    const page = this.log.list(prefix, revision, options.startAfter, limit);
    const items = page.rows.map(rowToKeyValue);
    const last = items[items.length - 1];
    const remaining = page.more && last ? this.log.count(prefix, revision, last.key) : 0;
    return { items, revision, more: page.more, remaining };
  }

  async create(key: string, value: string): Promise<KeyValue> {
    return this.committed(this.log.create(key, value));
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<KeyValue> {
    return this.committed(this.log.update(key, value, expectedModRevision));
  }

  async delete(key: string, expectedModRevision?: number): Promise<KeyValue> {
    return this.committed(this.log.delete(key, expectedModRevision));
  }

  async *watch(prefix: string, afterRevision: number, signal: AbortSignal): AsyncIterable<StoreEvent> {
    if (this.closed) throw new Error("store is closed");
    const subscription = this.hub.subscribe(prefix, afterRevision);
    try {
      while (!signal.aborted && !subscription.closed) {
        const events = subscription.take();
        for (const event of events) {
          if (signal.aborted) return;
          yield event;
        }
        if (events.length === 0) await subscription.wait(signal);
      }
    } finally {
      subscription.close();
    }
  }

  async currentRevision(): Promise<number> {
    return this.log.currentRevision();
  }

  async compactedRevision(): Promise<number> {
    return this.log.compactRevision();
  }

  compact(revision: number): Promise<void> {
    const run = this.compaction.then(() => this.compactNow(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cancelPoll?.();
    this.cancelCompactionTimer?.();
    this.hub.closeAll();
    await this.compaction;
    this.db.close();
  }

  /** Fans a committed row out to watchers and returns what the caller gets. */
  private committed(row: LogRow): KeyValue {
    if (row.id === this.hub.published + 1) this.hub.publish(rowToEvent(row));
    else this.catchUp(); // another process wrote in between: publish its rows first, in order
    return rowToKeyValue(row);
  }

  /** Publishes every row not yet fanned out (written by another process, or skipped). */
  private catchUp(): void {
    const compacted = this.log.compactRevision();
    if (compacted > this.hub.published) {
      // Another process compacted history we never fanned out.
      this.hub.skipTo(
        compacted,
        new StorageError("Compacted", "", `history up to ${compacted} was compacted before it was watched`, compacted),
      );
    }
    for (;;) {
      const rows = this.log.rowsAfter(this.hub.published, CATCH_UP_BATCH);
      for (const row of rows) this.hub.publish(rowToEvent(row));
      if (rows.length < CATCH_UP_BATCH) return;
    }
  }

  private async compactNow(revision: number): Promise<void> {
    if (this.closed) return;
    const target = Math.min(revision, this.log.currentRevision());
    if (!this.log.markCompacted(target)) return;
    let removed = 0;
    for (let from = this.log.oldestId() ?? target + 1; from <= target && !this.closed; from += COMPACTION_BATCH) {
      removed += this.log.compactRange(target, from, Math.min(from + COMPACTION_BATCH, target + 1));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    log.debug({ revision: target, removed }, "compacted");
  }

  private schedulePoll(): void {
    if (this.options.pollIntervalMs <= 0 || this.closed) return;
    this.cancelPoll = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      try {
        this.catchUp();
      } catch (err) {
        log.warn({ err }, "reading the revision log for other writers failed");
      }
      this.schedulePoll();
    }, this.options.pollIntervalMs);
  }

  private scheduleCompaction(): void {
    if (this.options.compactionIntervalMs <= 0 || this.closed) return;
    this.cancelCompactionTimer = this.options.clock.setTimeout(() => {
      if (this.closed) return;
      const current = this.log.currentRevision();
      const target = Math.min(this.revisionAtLastPass, current - this.options.compactionMinRetainedRevisions);
      this.revisionAtLastPass = current;
      const pass = target > this.log.compactRevision() ? this.compact(target) : Promise.resolve();
      pass
        .catch((err: unknown) => log.warn({ err, revision: target }, "automatic compaction failed"))
        .finally(() => this.scheduleCompaction());
    }, this.options.compactionIntervalMs);
  }
}
