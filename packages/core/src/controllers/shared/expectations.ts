/**
 * Expectations: what a controller has asked the API server to do and has
 * not yet seen come back through its informer.
 *
 * A controller that creates three pods and is synced again before the
 * informer delivers them would see "zero pods" and create three more. So,
 * before writing, it records how many creations (and which deletions) it
 * expects for its key; the pod event handlers lower the counts as the
 * events arrive; and `sync` only manages replicas once `satisfied(key)`.
 *
 * Expectations that stay unmet for `ttlMs` (5 minutes, as upstream) count
 * as satisfied, so a lost watch event (a create that failed in a way the
 * controller never learnt of) cannot wedge a key forever.
 *
 * Deletions are tracked by pod key (upstream's UIDTrackingControllerExpectations):
 * a pod is observed gone once, whether the controller sees it get a
 * deletionTimestamp or disappear, and a delete of a pod nobody expected to
 * go does not lower anything.
 */
import { realClock, type Clock } from "../../util/index.js";

/** How long unmet expectations block a key, in milliseconds. @default 5 minutes */
export const expectationsTimeoutMs = 5 * 60 * 1000;

interface Expectation {
  adds: number;
  /** Keys of the pods whose deletion is awaited. */
  deletes: Set<string>;
  /** When the expectation was set (clock milliseconds). */
  at: number;
}

export class ControllerExpectations {
  private readonly byKey = new Map<string, Expectation>();

  constructor(
    private readonly clock: Clock = realClock,
    private readonly ttlMs: number = expectationsTimeoutMs,
  ) {}

  /**
   * True when the controller may act on what its cache shows: nothing is
   * expected for `key`, everything expected was observed, or the
   * expectations expired.
   */
  satisfied(key: string): boolean {
    const e = this.byKey.get(key);
    if (!e) return true;
    if (e.adds <= 0 && e.deletes.size === 0) return true;
    return this.clock.now() - e.at > this.ttlMs;
  }

  /** Replaces the expectations of `key` with `count` creations (before issuing them). */
  expectCreations(key: string, count: number): void {
    this.byKey.set(key, { adds: count, deletes: new Set(), at: this.clock.now() });
  }

  /** Replaces the expectations of `key` with the deletion of these pods (before issuing them). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.byKey.set(key, { adds: 0, deletes: new Set(podKeys), at: this.clock.now() });
  }

  /** A pod the controller created was seen (or a creation was given up on). */
  creationObserved(key: string): void {
    const e = this.byKey.get(key);
    if (e && e.adds > 0) e.adds--;
  }

  /** The pod `podKey` was seen going away (or its deletion failed and was given up on). */
  deletionObserved(key: string, podKey: string): void {
    this.byKey.get(key)?.deletes.delete(podKey);
  }

  /** Forgets `key` (its owner is gone). */
  delete(key: string): void {
    this.byKey.delete(key);
  }

  /** For tests and debugging: what is still awaited. */
  pending(key: string): { adds: number; deletes: string[] } | undefined {
    const e = this.byKey.get(key);
    return e && { adds: e.adds, deletes: [...e.deletes].sort() };
  }
}
