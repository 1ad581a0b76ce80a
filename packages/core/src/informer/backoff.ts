/**
 * Waiting between failed list/watch attempts: jittered exponential, so that
 * many informers losing one API server do not all come back in the same
 * millisecond.
 */
import type { Clock } from "../util/index.js";

/** First retry after 0.4–0.8 s, doubling, never more than 30 s. */
export const reflectorBackoff = { baseMs: 800, maxMs: 30_000 } as const;

/** The delay before retry number `attempt` (0-based): half the exponential step plus up to half again at random. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(reflectorBackoff.maxMs, reflectorBackoff.baseMs * 2 ** Math.min(attempt, 30));
  return step / 2 + (random() * step) / 2;
}

/** Resolves after `ms` on `clock`, or at once when `signal` aborts. Never rejects. */
export function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
