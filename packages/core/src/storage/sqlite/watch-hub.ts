/**
 * In-memory fan-out of committed writes to every watcher of one store: one
 * notifier, however many watchers (the API server opens one per HTTP watch).
 *
 * A subscription is in one of two modes:
 * - `replay`: it reads history from the log, in batches, from its cursor up
 *   to the hub's published revision. Live events are ignored meanwhile —
 *   replay will read them from the table — so nothing is buffered while
 *   catching up.
 * - `live`: once its cursor reaches the published revision (checked and
 *   switched synchronously, so no publish can slip in between), every
 *   published event under its prefix is queued for it.
 *
 * Guarantees: events reach a subscription in revision order, exactly once,
 * with no gap: replay stops exactly at the revision where live delivery
 * starts, and a live event at or below the cursor is dropped.
 *
 * A slow consumer: a live queue holds at most `queueLimit` events. On
 * overflow the queue is dropped and the subscription falls back to replay
 * from the last event it handed out — like etcd's "unsynced" watchers —
 * so memory stays bounded and nothing is lost. If compaction has removed
 * that history in the meantime the watcher fails with `Compacted` and its
 * client relists, as with any compacted watch.
 */
import type { StoreEvent } from "../store.js";

/** Where replay reads from: the log, filtered by prefix. */
export interface HistorySource {
  /**
   * Events under `prefix` with `after < revision <= upTo`, in order, at most
   * `limit`; `scannedTo` is the revision up to which the log was examined.
   * Throws `Compacted` when history after `after` is gone.
   */
  read(prefix: string, after: number, upTo: number, limit: number): { events: StoreEvent[]; scannedTo: number };
}

export interface WatchHubOptions {
  /** Events a live subscription may hold before it falls back to replay. */
  queueLimit: number;
  /** Rows read per replay step. */
  replayBatch: number;
}

export class WatchHub {
  private readonly subscriptions = new Set<Subscription>();

  constructor(
    private readonly source: HistorySource,
    /** The highest revision already fanned out. */
    private publishedRevision: number,
    private readonly options: WatchHubOptions,
  ) {}

  get published(): number {
    return this.publishedRevision;
  }

  /** Fans out one committed event. Must be called in strictly increasing revision order. */
  publish(event: StoreEvent): void {
    if (event.revision <= this.publishedRevision) return;
    this.publishedRevision = event.revision;
    for (const subscription of this.subscriptions) subscription.offer(event);
  }

  /**
   * Moves the published revision forward without events, failing every
   * subscription that depended on the skipped range (used when another
   * process compacted history this process had not yet fanned out).
   */
  skipTo(revision: number, failure: unknown): void {
    if (revision <= this.publishedRevision) return;
    this.publishedRevision = revision;
    for (const subscription of this.subscriptions) subscription.skip(revision, failure);
  }

  subscribe(prefix: string, afterRevision: number): Subscription {
    const subscription = new Subscription(this, prefix, afterRevision, () => this.subscriptions.delete(subscription));
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** Ends every subscription (the store is closing). */
  closeAll(): void {
    for (const subscription of [...this.subscriptions]) subscription.close();
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** @internal */
  readHistory(prefix: string, after: number, limit?: number): { events: StoreEvent[]; scannedTo: number } {
    return this.source.read(prefix, after, this.publishedRevision, limit ?? this.options.replayBatch);
  }

  /** @internal */
  get queueLimit(): number {
    return this.options.queueLimit;
  }
}

export class Subscription {
  private mode: "replay" | "live" = "replay";
  /** The highest revision queued, handed out, or scanned past. */
  private cursor: number;
  /** The highest revision handed out (or scanned past) — where replay resumes after an overflow. */
  private delivered: number;
  private queue: StoreEvent[] = [];
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly hub: WatchHub,
    private readonly prefix: string,
    afterRevision: number,
    private readonly detach: () => void,
  ) {
    this.cursor = afterRevision;
    this.delivered = afterRevision;
  }

  get closed(): boolean {
    return this.ended;
  }

  /**
   * The next events, in order; empty when there is nothing now (then
   * `wait`). Throws the subscription's failure (e.g. `Compacted`) once
   * events queued before it are drained.
   */
  take(): StoreEvent[] {
    if (this.queue.length > 0) {
      const events = this.queue;
      this.queue = [];
      this.delivered = this.cursor;
      return events;
    }
    if (this.failure) throw this.failure.error;
    if (this.ended || this.mode === "live") return [];
    const { events, scannedTo } = this.hub.readHistory(this.prefix, this.cursor);
    this.cursor = Math.max(this.cursor, scannedTo);
    this.delivered = this.cursor;
    if (this.cursor >= this.hub.published) this.mode = "live";
    return events;
  }

  /** Resolves when `take` may return something new, the subscription ends, or `signal` aborts. */
  wait(signal: AbortSignal): Promise<void> {
    if (this.queue.length > 0 || this.failure || this.ended || this.mode === "replay" || signal.aborted) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        signal.removeEventListener("abort", done);
        this.wake = undefined;
        resolve();
      };
      this.wake = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }

  close(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.detach();
    this.wake?.();
  }

  /** @internal Called by the hub for every published event. */
  offer(event: StoreEvent): void {
    if (this.mode !== "live" || this.ended || this.failure) return;
    if (event.revision <= this.cursor) return;
    this.cursor = event.revision;
    if (!event.kv.key.startsWith(this.prefix)) return;
    if (this.queue.length >= this.hub.queueLimit) {
      // Too slow: forget the queue, catch up from the log later.
      this.queue = [];
      this.cursor = this.delivered;
      this.mode = "replay";
    } else {
      this.queue.push(event);
    }
    this.wake?.();
  }

  /**
   * @internal A live subscription whose cursor is below `revision` misses
   * events and fails; one in replay finds out by itself when it reads.
   */
  skip(revision: number, error: unknown): void {
    if (this.ended || this.failure || this.mode !== "live" || this.cursor >= revision) return;
    this.failure = { error };
    this.wake?.();
  }
}
