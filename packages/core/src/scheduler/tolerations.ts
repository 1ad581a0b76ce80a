/**
 * Taints and tolerations, upstream's matching rule (`ToleratesTaint`): a
 * toleration with an effect only tolerates that effect; a toleration with a
 * key only that key (no key + `Exists` tolerates everything); `Exists`
 * ignores the value, `Equal` (the default) compares it.
 */
import type { Taint, Toleration } from "../api/types.js";

export type TaintEffect = "NoSchedule" | "PreferNoSchedule" | "NoExecute";

export function toleratesTaint(toleration: Readonly<Toleration>, taint: Readonly<Pick<Taint, "key" | "value" | "effect">>): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? "Equal") {
    case "Exists":
      return true;
    case "Equal":
    case "":
      return (toleration.value ?? "") === (taint.value ?? "");
    default:
      return false;
  }
}

export function isTolerated(tolerations: readonly Readonly<Toleration>[] | undefined, taint: Readonly<Pick<Taint, "key" | "value" | "effect">>): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** How a taint reads in upstream's messages: `{key: value}`. */
export function formatTaint(taint: Readonly<Pick<Taint, "key" | "value">>): string {
  return `{${taint.key}: ${taint.value ?? ""}}`;
}
