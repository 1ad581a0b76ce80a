/**
 * Timing one benchmark operation: a fixed number of calls run with a bounded
 * number in flight, each call's latency recorded, and the wall time of the
 * whole batch. Throughput is `count / wall time`, so it reflects the chosen
 * concurrency; latencies are per call and include time queued in the
 * system under test (not time waiting for a free slot in this loop).
 */
import { performance } from "node:perf_hooks";

export interface Measurement {
  /** The row name; raw-store and API rows with the same name are compared. */
  operation: string;
  /** Calls (or deliveries) measured. */
  count: number;
  /** Wall time of the whole batch, in milliseconds. */
  elapsedMs: number;
  /** One latency per call, in milliseconds. */
  latenciesMs: number[];
}

export interface Summary {
  operation: string;
  count: number;
  opsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Runs `call(i)` for i in [0, count) with at most `concurrency` calls in
 * flight. The first failure stops new calls and is rethrown once the calls
 * already in flight have settled.
 */
export async function measure(
  operation: string,
  count: number,
  concurrency: number,
  call: (index: number) => Promise<unknown>,
): Promise<Measurement> {
  const latenciesMs = new Array<number>(count);
  let next = 0;
  let failure: unknown;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < count) {
      const index = next++;
      const started = performance.now();
      try {
        await call(index);
      } catch (err) {
        failure ??= err;
        return;
      }
      latenciesMs[index] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  const elapsedMs = performance.now() - started;
  if (failure !== undefined) throw failure;
  return { operation, count, elapsedMs, latenciesMs };
}

/** The value below which `p` (0..1) of the sorted samples fall (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(m: Measurement): Summary {
  const sorted = [...m.latenciesMs].sort((a, b) => a - b);
  return {
    operation: m.operation,
    count: m.count,
    opsPerSecond: m.elapsedMs > 0 ? (m.count * 1000) / m.elapsedMs : Number.POSITIVE_INFINITY,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
  };
}
