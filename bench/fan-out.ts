/**
 * Watch fan-out, measured the same way for the raw store and the API:
 * W watchers on one prefix, then writes one at a time (closed loop: the next
 * write starts once every watcher has the previous one, so the figures are
 * latency, not the depth of a backlog).
 *
 * The clock starts when the writer's call resolves (the store acknowledged
 * the write, or the POST's response arrived) and stops when a watcher's
 * loop receives the event. An event that reaches a watcher before the
 * writer sees its own acknowledgement counts as 0 ms.
 *
 * Three rows come out:
 * - `watch delivery`: one sample per (write, watcher), from the ack to that
 *   watcher; ops/s = deliveries/s;
 * - `watch fan-out (all W)`: one sample per write, from the ack to the last
 *   watcher; ops/s = writes/s;
 * - `write → all W watchers`: one sample per write, from issuing the write
 *   to the last watcher (the write's own latency included, never 0);
 *   ops/s = writes/s.
 */
import { performance } from "node:perf_hooks";
import type { Measurement } from "./measure.js";

export interface FanOutTarget {
  /**
   * Opens `watchers` watches on the prefix the writes go to; each calls
   * `deliver(watcher, name)` for every created object. A watch that fails
   * calls `fail(err)`.
   */
  open(watchers: number, deliver: (watcher: number, name: string) => void, fail: (err: unknown) => void): Promise<void>;
  /** Creates the object `name` under the watched prefix; resolves when acknowledged. */
  write(name: string): Promise<void>;
  /** Ends every watch. */
  close(): Promise<void>;
}

export interface FanOutOptions {
  watchers: number;
  /** Writes measured (after one unmeasured write that proves every watch is live). */
  writes: number;
  /** Longest wait for one write to reach every watcher, in milliseconds. @default 30_000 */
  deliveryTimeoutMs?: number;
}

interface Pending {
  arrivals: (number | undefined)[];
  remaining: number;
  done: () => void;
}

export async function measureFanOut(target: FanOutTarget, options: FanOutOptions): Promise<Measurement[]> {
  const { watchers, writes } = options;
  const timeoutMs = options.deliveryTimeoutMs ?? 30_000;
  const pending = new Map<string, Pending>();
  // Settles (rejects) once, when any watch fails; every wait races it.
  let fail!: (err: unknown) => void;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined);

  const deliver = (watcher: number, name: string): void => {
    const entry = pending.get(name);
    if (!entry || entry.arrivals[watcher] !== undefined) return;
    entry.arrivals[watcher] = performance.now();
    if (--entry.remaining === 0) entry.done();
  };
  /** Writes `name` and waits for every watcher; returns the ack time and the arrivals. */
  const writeAndWait = async (name: string): Promise<{ issuedAt: number; ackedAt: number; arrivals: number[] }> => {
    let done!: () => void;
    const delivered = new Promise<void>((resolve) => (done = resolve));
    const entry: Pending = { arrivals: new Array<number | undefined>(watchers), remaining: watchers, done };
    pending.set(name, entry);
    let timer: NodeJS.Timeout | undefined;
    try {
      const issuedAt = performance.now();
      await target.write(name);
      const ackedAt = performance.now();
      await Promise.race([
        delivered,
        failed,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`${name} reached ${watchers - entry.remaining} of ${watchers} watchers within ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return { issuedAt, ackedAt, arrivals: entry.arrivals as number[] };
    } finally {
      clearTimeout(timer);
      pending.delete(name);
    }
  };

  const perDelivery: number[] = [];
  const perWrite: number[] = [];
  const endToEnd: number[] = [];
  try {
    await target.open(watchers, deliver, fail);
    await writeAndWait("fan-warmup");
    const started = performance.now();
    for (let i = 0; i < writes; i++) {
      const { issuedAt, ackedAt, arrivals } = await writeAndWait(`fan-${String(i).padStart(5, "0")}`);
      let lastArrival = 0;
      for (const arrivedAt of arrivals) {
        perDelivery.push(Math.max(0, arrivedAt - ackedAt));
        lastArrival = Math.max(lastArrival, arrivedAt);
      }
      perWrite.push(Math.max(0, lastArrival - ackedAt));
      endToEnd.push(lastArrival - issuedAt);
    }
    const elapsedMs = performance.now() - started;
    return [
      { operation: "watch delivery", count: perDelivery.length, elapsedMs, latenciesMs: perDelivery },
      { operation: `watch fan-out (all ${watchers})`, count: perWrite.length, elapsedMs, latenciesMs: perWrite },
      { operation: `write → all ${watchers} watchers`, count: endToEnd.length, elapsedMs, latenciesMs: endToEnd },
    ];
  } finally {
    await target.close();
  }
}
