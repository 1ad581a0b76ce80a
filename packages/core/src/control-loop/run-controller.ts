/**
 * The one control loop (Kubernetes' sample-controller):
 *
 *   register handlers → start informers → wait for sync → N workers:
 *     get → sync(key) → ok: forget(key) | error: log, addRateLimited(key) → done(key)
 *
 * Workers start only after every informer has synced, because before that
 * an empty cache means "not known yet", and a sync acting on it would delete
 * or duplicate things.
 */
import type { Informer } from "../informer/index.js";
import { WorkQueue } from "../workqueue/index.js";
import { logger, realClock } from "../util/index.js";
import type { Controller, RunOptions } from "./controller.js";

/**
 * Informers already running, so that one shared by several controllers (one
 * pod informer for the ReplicaSet, GC and endpoints controllers) is started
 * once. It then lives as long as the signal of the runner that started it:
 * controllers sharing informers should share a signal.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const startedInformers = new WeakSet<Informer<any>>();

/** Runs `controller` until `signal` aborts; resolves once the syncs in flight have finished. */
export async function runController(controller: Controller, signal: AbortSignal, options: RunOptions = {}): Promise<void> {
  const log = logger("control-loop").child({ controller: controller.name });
  const workers = Math.max(1, options.workers ?? 2);
  const queue = new WorkQueue({ clock: options.clock ?? realClock, rateLimiter: options.rateLimiter, name: controller.name });
  if (signal.aborted) return;
  const stop = () => queue.shutDown();
  signal.addEventListener("abort", stop, { once: true });

  controller.register(
    (key) => queue.add(key),
    (key, ms) => queue.addAfter(key, ms),
  );

  const informerRuns: Promise<void>[] = [];
  for (const informer of controller.informers) {
    if (startedInformers.has(informer)) continue;
    startedInformers.add(informer);
    informerRuns.push(
      informer.run(signal).catch((err: unknown) => {
        log.error({ err }, "informer stopped with an error");
        startedInformers.delete(informer);
      }),
    );
  }

  try {
    try {
      await Promise.all(controller.informers.map((informer) => informer.waitForSync(signal)));
    } catch (err) {
      if (!signal.aborted) throw err;
      log.info("stopped before the caches synced");
      return;
    }
    log.info({ workers }, "caches synced; starting workers");
    await Promise.all(Array.from({ length: workers }, () => work(controller, queue, log)));
    log.info("workers drained; stopped");
  } finally {
    signal.removeEventListener("abort", stop);
    queue.shutDown();
    await Promise.all(informerRuns);
  }
}

async function work(controller: Controller, queue: WorkQueue, log: ReturnType<typeof logger>): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    try {
      await controller.sync(key);
      queue.forget(key);
    } catch (err) {
      if (queue.shuttingDown) {
        log.info({ err, key }, "sync failed while stopping; not retried");
      } else {
        queue.addRateLimited(key);
        log.warn({ err, key, retries: queue.numRequeues(key) }, "sync failed; retrying with back-off");
      }
    } finally {
      queue.done(key);
    }
  }
}
