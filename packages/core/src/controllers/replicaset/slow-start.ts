/**
 * Slow start (upstream's `slowStartBatch`): run `count` calls of `fn` in
 * batches of 1, 2, 4, … each batch in parallel, stopping after the first
 * batch with a failure. A template the server refuses (bad image name,
 * quota) then costs one failed request instead of hundreds.
 *
 * Returns how many calls succeeded and the first error, if any; the
 * calls never made are `count - successes - failures of the last batch`.
 */
export async function slowStartBatch(count: number, initialBatchSize: number, fn: () => Promise<void>): Promise<{ successes: number; error?: unknown }> {
  let remaining = count;
  let successes = 0;
  for (let batch = Math.min(remaining, initialBatchSize); batch > 0; batch = Math.min(2 * batch, remaining)) {
    const results = await Promise.allSettled(Array.from({ length: batch }, () => fn()));
    let error: unknown;
    for (const r of results) {
      if (r.status === "fulfilled") successes++;
      else error ??= r.reason;
    }
    if (error !== undefined) return { successes, error };
    remaining -= batch;
  }
  return { successes };
}
