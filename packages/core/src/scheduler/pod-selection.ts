/**
 * Which pods a pod-affinity term or a spread constraint counts: a label
 * selector over a set of namespaces.
 *
 * Namespaces, as upstream: `namespaces` listed, or every namespace for an
 * empty `namespaceSelector` (`{}`), or else the owning pod's namespace.
 * Limitation: a non-empty `namespaceSelector` needs Namespace objects the
 * scheduler does not watch; it is treated as the owning pod's namespace.
 */
import type { Pod } from "../api/types.js";
import { labelSelectorFromStruct, type LabelSelector, type LabelSelectorStruct } from "../api/label-selector.js";

export interface PodSelection {
  /** `"all"` or the namespaces counted. */
  readonly namespaces: "all" | ReadonlySet<string>;
  readonly selector: LabelSelector;
}

export function podSelection(
  labelSelector: LabelSelectorStruct | null | undefined,
  ownerNamespace: string,
  namespaces?: readonly string[] | null,
  namespaceSelector?: LabelSelectorStruct | null,
): PodSelection {
  let selector: LabelSelector;
  try {
    selector = labelSelectorFromStruct(labelSelector);
  } catch {
    // Validation refuses such selectors on create; a stored one that slipped through selects nothing.
    selector = labelSelectorFromStruct(null);
  }
  const selectorIsEmpty =
    namespaceSelector != null &&
    Object.keys(namespaceSelector.matchLabels ?? {}).length === 0 &&
    (namespaceSelector.matchExpressions ?? []).length === 0;
  if (selectorIsEmpty) return { namespaces: "all", selector };
  return { namespaces: new Set(namespaces && namespaces.length > 0 ? namespaces : [ownerNamespace]), selector };
}

export function selects(selection: PodSelection, pod: Readonly<Pod>): boolean {
  const ns = pod.metadata?.namespace ?? "default";
  if (selection.namespaces !== "all" && !selection.namespaces.has(ns)) return false;
  return selection.selector.matches(pod.metadata?.labels ?? {});
}
