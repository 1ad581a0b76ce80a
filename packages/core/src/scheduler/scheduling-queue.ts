/**
 * The scheduling queue: which pending pod is tried next, and when a pod
 * that failed is tried again (kube-scheduler's PriorityQueue).
 *
 *            add/update                      pop
 *   informer ─────────▶ active ───────────────────▶ scheduling attempt
 *                        ▲  ▲                          │
 *          backoff over  │  │ cluster event            ├─ bound: done(key)
 *                        │  │ (node add/update,        ├─ error: backoff
 *                   backoff  │  pod delete)            └─ no node fits:
 *                        ▲   └────── unschedulable ◀──────  unschedulable
 *                        └── still backing off ◀──┘
 *
 * Guarantees (each tested by name):
 *   - one entry per pod key, in exactly one of active, backoff,
 *     unschedulable or in flight; adding a queued pod only refreshes it;
 *   - active is ordered by priority (higher first), then creation time
 *     (older first), then key;
 *   - a pod's backoff is initialBackoffMs doubled per failed attempt, capped
 *     at maxBackoffMs, counted from its last attempt, timed by the clock;
 *   - an unschedulable pod waits for a cluster event (or
 *     maxUnschedulableMs); the event moves it to active, or to backoff if
 *     its backoff has not run out;
 *   - an event (or an update of the pod) during an attempt that then fails
 *     as unschedulable sends the pod to backoff, not to the unschedulable
 *     pool: the event may be what lets it fit, and it must not be missed.
 */
import type { Pod } from "../api/types.js";
import { objectKey } from "../api/object.js";
import { realClock, type Clock } from "../util/clock.js";

export interface QueuedPod {
  readonly key: string;
  /** The latest version of the pod the queue was given. */
  pod: Readonly<Pod>;
  /** Failed attempts so far. */
  attempts: number;
  /** Clock time of the last attempt's start (pop), ms. */
  lastAttemptAt: number;
}

export interface SchedulingQueueOptions {
  /** @default realClock */
  clock?: Clock;
  /** Backoff after the first failed attempt, in milliseconds; doubles per further failure. @default 1000 */
  initialBackoffMs?: number;
  /** Longest backoff, in milliseconds. @default 10000 */
  maxBackoffMs?: number;
  /** An unschedulable pod is retried after this long even without a cluster event, in milliseconds. @default 300000 */
  maxUnschedulableMs?: number;
}

type Place = "active" | "backoff" | "unschedulable" | "in-flight";

interface Entry extends QueuedPod {
  place: Place;
  /** Order within active: set when the pod is added. */
  priority: number;
  createdAt: number;
  /** When the pod entered the unschedulable pool. */
  unschedulableSince: number;
  /** An event or an update arrived while the pod was in flight. */
  touchedInFlight: boolean;
  cancelBackoffTimer?: () => void;
}

const flushEveryMs = 30_000;

export class SchedulingQueue {
  private readonly clock: Clock;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxUnschedulableMs: number;
  private readonly entries = new Map<string, Entry>();
  /** Active keys, sorted: next to pop first. */
  private active: Entry[] = [];
  private waiters: ((entry: Entry | undefined) => void)[] = [];
  private closed = false;
  private cancelFlush: () => void;

  constructor(options: SchedulingQueueOptions = {}) {
    this.clock = options.clock ?? realClock;
    this.initialBackoffMs = options.initialBackoffMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    this.maxUnschedulableMs = options.maxUnschedulableMs ?? 300_000;
    const flush = () => {
      if (this.closed) return;
      this.flushUnschedulable();
      this.cancelFlush = this.clock.setTimeout(flush, flushEveryMs);
    };
    this.cancelFlush = this.clock.setTimeout(flush, flushEveryMs);
  }

  /**
   * A pending pod, new or changed. A new pod goes to active. A pod already
   * queued is refreshed; if it was waiting as unschedulable and its spec or
   * labels changed, it is moved (the change may make it fit).
   */
  add(pod: Readonly<Pod>): void {
    if (this.closed) return;
    const key = objectKey(pod);
    const entry = this.entries.get(key);
    if (!entry) {
      const fresh: Entry = {
        key,
        pod,
        attempts: 0,
        lastAttemptAt: 0,
        place: "active",
        priority: pod.spec?.priority ?? 0,
        createdAt: Date.parse(pod.metadata?.creationTimestamp ?? "") || this.clock.now(),
        unschedulableSince: 0,
        touchedInFlight: false,
      };
      this.entries.set(key, fresh);
      this.pushActive(fresh);
      return;
    }
    const changed = schedulingRelevant(entry.pod) !== schedulingRelevant(pod);
    entry.pod = pod;
    if (!changed) return;
    if (entry.place === "in-flight") entry.touchedInFlight = true;
    else if (entry.place === "unschedulable") this.moveOut(entry);
    else if (entry.place === "active") {
      // Priority may have changed: re-sort.
      this.removeActive(entry);
      entry.priority = pod.spec?.priority ?? 0;
      this.pushActive(entry);
    }
  }

