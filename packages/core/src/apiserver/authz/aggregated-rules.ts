/**
 * The rules a ClusterRole grants. A ClusterRole with an `aggregationRule`
 * grants the union of the rules of every other ClusterRole matched by any
 * of its `clusterRoleSelectors` — what upstream's aggregation controller
 * would have written into its `rules` — computed here at evaluation time,
 * so no controller has to run and a newly labelled role counts at once.
 *
 * Aggregation is transitive (`admin` aggregates `edit`, which aggregates
 * `view`), as it becomes upstream once the controller has settled; each
 * role is visited once, so a cycle of selectors ends. Its own `rules` are
 * ignored, as the controller would overwrite them.
 */
import type { AggregationRule, ClusterRole, PolicyRule } from "kubernetes-types/rbac/v1.js";
import { labelSelectorFromStruct, type LabelSelector } from "../../api/label-selector.js";
import type { RbacSource } from "./rbac-source.js";

/** Compiled selectors per aggregation rule object; objects are replaced, never changed, when roles change. */
const compiled = new WeakMap<AggregationRule, LabelSelector[]>();

export function clusterRoleRules(source: RbacSource, role: Readonly<ClusterRole>): readonly PolicyRule[] {
  if (!role.aggregationRule) return role.rules ?? [];
  const rules: PolicyRule[] = [];
  const seenRules = new Set<string>();
  const visited = new Set<string>();
  collect(source, role, rules, seenRules, visited);
  return rules;
}

function collect(
  source: RbacSource,
  role: Readonly<ClusterRole>,
  out: PolicyRule[],
  seenRules: Set<string>,
  visited: Set<string>,
): void {
  const name = role.metadata?.name ?? "";
  if (visited.has(name)) return;
  visited.add(name);
  if (!role.aggregationRule) {
    for (const rule of role.rules ?? []) {
      const key = JSON.stringify(rule);
      if (seenRules.has(key)) continue;
      seenRules.add(key);
      out.push(rule);
    }
    return;
  }
  const selectors = selectorsOf(role.aggregationRule);
  // By name, as the controller orders them, so the union reads the same every time.
  const candidates = [...source.clusterRoles()].sort((a, b) => compare(a.metadata?.name ?? "", b.metadata?.name ?? ""));
  for (const candidate of candidates) {
    if (candidate.metadata?.name === name) continue;
    const labels = candidate.metadata?.labels ?? {};
    if (selectors.some((s) => s.matches(labels))) collect(source, candidate, out, seenRules, visited);
  }
}

function selectorsOf(rule: AggregationRule): LabelSelector[] {
  let selectors = compiled.get(rule);
  if (!selectors) {
    selectors = [];
    for (const s of rule.clusterRoleSelectors ?? []) {
      try {
        selectors.push(labelSelectorFromStruct(s));
      } catch {
        // An invalid selector selects nothing, as the controller skips it.
      }
    }
    compiled.set(rule, selectors);
  }
  return selectors;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
