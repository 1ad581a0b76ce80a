/**
 * Node selection by labels and fields: `spec.nodeSelector` and node
 * affinity's `nodeSelectorTerms` (terms are ORed, the requirements inside a
 * term ANDed; a term with no requirements matches no node, as upstream).
 */
import type { Node, Pod } from "../api/types.js";
import type { NodeSelectorRequirement, NodeSelectorTerm } from "kubernetes-types/core/v1.js";

export function requirementMatches(req: Readonly<NodeSelectorRequirement>, values: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, req.key);
  const value = has ? values[req.key]! : undefined;
  const wanted = req.values ?? [];
  switch (req.operator) {
    case "In":
      return value !== undefined && wanted.includes(value);
    case "NotIn":
      return value === undefined || !wanted.includes(value);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    case "Gt":
    case "Lt": {
      if (value === undefined || wanted.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(wanted[0]!)) return false;
      const n = Number(value);
      const bound = Number(wanted[0]);
      return req.operator === "Gt" ? n > bound : n < bound;
    }
    default:
      return false;
  }
}

export function termMatches(term: Readonly<NodeSelectorTerm>, node: Readonly<Node>): boolean {
  const expressions = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (expressions.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  // `metadata.name` is the only field upstream supports in matchFields.
  const fieldValues: Record<string, string> = { "metadata.name": node.metadata?.name ?? "" };
  return expressions.every((r) => requirementMatches(r, labels)) && fields.every((r) => requirementMatches(r, fieldValues));
}

/** `spec.nodeSelector` and the required node affinity, both of which must hold. */
export function matchesRequiredNodeSelection(pod: Readonly<Pod>, node: Readonly<Node>): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [key, value] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[key] !== value) return false;
  }
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (!required) return true;
  return (required.nodeSelectorTerms ?? []).some((term) => termMatches(term, node));
}
