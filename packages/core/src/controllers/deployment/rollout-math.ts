/**
 * The arithmetic of a rolling update, as upstream's deployment util:
 *
 *   maxSurge:       pods allowed above `replicas` (int, or percent rounded up)
 *   maxUnavailable: pods allowed below `replicas` (int, or percent rounded down)
 *
 * Both zero would let nothing move, so unavailable becomes 1 then. Both
 * default to 25%.
 */
import type { Deployment, ReplicaSet } from "../../api/index.js";

type IntOrPercent = number | string | undefined | null;

/** `value` of `total`: an int as is, a percent scaled and rounded up or down. */
export function scaledValue(value: IntOrPercent, total: number, roundUp: boolean, fallback: string): number {
  const v = value ?? fallback;
  if (typeof v === "number") return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    const n = Number(v);
    if (Number.isInteger(n)) return n;
    throw new Error(`invalid int or percent: ${JSON.stringify(v)}`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

export function isRollingUpdate(d: Readonly<Deployment>): boolean {
  return (d.spec?.strategy?.type ?? "RollingUpdate") === "RollingUpdate";
}

/** `[maxSurge, maxUnavailable]` for `desired` replicas. */
export function resolveFenceposts(maxSurge: IntOrPercent, maxUnavailable: IntOrPercent, desired: number): [number, number] {
  const surge = scaledValue(maxSurge, desired, true, "25%");
  let unavailable = scaledValue(maxUnavailable, desired, false, "25%");
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return [surge, unavailable];
}

export function desiredReplicas(d: Readonly<Deployment>): number {
  return d.spec?.replicas ?? 1;
}

export function maxSurge(d: Readonly<Deployment>): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, desiredReplicas(d))[0];
}

export function maxUnavailable(d: Readonly<Deployment>): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d) || replicas === 0) return 0;
  const ru = d.spec?.strategy?.rollingUpdate;
  return Math.min(resolveFenceposts(ru?.maxSurge, ru?.maxUnavailable, replicas)[1], replicas);
}

export const specReplicas = (rs: Readonly<ReplicaSet> | undefined): number => rs?.spec?.replicas ?? 0;
export const sumSpecReplicas = (rss: readonly (Readonly<ReplicaSet> | undefined)[]): number => rss.reduce((n, rs) => n + specReplicas(rs), 0);
export const sumStatusReplicas = (rss: readonly (Readonly<ReplicaSet> | undefined)[]): number => rss.reduce((n, rs) => n + (rs?.status?.replicas ?? 0), 0);
export const sumAvailable = (rss: readonly (Readonly<ReplicaSet> | undefined)[]): number => rss.reduce((n, rs) => n + (rs?.status?.availableReplicas ?? 0), 0);
export const sumReady = (rss: readonly (Readonly<ReplicaSet> | undefined)[]): number => rss.reduce((n, rs) => n + (rs?.status?.readyReplicas ?? 0), 0);

/**
 * How big the new replica set may be now (upstream `NewRSNewReplicas`):
 * for a rolling update, grow it by what maxSurge leaves room for, never
 * past `replicas`; for Recreate, `replicas` at once.
 */
export function newReplicaSetReplicas(d: Readonly<Deployment>, allRSs: readonly (Readonly<ReplicaSet> | undefined)[], newRS: Readonly<ReplicaSet>): number {
  const replicas = desiredReplicas(d);
  if (!isRollingUpdate(d)) return replicas;
  const current = sumSpecReplicas(allRSs);
  const maxTotal = replicas + maxSurge(d);
  if (current >= maxTotal) return specReplicas(newRS);
  const scaleUp = Math.min(maxTotal - current, replicas - specReplicas(newRS));
  return specReplicas(newRS) + scaleUp;
}

/** Go's `math.Round`: halves away from zero. */
export function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}
