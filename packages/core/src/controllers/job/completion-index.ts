/**
 * Indexed jobs (`completionMode: Indexed`): each pod carries its
 * completion index in `[0, completions)` as the
 * `batch.kubernetes.io/job-completion-index` annotation and label, gets
 * the hostname `<job>-<index>` and the `JOB_COMPLETION_INDEX` variable,
 * and the job is complete once every index has a succeeded pod. The
 * succeeded indexes are reported as `status.completedIndexes`, upstream's
 * compressed interval list ("1,3-5,7").
 */
import type { Pod } from "../../api/index.js";

export const completionIndexKey = "batch.kubernetes.io/job-completion-index";

/** The pod's index, or undefined when it has none or a malformed one. */
export function completionIndexOf(pod: Readonly<Pod>): number | undefined {
  const raw = pod.metadata?.annotations?.[completionIndexKey] ?? pod.metadata?.labels?.[completionIndexKey];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

/** "1,3-5,7" from a set of indexes. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The lowest `count` indexes in `[0, completions)` that are in neither set. */
export function firstPendingIndexes(completions: number, succeeded: ReadonlySet<number>, active: ReadonlySet<number>, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (!succeeded.has(i) && !active.has(i)) out.push(i);
  }
  return out;
}
