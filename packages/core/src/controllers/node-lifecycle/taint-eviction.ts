/**
 * When a pod must leave a node with NoExecute taints (upstream's taint
 * eviction controller, formerly the NoExecuteTaintManager), as a pure
 * function.
 *
 *   some NoExecute taint tolerated by none of the pod's tolerations ─▶ evict now
 *   every taint tolerated, each by a first matching toleration:
 *     none of those has tolerationSeconds ──────────────────────────▶ keep (forever)
 *     otherwise ─────────▶ evict at min over taints of timeAdded + tolerationSeconds
 *
 * Upstream's DefaultTolerationSeconds admission plugin gives every pod
 * without its own not-ready / unreachable NoExecute toleration one that
 * lasts 300 s. Skiff's API server does not add them, so they are added
 * here, with `defaultTolerationMs`, which ends the same way. Upstream
 * counts from when the controller noticed the taint; here from the taint's
 * `timeAdded`, which survives a controller restart (a taint without one
 * counts from `now`).
 */
import type { Pod, Taint, Toleration } from "../../api/index.js";
import { notReadyTaintKey, unreachableTaintKey } from "./node-taints.js";

export type EvictionDecision =
  | { kind: "keep" }
  | { kind: "evict" }
  /** Evict at `at` (ms) unless the taints go away first. */
  | { kind: "wait"; at: number };

/** Upstream `Toleration.ToleratesTaint`. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "Equal") {
    case "Equal":
      return (toleration.value ?? "") === (taint.value ?? "");
    case "Exists":
      return true;
    default:
      return false;
  }
}

/** The pod's tolerations plus the not-ready / unreachable defaults it lacks (upstream DefaultTolerationSeconds). */
export function tolerationsWithDefaults(pod: Readonly<Pod>, defaultTolerationMs: number): Toleration[] {
  const own = pod.spec?.tolerations ?? [];
  const has = (key: string) => own.some((t) => (!t.key || t.key === key) && (!t.effect || t.effect === "NoExecute"));
  const seconds = Math.ceil(defaultTolerationMs / 1000);
  const defaults: Toleration[] = [notReadyTaintKey, unreachableTaintKey]
    .filter((key) => !has(key))
    .map((key) => ({ key, operator: "Exists", effect: "NoExecute", tolerationSeconds: seconds }));
  return [...own, ...defaults];
}

export function evictionDecision(pod: Readonly<Pod>, taints: readonly Taint[], now: number, defaultTolerationMs: number): EvictionDecision {
  const noExecute = taints.filter((t) => t.effect === "NoExecute");
  if (noExecute.length === 0) return { kind: "keep" };
  const tolerations = tolerationsWithDefaults(pod, defaultTolerationMs);
  let at = Infinity;
  for (const taint of noExecute) {
    const toleration = tolerations.find((t) => toleratesTaint(t, taint));
    if (!toleration) return { kind: "evict" };
    if (toleration.tolerationSeconds === undefined || toleration.tolerationSeconds === null) continue;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    const from = Number.isNaN(added) ? now : added;
    at = Math.min(at, from + Math.max(0, toleration.tolerationSeconds) * 1000);
  }
  if (at === Infinity) return { kind: "keep" };
  return at <= now ? { kind: "evict" } : { kind: "wait", at };
}
