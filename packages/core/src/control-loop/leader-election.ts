/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's
 * semantics (`tools/leaderelection`), so that several controller managers
 * can run and only one acts.
 *
 *   acquire: every retryPeriod (jittered) try to take the lease ─┐
 *     none yet ─────────────────────────▶ create it              │
 *     held, not expired, by another ────▶ wait                   │
 *     expired, released, or ours ───────▶ update it (pinned      │
 *                                         resourceVersion)       │
 *   lead: run(signal) ◀──────────────────────────────────────────┘
 *     every retryPeriod renew; a renewal keeps trying every retryPeriod
 *     for up to renewDeadline, then leadership is lost:
 *       abort run's signal, wait for run to return, try to acquire again
 *   stop (signal aborts, or run returns): abort run, wait for it, release
 *     (holderIdentity "", leaseDurationSeconds 1) so another candidate
 *     takes over at its next try instead of after leaseDuration
 *
 * "Expired" is judged on the candidate's own clock, from the moment it
 * *saw* the lease record change, plus the record's leaseDurationSeconds;
 * never from the renewTime another machine wrote, whose clock may differ.
 * A candidate that has just started therefore waits a full leaseDuration
 * before taking over a lease that looked stale, as upstream.
 *
 * Safety rests on renewDeadline < leaseDuration: a leader that cannot
 * renew stops acting (renewDeadline after its last successful renewal
 * cycle began) before any other candidate may consider the lease expired
 * (leaseDuration after it last saw a renewal). Every write is pinned to the
 * resourceVersion last read, so two candidates racing for an expired lease
 * cannot both win.
 */
import { isNotFound, type KubeObject, type Lease, type LeaseSpec } from "../api/index.js";
import type { ResourceRef, RestClient } from "../client/index.js";
import { logger, realClock, type Clock } from "../util/index.js";

const log = logger("leader-election");

const leasesRef: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true, kind: "Lease" };

type LeaseObject = Lease & KubeObject;

export interface LeaderElectionOptions {
  /** @default "kube-system" */
  lockNamespace?: string;
  /** Name of the Lease, e.g. `kube-controller-manager`. */
  lockName: string;
  /** Unique per candidate, e.g. `<hostname>_<random>`; written as `holderIdentity`. */
  identity: string;
  /** How long others wait, after they last saw a renewal, before taking over. Milliseconds. @default 15_000 */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying one renewal before it gives up leadership. Milliseconds; must be below leaseDurationMs. @default 10_000 */
  renewDeadlineMs?: number;
  /** Pause between tries to acquire and between renewals. Milliseconds. @default 2_000 */
  retryPeriodMs?: number;
  /** Acquire tries wait retryPeriod × (1 + random × jitterFactor), so candidates do not try in lockstep. @default 1.2 */
  jitterFactor?: number;
  /** Release the lease when stopping, so another candidate takes over at once. @default true */
  releaseOnCancel?: boolean;
  /** @default realClock */
  clock?: Clock;
}

interface ResolvedOptions extends Required<Omit<LeaderElectionOptions, "clock">> {
  clock: Clock;
}

/**
 * Runs `run` while this candidate holds the lease, until `signal` aborts
 * or `run` returns on its own. `run`'s signal aborts when leadership is
 * lost or on stop; `run` must then return promptly, because a new term
 * starts only after it has. Resolves once `run` has returned and the lease
 * was released; rejects with `run`'s error if it failed while leading.
 */
