/**
 * Waiting for asynchronous work that needs no time to pass: promise
 * continuations and I/O callbacks, never timers. Time is a `FakeClock`.
 */

/** Lets pending promise continuations run (a few event-loop turns). */
export async function settle(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Turns the event loop until `condition` holds; throws after `turns` turns so a broken test fails instead of hanging. */
export async function until(condition: () => boolean, what = "condition", turns = 1000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error(`gave up waiting for ${what}`);
}
