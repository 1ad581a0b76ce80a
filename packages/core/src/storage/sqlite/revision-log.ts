/**
 * The kine-style revision log: every write appends one row, and the row's
 * autoincrement id *is* the store revision. Nothing is updated in place.
 *
 * - The latest state of a key is its max-id row (absent if that row is a
 *   delete).
 * - The state at revision R is, for each key, its max-id row with id <= R.
 * - A watch from revision N is the rows with id > N, in id order.
 * - Each row carries the previous value (`old_value`, `prev_revision`) so an
 *   event is complete without reading any other row — which is what lets
 *   compaction drop superseded rows freely.
 *
 * All methods are synchronous (better-sqlite3); writes run in
 * `BEGIN IMMEDIATE` transactions so the existence/revision check and the
 * insert are atomic even against another process writing the same file.
 */
import type { Database, Statement } from "better-sqlite3";
import { StorageError, type KeyValue, type StoreEvent } from "../store.js";
import { prefixEnd } from "../prefix-end.js";

/** One row of the log, as stored. */
export interface LogRow {
  /** The revision of this write. */
  id: number;
  name: string;
  /** 1 when this row creates the key (its create revision is then its own id). */
  created: 0 | 1;
  /** 1 when this row deletes the key (a tombstone). */
  deleted: 0 | 1;
  /** The key's create revision; 0 on create rows (read it from `id`). */
  create_revision: number;
  /** The id of the key's previous row, 0 if none. */
  prev_revision: number;
  /** The new value; for a tombstone, the value that was deleted. */
  value: string | null;
  /** The value before this write (null on create). */
  old_value: string | null;
}