export async function runWithLeaderElection(
  client: RestClient,
  options: LeaderElectionOptions,
  run: (signal: AbortSignal) => Promise<void>,
  signal: AbortSignal,
): Promise<void> {
  const resolved: ResolvedOptions = {
    lockNamespace: "kube-system",
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    jitterFactor: 1.2,
    releaseOnCancel: true,
    clock: realClock,
    ...definedOnly(options),
    lockName: options.lockName,
    identity: options.identity,
  };
  if (resolved.renewDeadlineMs >= resolved.leaseDurationMs) throw new Error(`leader election: renewDeadlineMs (${resolved.renewDeadlineMs}) must be less than leaseDurationMs (${resolved.leaseDurationMs})`);
  if (resolved.retryPeriodMs * 1.2 >= resolved.renewDeadlineMs) throw new Error(`leader election: retryPeriodMs × 1.2 must be less than renewDeadlineMs`);
  const elector = new LeaderElector(client, resolved);
  const lockLog = log.child({ lock: `${resolved.lockNamespace}/${resolved.lockName}`, identity: resolved.identity });

  while (!signal.aborted) {
    if (!(await elector.acquire(signal))) break;
    lockLog.info("acquired the lease; leading");
    const leading = new AbortController();
    const stopLeading = () => leading.abort();
    signal.addEventListener("abort", stopLeading, { once: true });
    let ended = false;
    let failure: { error: unknown } | undefined;
    const running = (async () => {
      try {
        await run(leading.signal);
      } catch (error) {
        failure = { error };
      } finally {
        ended = !leading.signal.aborted;
        leading.abort();
      }
    })();
    const lost = await elector.renewWhile(leading.signal);
    leading.abort();
    signal.removeEventListener("abort", stopLeading);
    await running;
    if (lost) {
      lockLog.warn("could not renew the lease within the renew deadline; leadership lost");
      if (failure) lockLog.warn({ err: failure.error }, "run failed after leadership was lost");
      continue;
    }
    if (resolved.releaseOnCancel) await elector.release();
    if (ended || signal.aborted) {
      lockLog.info(ended ? "run returned; lease released" : "stopped; lease released");
      if (failure) throw failure.error;
      return;
    }
  }
  if (resolved.releaseOnCancel) await elector.release();
}

/** One candidate's view of the lease (client-go `LeaderElector`). */
class LeaderElector {
  /** The lease as last read or written: its resourceVersion pins the next write. */
  private lease: LeaseObject | undefined;
  private observed: LeaseSpec | undefined;
  private observedRaw = "";
  /** Local time the observed record last changed. */
  private observedTime = 0;

  constructor(
    private readonly client: RestClient,
    private readonly options: ResolvedOptions,
  ) {}

  isLeader(): boolean {
    return this.observed?.holderIdentity === this.options.identity;
  }

  /** Tries every retryPeriod (jittered) until the lease is ours; false if `signal` aborted first. */
  async acquire(signal: AbortSignal): Promise<boolean> {
    for (;;) {
      if (signal.aborted) return false;
      if (await this.tryAcquireOrRenew(signal)) return true;
      const wait = this.options.retryPeriodMs * (1 + Math.random() * this.options.jitterFactor);
      await sleep(this.options.clock, wait, signal);
    }
  }

  /** Renews every retryPeriod while `leading` is not aborted; returns true when a renewal missed its deadline (leadership lost). */
  async renewWhile(leading: AbortSignal): Promise<boolean> {
    const { clock, retryPeriodMs, renewDeadlineMs } = this.options;
    for (;;) {
      await sleep(clock, retryPeriodMs, leading);
      if (leading.aborted) return false;
      const deadline = new AbortController();
      const cancelTimer = clock.setTimeout(() => deadline.abort(), renewDeadlineMs);
      const attempt = AbortSignal.any([deadline.signal, leading]);
      let renewed = false;
      while (!attempt.aborted) {
        if (await this.tryAcquireOrRenew(attempt)) {
          renewed = true;
          break;
        }
        await sleep(clock, retryPeriodMs, attempt);
      }
      cancelTimer();
      if (!renewed) return !leading.aborted;
    }
  }

