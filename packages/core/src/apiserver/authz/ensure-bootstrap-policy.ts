/**
 * Writes the bootstrap policy at server start, like upstream's
 * `rbac/bootstrap-roles` post-start hook:
 *
 * - a missing object is created;
 * - an existing one annotated `rbac.authorization.kubernetes.io/autoupdate: "true"`
 *   gets what it lacks — rules, subjects, labels, annotations, the
 *   aggregation selectors — added, never removed, so a newer Skiff extends
 *   the defaults while an administrator's additions survive;
 * - one whose annotation an administrator set to "false" is left alone.
 *
 * Several servers on one store may run this at once: a create that finds
 * the object already there, or an update that loses a race, is fine,
 * because the winner wrote the same thing.
 */
import { randomUUID } from "node:crypto";
import type { AggregationRule, PolicyRule, Subject } from "kubernetes-types/rbac/v1.js";
import { isAlreadyExists, isConflict } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { Clock } from "../../util/clock.js";
import type { ObjectStore } from "../object-store.js";
import type { ResourceCatalog } from "../resource-catalog.js";
import { bootstrapPolicy } from "./bootstrap-policy.js";

const autoupdate = "rbac.authorization.kubernetes.io/autoupdate";

export interface BootstrapPolicyResult {
  /** `kind/name` of each object created. */
  created: string[];
  /** `kind/name` of each object that gained rules, subjects or metadata. */
  updated: string[];
}

export async function ensureBootstrapPolicy(
  objects: ObjectStore,
  catalog: ResourceCatalog,
  clock: Clock,
): Promise<BootstrapPolicyResult> {
  const result: BootstrapPolicyResult = { created: [], updated: [] };
  for (const wanted of bootstrapPolicy()) {
    const plural = wanted.kind === "ClusterRole" ? "clusterroles" : "clusterrolebindings";
    const info = catalog.lookup("rbac.authorization.k8s.io", "v1", plural)!.info;
    const name = wanted.metadata.name!;
    const id = `${wanted.kind}/${name}`;
    const existing = await objects.tryGet(info, "", name);
    if (!existing) {
      wanted.metadata.uid = randomUUID();
      wanted.metadata.creationTimestamp = new Date(Math.floor(clock.now() / 1000) * 1000).toISOString().replace(".000Z", "Z") as never;
      try {
        await objects.create(info, wanted);
        result.created.push(id);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
      continue;
    }
    if (existing.metadata.annotations?.[autoupdate] === "false") continue;
    const merged = mergeMissing(existing, wanted);
    if (!merged) continue;
    try {
      await objects.update(info, merged, Number(existing.metadata.resourceVersion));
      result.updated.push(id);
    } catch (err) {
      if (!isConflict(err)) throw err;
    }
  }
  return result;
}

/** `existing` plus whatever of `wanted` it lacks, or undefined when it lacks nothing. */
export function mergeMissing(existing: KubeObject, wanted: KubeObject): KubeObject | undefined {
  const next: KubeObject = structuredClone(existing);
  let changed = false;
  for (const key of ["labels", "annotations"] as const) {
    for (const [k, v] of Object.entries(wanted.metadata[key] ?? {})) {
      if (next.metadata[key]?.[k] !== undefined) continue;
      next.metadata[key] = { ...next.metadata[key], [k]: v };
      changed = true;
    }
  }
  changed = addMissing<PolicyRule>(next, wanted, "rules") || changed;
  changed = addMissing<Subject>(next, wanted, "subjects") || changed;
  const wantedAggregation = wanted["aggregationRule"] as AggregationRule | undefined;
  if (wantedAggregation) {
    const aggregation = (next["aggregationRule"] ??= { clusterRoleSelectors: [] }) as AggregationRule;
    const selectors = (aggregation.clusterRoleSelectors ??= []);
    const have = new Set(selectors.map(canonical));
    for (const s of wantedAggregation.clusterRoleSelectors ?? []) {
      if (have.has(canonical(s))) continue;
      selectors.push(s);
      changed = true;
    }
  }
  return changed ? next : undefined;
}

function addMissing<T>(next: KubeObject, wanted: KubeObject, field: "rules" | "subjects"): boolean {
  const add = (wanted[field] as T[] | undefined) ?? [];
  if (add.length === 0) return false;
  const list = (next[field] as T[] | undefined) ?? [];
  next[field] = list;
  const have = new Set(list.map(canonical));
  let changed = false;
  for (const item of add) {
    if (have.has(canonical(item))) continue;
    list.push(item);
    changed = true;
  }
  return changed;
}

/** JSON with object keys sorted, so the same rule written in another key order compares equal. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
