/**
 * The queue between a controller's event handlers and its workers: keys in,
 * keys out, with these guarantees (each one has a test of the same name in
 * `work-queue.test.ts`):
 *
 * 1. **One entry per key (dedup).** Adding a key that is already waiting does
 *    nothing; ten updates of one object before a worker is free cost one sync.
 * 2. **A key is never processed by two workers at once.** From `get()` until
 *    `done(key)` the key is "processing"; adding it again does not hand it to
 *    another worker.
 * 3. **A key re-added while being processed runs again after `done()`.** The
 *    re-add is remembered ("dirty") and the key goes back into the queue when
 *    the worker calls `done`, so no change is lost.
 * 4. **`get()` waits for work.** It resolves with the next key as soon as one
 *    is added, in FIFO order.
 * 5. **`shutDown()` wakes waiters.** Every pending and later `get()` resolves
 *    with `undefined`; adds are ignored and delayed adds are cancelled. Keys
 *    still waiting are dropped (the next leader or restart relists anyway);
 *    keys being processed finish normally.
 *
 * Delays (`addAfter`, `addRateLimited`) run on the injected `Clock`; a key
 * delayed twice keeps the earlier deadline.
 */
import { logger, realClock, type Clock, type Logger } from "../util/index.js";
import { exponentialRateLimiter, type RateLimiter } from "./rate-limiter.js";

export interface WorkQueueOptions {
  /** @default realClock */
  clock?: Clock;
  /** Delay policy of `addRateLimited`. @default exponentialRateLimiter() (5 ms doubling to 1000 s) */
  rateLimiter?: RateLimiter;
  /** Names the queue in logs (usually the controller's name). @default "workqueue" */
  name?: string;
}

type Waiter = (key: string | undefined) => void;

export class WorkQueue {
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter;
  private readonly log: Logger;
  /** Keys ready to be handed out, in order; every one is also in `dirty`. */
  private readonly queue: string[] = [];
  /** Keys that need processing: queued ones, and processing ones re-added since `get`. */
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  /** Delayed adds: the deadline per key and how to cancel its timer. */
  private readonly delayed = new Map<string, { at: number; cancel: () => void }>();
  private readonly waiters: Waiter[] = [];
  private stopped = false;

  constructor(options: WorkQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.rateLimiter = options.rateLimiter ?? exponentialRateLimiter();
    this.log = logger("workqueue").child({ queue: options.name ?? "workqueue" });
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  add(key: string): void {
    if (this.stopped || this.dirty.has(key)) return;
    this.dirty.add(key);
    // Guarantee 2 and 3: a processing key waits in `dirty` until done().
    if (this.processing.has(key)) return;
    this.queue.push(key);
    this.handOut();
  }

  /** Adds `key` once `ms` milliseconds have passed; a key already delayed keeps the earlier deadline. */
  addAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const cancel = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, cancel });
  }

  /** Adds `key` after the rate limiter's delay for one more failure of it. */
  addRateLimited(key: string): void {
    this.addAfter(key, this.rateLimiter.when(key));
  }

  /** The key succeeded: clear its failure count (it stays queued if it is). */
  forget(key: string): void {
    this.rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.rateLimiter.retries(key);
  }

  /** The next key, once there is one; `undefined` once the queue shuts down. Call `done(key)` after processing it. */
  get(): Promise<string | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    const key = this.take();
    if (key !== undefined) return Promise.resolve(key);
    return new Promise<string | undefined>((resolve) => this.waiters.push(resolve));
  }

  /** Ends processing of `key`; if it was added meanwhile, it is queued again. */
  done(key: string): void {
    if (!this.processing.delete(key)) {
      this.log.warn({ key }, "done() for a key that is not being processed");
      return;
    }
    if (this.dirty.has(key) && !this.stopped) {
      this.queue.push(key);
      this.handOut();
    }
  }

  /** Keys waiting to be handed out (not counting processing or delayed ones). */
  len(): number {
    return this.queue.length;
  }

  shutDown(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const { cancel } of this.delayed.values()) cancel();
    this.delayed.clear();
    this.queue.length = 0;
    for (const key of [...this.dirty]) if (!this.processing.has(key)) this.dirty.delete(key);
    for (const wake of this.waiters.splice(0)) wake(undefined);
  }

  private take(): string | undefined {
    const key = this.queue.shift();
    if (key === undefined) return undefined;
    this.dirty.delete(key);
    this.processing.add(key);
    return key;
  }

  /** Gives queued keys to waiting `get()` calls, oldest waiter first. */
  private handOut(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const wake = this.waiters.shift()!;
      wake(this.take());
    }
  }
}