  /** Gives the lease up if ours: empty holder, 1 s duration, same transition count. */
  async release(): Promise<boolean> {
    if (!this.isLeader() || !this.lease) return true;
    const now = microTime(this.options.clock.now());
    const record: LeaseSpec = {
      holderIdentity: "",
      leaseDurationSeconds: 1,
      acquireTime: now,
      renewTime: now,
      leaseTransitions: this.observed?.leaseTransitions ?? 0,
    };
    const deadline = new AbortController();
    const cancelTimer = this.options.clock.setTimeout(() => deadline.abort(), this.options.renewDeadlineMs);
    try {
      await this.write(record, deadline.signal);
      return true;
    } catch (err) {
      log.warn({ err, identity: this.options.identity }, "could not release the lease; others take over when it expires");
      return false;
    } finally {
      cancelTimer();
    }
  }

  /** client-go `tryAcquireOrRenew`: never throws; false on any failure. */
  private async tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const { clock, identity, leaseDurationMs, lockName, lockNamespace } = this.options;
    const nowMs = clock.now();
    const now = microTime(nowMs);
    const record: LeaseSpec = {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
      acquireTime: now,
      renewTime: now,
      leaseTransitions: 0,
    };

    // 1. The leader's fast path: assume nobody wrote since our last write.
    if (this.isLeader() && this.leaseValid(nowMs) && this.lease) {
      record.acquireTime = this.observed?.acquireTime;
      record.leaseTransitions = this.observed?.leaseTransitions ?? 0;
      try {
        await this.write(record, signal);
        return true;
      } catch (err) {
        log.debug({ err, identity }, "optimistic renewal failed; reading the lease");
      }
    }

    // 2. Read the lease, or create it.
    let current: LeaseObject;
    try {
      current = await this.client.get<LeaseObject>(leasesRef, lockName, { namespace: lockNamespace, signal });
    } catch (err) {
      if (!isNotFound(err)) {
        log.debug({ err, identity }, "could not read the lease");
        return false;
      }
      try {
        const created = await this.client.create<LeaseObject>(
          leasesRef,
          { apiVersion: "coordination.k8s.io/v1", kind: "Lease", metadata: { name: lockName, namespace: lockNamespace }, spec: record },
          { namespace: lockNamespace, signal },
        );
        this.observe(created, clock.now());
        return true;
      } catch (createErr) {
        log.debug({ err: createErr, identity }, "could not create the lease");
        return false;
      }
    }

    // 3. Someone else's lease that has not expired: wait.
    this.lease = current;
    const raw = JSON.stringify(current.spec ?? {});
    if (raw !== this.observedRaw) this.observe(current, nowMs);
    if (current.spec?.holderIdentity && this.leaseValid(nowMs) && !this.isLeader()) return false;

    // 4. Ours, expired or released: take or keep it.
    if (this.isLeader()) {
      record.acquireTime = current.spec?.acquireTime;
      record.leaseTransitions = current.spec?.leaseTransitions ?? 0;
    } else {
      record.leaseTransitions = (current.spec?.leaseTransitions ?? 0) + 1;
    }
    try {
      await this.write(record, signal);
      return true;
    } catch (err) {
      log.debug({ err, identity }, "could not update the lease");
      return false;
    }
  }

  private leaseValid(now: number): boolean {
    return this.observedTime + (this.observed?.leaseDurationSeconds ?? 0) * 1000 > now;
  }

  private observe(lease: LeaseObject, at: number): void {
    this.lease = lease;
    this.observed = lease.spec ?? {};
    this.observedRaw = JSON.stringify(lease.spec ?? {});
    this.observedTime = at;
  }

  /** Replaces the lease's spec, pinned to the resourceVersion last seen. */
  private async write(record: LeaseSpec, signal: AbortSignal): Promise<void> {
    const updated = await this.client.update<LeaseObject>(leasesRef, { ...this.lease!, spec: record }, { namespace: this.options.lockNamespace, signal });
    this.observe(updated, this.options.clock.now());
  }
}

/** `metav1.MicroTime` as written on the wire: RFC 3339 with microseconds. */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}

/** Resolves after `ms` on `clock`, or at once when `signal` aborts. */
function sleep(clock: Clock, ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      cancel();
      signal.removeEventListener("abort", done);
      resolve();
    };
    const cancel = clock.setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}