  /** The pod is gone, bound elsewhere or no longer ours: forget it wherever it is. */
  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    if (entry.place === "active") this.removeActive(entry);
    entry.cancelBackoffTimer?.();
    this.entries.delete(key);
  }

  /**
   * The next pod to try, waiting while active is empty. Resolves undefined
   * once the queue is closed or `signal` aborts. The pod is in flight until
   * `done`, `requeueUnschedulable` or `requeueBackoff`.
   */
  pop(signal?: AbortSignal): Promise<QueuedPod | undefined> {
    if (this.closed || signal?.aborted) return Promise.resolve(undefined);
    const next = this.active.shift();
    if (next) return Promise.resolve(this.startAttempt(next));
    return new Promise((resolve) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      const waiter = (entry: Entry | undefined) => {
        signal?.removeEventListener("abort", onAbort);
        resolve(entry && this.startAttempt(entry));
      };
      this.waiters.push(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** The attempt bound the pod (or found it needs no scheduling): forget it. */
  done(key: string): void {
    this.delete(key);
  }

  /** No node fits: wait for a cluster event, unless one already came during the attempt. */
  requeueUnschedulable(key: string): void {
    const entry = this.inFlight(key);
    if (!entry) return;
    entry.attempts++;
    if (entry.touchedInFlight) {
      this.toBackoff(entry);
      return;
    }
    entry.place = "unschedulable";
    entry.unschedulableSince = this.clock.now();
  }

  /** The attempt failed for another reason (binding refused, API error): retry after the backoff. */
  requeueBackoff(key: string): void {
    const entry = this.inFlight(key);
    if (!entry) return;
    entry.attempts++;
    this.toBackoff(entry);
  }

  /**
   * A cluster event that may make unschedulable pods fit (a node added or
   * changed, a pod deleted): every unschedulable pod moves to active, or to
   * backoff while its backoff lasts. Pods in flight are marked so that a
   * failure goes to backoff instead of waiting for the next event.
   */
  moveAllToActiveOrBackoff(): void {
    for (const entry of this.entries.values()) {
      if (entry.place === "unschedulable") this.moveOut(entry);
      else if (entry.place === "in-flight") entry.touchedInFlight = true;
    }
  }

  /** Stops the queue: pending and future pops resolve undefined, timers are cancelled. */
  close(): void {
    this.closed = true;
    this.cancelFlush();
    for (const entry of this.entries.values()) entry.cancelBackoffTimer?.();
    for (const waiter of this.waiters.splice(0)) waiter(undefined);
  }

  /** Where each queued pod is, for tests and debugging; active in pop order. */
  snapshot(): Record<Place, string[]> {
    const out: Record<Place, string[]> = { active: this.active.map((e) => e.key), backoff: [], unschedulable: [], "in-flight": [] };
    for (const entry of this.entries.values()) if (entry.place !== "active") out[entry.place].push(entry.key);
    for (const list of [out.backoff, out.unschedulable, out["in-flight"]]) list.sort();
    return out;
  }

  /** The backoff of a pod after `attempts` failed attempts, in milliseconds. */
  backoffMs(attempts: number): number {
    if (attempts <= 0) return 0;
    return Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** (attempts - 1));
  }

  private startAttempt(entry: Entry): QueuedPod {
    entry.place = "in-flight";
    entry.touchedInFlight = false;
    entry.lastAttemptAt = this.clock.now();
    return entry;
  }

  private inFlight(key: string): Entry | undefined {
    const entry = this.entries.get(key);
    return entry?.place === "in-flight" ? entry : undefined;
  }

  /** Out of the unschedulable pool: to active if the backoff is over, else to backoff. */
  private moveOut(entry: Entry): void {
    if (this.clock.now() >= entry.lastAttemptAt + this.backoffMs(entry.attempts)) {
      entry.place = "active";
      this.pushActive(entry);
    } else {
      this.toBackoff(entry);
    }
  }

  private toBackoff(entry: Entry): void {
    entry.place = "backoff";
    const readyAt = entry.lastAttemptAt + this.backoffMs(entry.attempts);
    entry.cancelBackoffTimer?.();
    entry.cancelBackoffTimer = this.clock.setTimeout(() => {
      entry.cancelBackoffTimer = undefined;
      if (this.entries.get(entry.key) !== entry || entry.place !== "backoff") return;
      entry.place = "active";
      this.pushActive(entry);
    }, Math.max(0, readyAt - this.clock.now()));
  }

  private flushUnschedulable(): void {
    const now = this.clock.now();
    for (const entry of this.entries.values()) {
      if (entry.place === "unschedulable" && now - entry.unschedulableSince >= this.maxUnschedulableMs) this.moveOut(entry);
    }
  }

  private pushActive(entry: Entry): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      waiter(entry);
      return;
    }
    // Binary search for the first entry that should come after this one.
    let lo = 0;
    let hi = this.active.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (comesBefore(this.active[mid]!, entry)) lo = mid + 1;
      else hi = mid;
    }
    this.active.splice(lo, 0, entry);
  }

  private removeActive(entry: Entry): void {
    const i = this.active.indexOf(entry);
    if (i >= 0) this.active.splice(i, 1);
  }
}

function comesBefore(a: Entry, b: Entry): boolean {
  if (a.priority !== b.priority) return a.priority > b.priority;
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt;
  return a.key < b.key;
}

/**
 * What of a pod can change where it fits: spec and labels. Status and
 * resourceVersion changes (including the scheduler's own PodScheduled
 * condition) are ignored, or every failed attempt would requeue itself.
 */
function schedulingRelevant(pod: Readonly<Pod>): string {
  return JSON.stringify([pod.spec ?? null, pod.metadata?.labels ?? null]);
}
