/**
 * The delay before a job replaces failed pods (upstream's
 * `backoffRecord` and `getRemainingTimeForFailuresCount`): after `n`
 * failures in a row (since the last success) the next pod is created no
 * sooner than `10 s × 2^(n-1)` after the last failure, capped at 6 min.
 *
 * Upstream keeps the record in memory and feeds it newly finished pods;
 * here it is derived from the terminal pods the job still has, ordered by
 * when they finished, which gives the same answer while those pods exist
 * and survives a controller restart.
 */
import type { Pod } from "../../api/index.js";

/** Upstream `DefaultJobPodFailureBackOff`. */
export const podFailureBackoffBaseMs = 10_000;
/** Upstream `MaxJobPodFailureBackOff` (360 s). */
export const podFailureBackoffMaxMs = 360_000;

export interface BackoffRecord {
  /** Failed pods that finished after the last succeeded one. */
  failuresAfterLastSuccess: number;
  /** When the latest of those failed (ms since the epoch). */
  lastFailureTime?: number;
}

/**
 * When a terminal pod finished, as upstream's `getFinishedTime`: the latest
 * container termination, else the Ready condition turning False, else the
 * deletion timestamp, else (never written by a kubelet) its creation.
 */
export function podFinishTime(pod: Readonly<Pod>): number {
  let latest: number | undefined;
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const finishedAt = status.state?.terminated?.finishedAt;
    if (finishedAt) latest = Math.max(latest ?? -Infinity, Date.parse(finishedAt));
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === "Ready" && c.status === "False");
  if (ready?.lastTransitionTime) return Date.parse(ready.lastTransitionTime);
  if (pod.metadata?.deletionTimestamp) return Date.parse(pod.metadata.deletionTimestamp);
  return pod.metadata?.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : 0;
}

export function backoffRecord(pods: readonly Readonly<Pod>[]): BackoffRecord {
  const finished = pods
    .filter((p) => p.status?.phase === "Succeeded" || p.status?.phase === "Failed")
    .map((p) => ({ failed: p.status?.phase === "Failed", at: podFinishTime(p) }))
    .sort((a, b) => a.at - b.at);
  const record: BackoffRecord = { failuresAfterLastSuccess: 0 };
  for (const { failed, at } of finished) {
    if (failed) {
      record.failuresAfterLastSuccess++;
      record.lastFailureTime = at;
    } else {
      record.failuresAfterLastSuccess = 0;
      delete record.lastFailureTime;
    }
  }
  return record;
}

/** The delay after `failures` failures in a row: 0, 10 s, 20 s, 40 s, … 360 s. */
export function backoffDelayMs(failures: number): number {
  if (failures <= 0) return 0;
  // Doubling stops well before 2^31; the cap applies long before.
  return Math.min(podFailureBackoffBaseMs * 2 ** Math.min(failures - 1, 20), podFailureBackoffMaxMs);
}

/** Milliseconds left before a new pod may be created (0: now). */
export function remainingBackoffMs(record: BackoffRecord, now: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  return Math.max(0, record.lastFailureTime + backoffDelayMs(record.failuresAfterLastSuccess) - now);
}
