/**
 * What a controller contributes to the control loop: which informers it
 * reads, how their events map to keys, and how to converge one key. The
 * loop (informers, queue, workers, retries) is `runController`'s, the same
 * for every controller.
 */
import type { Informer } from "../informer/index.js";
import type { RateLimiter } from "../workqueue/index.js";
import type { Clock } from "../util/index.js";

export interface Controller {
  readonly name: string;
  /** Informers the controller reads; started by the runner and waited for before workers start. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly informers: Informer<any>[];
  /**
   * Map informer events to keys: called once, before the informers start,
   * with the queue's enqueue functions (so the first list's adds arrive).
   */
  register(enqueue: (key: string) => void, enqueueAfter: (key: string, ms: number) => void): void;
  /**
   * Converge one key: read the object from the cache (it may be gone),
   * compare with the world, write through the client. Throw to retry with
   * back-off; return normally to forget the key's failures. Never called
   * for one key by two workers at once.
   */
  sync(key: string): Promise<void>;
}

export interface RunOptions {
  /** Keys synced in parallel (different keys only). @default 2 */
  workers?: number;
  /** @default realClock */
  clock?: Clock;
  /** Back-off of failed keys. @default exponentialRateLimiter() (5 ms doubling to 1000 s) */
  rateLimiter?: RateLimiter;
}