const TABLE = "revision_log";
const COMPACT_KEY = "compact_revision";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS ${TABLE} (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL,
  created INTEGER NOT NULL,
  deleted INTEGER NOT NULL,
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,
  value TEXT,
  old_value TEXT
);
CREATE INDEX IF NOT EXISTS ${TABLE}_name_id ON ${TABLE} (name, id);
CREATE TABLE IF NOT EXISTS revision_meta (
  key TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

export const createRevisionOf = (row: LogRow): number => (row.created ? row.id : row.create_revision);

/** The key-value a row leaves behind (for a tombstone: the deleted value at the deletion's revision). */
export function rowToKeyValue(row: LogRow): KeyValue {
  return { key: row.name, value: row.value ?? "", createRevision: createRevisionOf(row), modRevision: row.id };
}

export function rowToEvent(row: LogRow): StoreEvent {
  const kv = rowToKeyValue(row);
  if (row.created) return { type: "create", kv, revision: row.id };
  const prevKv: KeyValue = {
    key: row.name,
    value: row.old_value ?? "",
    createRevision: kv.createRevision,
    modRevision: row.prev_revision,
  };
  return { type: row.deleted ? "delete" : "update", kv, prevKv, revision: row.id };
}

export interface LogPage {
  rows: LogRow[];
  /** True when more live keys match after the last returned row. */
  more: boolean;
}

export interface HistoryPage {
  rows: LogRow[];
  /** Every row with id <= scannedTo has been considered (returned or filtered out). */
  scannedTo: number;
}

export class RevisionLog {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly db: Database) {
    db.exec(SCHEMA);
  }

  /** The revision of the last write ever made (kept by AUTOINCREMENT even when compaction removed that row). */
  currentRevision(): number {
    const row = this.statement(`SELECT seq FROM sqlite_sequence WHERE name = '${TABLE}'`).get() as
      | { seq: number }
      | undefined;
    return row?.seq ?? 0;
  }

  /** Revisions below this one are gone; 0 when never compacted. */
  compactRevision(): number {
    const row = this.statement(`SELECT value FROM revision_meta WHERE key = '${COMPACT_KEY}'`).get() as
      | { value: number }
      | undefined;
    return row?.value ?? 0;
  }

  /** The key's max-id row, live or tombstone. */
  latest(name: string): LogRow | undefined {
    return this.statement(`SELECT * FROM ${TABLE} WHERE name = ? ORDER BY id DESC LIMIT 1`).get(name) as
      | LogRow
      | undefined;
  }

  create(name: string, value: string): LogRow {
    return this.immediate(() => {
      const latest = this.latest(name);
      if (latest && !latest.deleted) throw new StorageError("KeyExists", name);
      return this.append({
        name,
        created: 1,
        deleted: 0,
        create_revision: 0,
        prev_revision: latest?.id ?? 0,
        value,
        old_value: null,
      });
    });
  }

  update(name: string, value: string, expectedModRevision: number): LogRow {
    return this.immediate(() => {
      const latest = this.live(name, expectedModRevision);
      return this.append({
        name,
        created: 0,
        deleted: 0,
        create_revision: createRevisionOf(latest),
        prev_revision: latest.id,
        value,
        old_value: latest.value,
      });
    });
  }

  delete(name: string, expectedModRevision?: number): LogRow {
    return this.immediate(() => {
      const latest = this.live(name, expectedModRevision);
      return this.append({
        name,
        created: 0,
        deleted: 1,
        create_revision: createRevisionOf(latest),
        prev_revision: latest.id,
        value: latest.value,
        old_value: latest.value,
      });
    });
  }

  /**
   * Live keys under `prefix` as of `revision`, sorted by key, strictly after
   * `startAfter`, at most `limit` (0 = all). Runs in one read transaction so
   * the compaction check and the rows come from the same snapshot.
   */
  list(prefix: string, revision: number, startAfter: string | undefined, limit: number): LogPage {
    return this.db.transaction(() => {
      this.assertNotCompacted(prefix, revision);
      const { sql, params } = this.listQuery(prefix, revision, startAfter, "SELECT r.*");
      const rows = (
        limit > 0
          ? this.statement(`${sql} ORDER BY r.name LIMIT ?`).all(...params, limit + 1)
          : this.statement(`${sql} ORDER BY r.name`).all(...params)
      ) as LogRow[];
      const more = limit > 0 && rows.length > limit;
      if (more) rows.length = limit;
      return { rows, more };
    })();
  }

  /** Live keys under `prefix` as of `revision` strictly after `startAfter`. */
  count(prefix: string, revision: number, startAfter: string | undefined): number {
    const { sql, params } = this.listQuery(prefix, revision, startAfter, "SELECT COUNT(*) AS n");
    return (this.statement(sql).get(...params) as { n: number }).n;
  }

  /**
   * Rows under `prefix` with `after < id <= upTo`, in id order, at most
   * `limit`. Fails with `Compacted` if history after `after` may be
   * incomplete.
   */
  history(prefix: string, after: number, upTo: number, limit: number): HistoryPage {
    return this.db.transaction((): HistoryPage => {
      this.assertNotCompacted(prefix, after);
      if (upTo <= after) return { rows: [], scannedTo: after };
      const { clause, params } = prefixClause("name", prefix);
      const rows = this.statement(
        `SELECT * FROM ${TABLE} WHERE id > ? AND id <= ?${clause} ORDER BY id LIMIT ?`,
      ).all(after, upTo, ...params, limit) as LogRow[];
      const last = rows[rows.length - 1];
      return { rows, scannedTo: rows.length < limit || !last ? upTo : last.id };
    })();
  }

  /** All rows with id > after, in id order, at most `limit` (for fanning out writes of other processes). */
  rowsAfter(after: number, limit: number): LogRow[] {
    return this.statement(`SELECT * FROM ${TABLE} WHERE id > ? ORDER BY id LIMIT ?`).all(after, limit) as LogRow[];
  }

  /**
   * Records `revision` as the compaction point. Returns false (and changes
   * nothing) if the log is already compacted at or beyond it. Readers see the
   * new point before any row disappears.
   */
  markCompacted(revision: number): boolean {
    return this.immediate(() => {
      if (revision <= this.compactRevision()) return false;
      this.statement(`INSERT OR REPLACE INTO revision_meta (key, value) VALUES ('${COMPACT_KEY}', ?)`).run(revision);
      return true;
    });
  }

  /**
   * Deletes, among rows with `from <= id < to`, those not needed to read at
   * `revision` or later: tombstones at or below it and rows superseded by a
   * later row of the same key at or below it. Must be called in ascending
   * `from` order so a key's older row is always gone before the tombstone
   * that hides it. Returns the number of rows deleted.
   */
  compactRange(revision: number, from: number, to: number): number {
    return this.immediate(
      () =>
        this.statement(
          `DELETE FROM ${TABLE} WHERE id >= @from AND id < @to AND id <= @revision AND (
             deleted = 1 OR EXISTS (
               SELECT 1 FROM ${TABLE} AS n
               WHERE n.name = ${TABLE}.name AND n.id > ${TABLE}.id AND n.id <= @revision))`,
        ).run({ from, to, revision }).changes,
    );
  }

  /** The smallest id still in the log, or undefined if empty. */
  oldestId(): number | undefined {
    const row = this.statement(`SELECT MIN(id) AS id FROM ${TABLE}`).get() as { id: number | null };
    return row.id ?? undefined;
  }

  private listQuery(
    prefix: string,
    revision: number,
    startAfter: string | undefined,
    select: string,
  ): { sql: string; params: unknown[] } {
    const { clause, params } = prefixClause("name", prefix);
    let after = "";
    if (startAfter !== undefined) {
      after = " AND name > ?";
      params.push(startAfter);
    }
    const sql =
      `${select} FROM ${TABLE} AS r JOIN (` +
      `SELECT MAX(id) AS id FROM ${TABLE} WHERE id <= ?${clause}${after} GROUP BY name` +
      `) AS m ON r.id = m.id WHERE r.deleted = 0`;
    return { sql, params: [revision, ...params] };
  }

  private assertNotCompacted(key: string, revision: number): void {
    const compacted = this.compactRevision();
    if (revision < compacted) {
      throw new StorageError(
        "Compacted",
        key,
        `revision ${revision} has been compacted; the oldest available is ${compacted}`,
        compacted,
      );
    }
  }

  /** The key's live row, checked against the expected revision. */
  private live(name: string, expectedModRevision: number | undefined): LogRow {
    const latest = this.latest(name);
    if (!latest || latest.deleted) throw new StorageError("NotFound", name);
    if (expectedModRevision !== undefined && latest.id !== expectedModRevision) {
      throw new StorageError(
        "Conflict",
        name,
        `${name} is at revision ${latest.id}, not the expected ${expectedModRevision}`,
      );
    }
    return latest;
  }

  private append(row: Omit<LogRow, "id">): LogRow {
    const result = this.statement(
      `INSERT INTO ${TABLE} (name, created, deleted, create_revision, prev_revision, value, old_value)
       VALUES (@name, @created, @deleted, @create_revision, @prev_revision, @value, @old_value)`,
    ).run(row);
    return { id: Number(result.lastInsertRowid), ...row };
  }

  private immediate<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** `AND column >= ? AND column < ?` selecting the keys that start with `prefix`, using the (name, id) index. */
function prefixClause(column: string, prefix: string): { clause: string; params: unknown[] } {
  if (prefix === "") return { clause: "", params: [] };
  const end = prefixEnd(prefix);
  if (end === undefined) return { clause: ` AND ${column} >= ?`, params: [prefix] };
  return { clause: ` AND ${column} >= ? AND ${column} < ?`, params: [prefix, end] };
}
