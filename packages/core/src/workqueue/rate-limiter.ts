/**
 * How long a key waits before its next retry. A rate limiter remembers
 * failures per key: `when` counts one more failure and answers the delay for
 * it, `forget` clears the count once the key succeeds.
 */
export interface RateLimiter {
  /** Records one more failure of `key` and returns how long to wait before retrying it, in milliseconds. */
  when(key: string): number;
  /** The key succeeded: its next failure starts from the base delay again. */
  forget(key: string): void;
  /** Failures recorded for `key` since it was last forgotten. */
  retries(key: string): number;
}

/**
 * `baseMs · 2^failures`, capped at `maxMs` (client-go's per-item exponential
 * failure limiter): 5 ms, 10 ms, 20 ms, … up to about 17 minutes by default,
 * so a key that keeps failing costs little while a transient error is
 * retried almost at once.
 */
export function exponentialRateLimiter(baseMs = 5, maxMs = 1_000_000): RateLimiter {
  const failures = new Map<string, number>();
  return {
    when(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      // 2^n overflows to Infinity long after the cap is reached; min() keeps it finite.
      return Math.min(baseMs * 2 ** n, maxMs);
    },
    forget(key) {
      failures.delete(key);
    },
    retries(key) {
      return failures.get(key) ?? 0;
    },
  };
}
