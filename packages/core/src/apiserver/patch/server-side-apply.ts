/**
 * Server-side apply (`application/apply-patch+yaml`) and the ownership
 * bookkeeping every other write does, after structured-merge-diff's
 * `Updater.Apply` / `Updater.Update`:
 *
 * Apply:  merged = live ⊕ config            (maps merge, keyed lists merge
 *                                            by key, sets union, atomic
 *                                            values are replaced)
 *         pruned = merged − (fields this applier owned last time and no
 *                            longer sets, unless someone else owns them)
 *         conflicts = other managers' fields ∩ (modified ∪ added)
 *                    → 409 unless force, in which case they lose them
 *         the applier now owns exactly the fields of its configuration.
 *
 * Update: the writer gains every field it added or changed; other managers
 *         lose those and every removed field; empty managers disappear.
 *
 * An object that has never been tracked gets, on its first apply, a
 * `before-first-apply` manager owning everything already there, so that an
 * apply over an object made by `create` reports conflicts instead of
 * silently taking over.
 */
import type { KubeObject } from "../../api/object.js";
import type { SchemaNode } from "../../api/schema.js";
import { ApiError, type StatusCause } from "../../api/errors.js";
import { isPlainObject, jsonEqual, type JsonObject } from "./json-value.js";
import { childSchema, isAtomicMap, listSemanticsOf } from "./schema-lookup.js";
import { FieldSet, compareObjects, formatFieldPath, inventoryOf, itemElement, type FieldPath } from "./field-set.js";
import {
  decodeManagedFields,
  describeManager,
  managerId,
  setManagedFields,
  type ManagerEntry,
} from "./managed-fields.js";

export interface ApplyOptions {
  /** The `fieldManager` of the request (required for apply). */
  manager: string;
  /** `force=true`: take fields from other managers instead of failing. */
  force: boolean;
  schema: SchemaNode | undefined;
  /** RFC 3339 time recorded in the manager's entry. */
  now: string;
}

export interface UpdateOptions {
  manager: string;
  operation?: "Update";
  /** API version the writer used (`apps/v1`). */
  apiVersion: string;
  now: string;
  schema?: SchemaNode;
  subresource?: string;
}

/**
 * Merges an applied configuration into the live object (or creates it from
 * the configuration when `live` is undefined) and returns the new object
 * with its `metadata.managedFields`. Throws a 409 Conflict naming every
 * contested field unless `force`.
 */
export function applyConfiguration(live: KubeObject | undefined, applied: KubeObject, opts: ApplyOptions): KubeObject {
  const { schema } = opts;
  const config = structuredClone(applied);
  config.metadata ??= {};
  delete config.metadata.managedFields;
  const apiVersion = config.apiVersion ?? live?.apiVersion ?? "";

  const base: KubeObject = live ? structuredClone(live) : { metadata: {} };
  base.metadata ??= {};
  let managers = decodeManagedFields(base.metadata.managedFields);
  delete base.metadata.managedFields;
  if (live && managers.length === 0) {
    const existing = inventoryOf(base, schema).set;
    if (!existing.isEmpty()) {
      managers.push({ manager: "before-first-apply", operation: "Update", apiVersion: live.apiVersion ?? apiVersion, time: opts.now, subresource: undefined, set: existing });
    }
  }

  const applierId = managerId({ manager: opts.manager, operation: "Apply", apiVersion, subresource: undefined });
  const previous = managers.find((m) => managerId(m) === applierId);
  const others = managers.filter((m) => m !== previous);
  const configSet = inventoryOf(config, schema).set;

  let merged = mergeValue(base, config, schema) as KubeObject;
  if (previous) {
    const keep = others.reduce((acc, m) => acc.union(m.set), configSet);
    merged = prune(merged, previous.set.difference(keep), keep, schema);
  }

  const comparison = compareObjects(base, merged, schema);
  const changed = comparison.modified.union(comparison.added);
  const conflicts: { owner: ManagerEntry; path: FieldPath }[] = [];
  for (const m of others) {
    for (const path of m.set.intersection(changed).paths()) conflicts.push({ owner: m, path });
  }
  if (conflicts.length && !opts.force) throw conflictError(conflicts);

  managers = others.map((m) => ({ ...m, set: m.set.difference(changed).difference(comparison.removed) }));
  const objectChanged = !jsonEqual(base, merged);
  const unchangedEntry = previous && previous.set.equals(configSet) && !objectChanged && previous.apiVersion === apiVersion;
  managers.push({
    manager: opts.manager,
    operation: "Apply",
    apiVersion,
    time: unchangedEntry ? previous.time : opts.now,
    subresource: undefined,
    set: configSet,
  });
  setManagedFields(merged, managers);
  return merged;
}

/**
 * Records a create, update or patch by `manager` in `updated`'s
 * `metadata.managedFields` (changed in place). Managed fields the client
 * sent are honoured when they differ from the stored ones, as upstream: a
 * single empty entry (`[{}]`) resets tracking.
 */
export function recordUpdate(old: KubeObject | undefined, updated: KubeObject, opts: UpdateOptions): void {
  const { schema } = opts;
  updated.metadata ??= {};
  const stored = old?.metadata?.managedFields;
  const sent = updated.metadata.managedFields;
  let managers: ManagerEntry[];
  if (sent === undefined || sent.length === 0 || jsonEqual(sent, stored)) managers = decodeManagedFields(stored);
  else managers = decodeManagedFields(sent);

  const before = withoutManagedFields(old ?? { metadata: {} });
  const after = withoutManagedFields(updated);
  const comparison = compareObjects(before, after, schema);
  const changed = comparison.modified.union(comparison.added);

  const entry = { manager: opts.manager, operation: "Update" as const, apiVersion: opts.apiVersion, subresource: opts.subresource };
  const id = managerId(entry);
  const previous = managers.find((m) => managerId(m) === id);
  const next: ManagerEntry[] = managers
    .filter((m) => m !== previous)
    .map((m) => ({ ...m, set: m.set.difference(changed).difference(comparison.removed) }));
  const set = (previous?.set ?? new FieldSet()).difference(comparison.removed).union(changed);
  const objectChanged = !changed.isEmpty() || !comparison.removed.isEmpty();
  next.push({ ...entry, time: objectChanged || !previous ? opts.now : previous.time, set });
  setManagedFields(updated, next);
}

function withoutManagedFields(obj: KubeObject): KubeObject {
  const copy = structuredClone(obj);
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

function conflictError(conflicts: { owner: ManagerEntry; path: FieldPath }[]): ApiError {
  const sorted = [...conflicts].sort(
    (a, b) => cmp(describeManager(a.owner), describeManager(b.owner)) || cmp(formatFieldPath(a.path), formatFieldPath(b.path)),
  );
  const causes: StatusCause[] = sorted.map((c) => ({
    reason: "FieldManagerConflict",
    message: `conflict with ${describeManager(c.owner)}`,
    field: formatFieldPath(c.path),
  }));
  let message: string;
  if (sorted.length === 1) {
    message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  } else {
    const lines: string[] = [];
    let last = "";
    for (const c of sorted) {
      const owner = describeManager(c.owner);
      if (owner !== last) lines.push(`conflicts with ${owner}:`);
      last = owner;
      lines.push(`- ${formatFieldPath(c.path)}`);
    }
    message = `Apply failed with ${sorted.length} conflicts: ${lines.join("\n")}`;
  }
  return new ApiError("Conflict", message, { causes });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---- merge -----------------------------------------------------------------

/** `live.Merge(config)`: the configuration wins wherever it says something. */
function mergeValue(lhs: unknown, rhs: unknown, schema: SchemaNode | undefined): unknown {
  if (isPlainObject(lhs) && isPlainObject(rhs) && !isAtomicMap(schema)) {
    const out: JsonObject = { ...lhs };
    for (const [k, v] of Object.entries(rhs)) {
      if (v === null) delete out[k];
      else out[k] = k in lhs ? mergeValue(lhs[k], v, childSchema(schema, k)) : structuredClone(v);
    }
    return out;
  }
  if (Array.isArray(lhs) && Array.isArray(rhs)) {
    const semantics = listSemanticsOf(schema);
    if (semantics.type !== "atomic") return mergeList(lhs, rhs, schema, semantics);
  }
  return structuredClone(rhs);
}

/**
 * Merges keyed (or set) lists keeping both orders where it can: shared items
 * follow the configuration's order, live-only items stay where they were
 * relative to them (structured-merge-diff's `visitListItems`).
 */
function mergeList(lhs: unknown[], rhs: unknown[], schema: SchemaNode | undefined, semantics: ReturnType<typeof listSemanticsOf>): unknown[] {
  const lhsPEs = lhs.map((item, i) => itemElement(item, i, semantics));
  const rhsPEs = rhs.map((item, i) => itemElement(item, i, semantics));
  const observedLhs = new Map<string, unknown>();
  lhs.forEach((item, i) => observedLhs.has(lhsPEs[i]!) || observedLhs.set(lhsPEs[i]!, item));
  const observedRhs = new Map<string, unknown>();
  rhs.forEach((item, i) => observedRhs.set(rhsPEs[i]!, item));
  const mergeItem = (pe: string): unknown =>
    observedLhs.has(pe) ? mergeValue(observedLhs.get(pe), observedRhs.get(pe), schema?.items) : structuredClone(observedRhs.get(pe));

  const sharedOrder = rhsPEs.filter((pe) => observedLhs.has(pe));
  let nextShared = sharedOrder.shift();
  const mergedRhs = new Set<string>();
  const out: unknown[] = [];
  let l = 0;
  let r = 0;
  while (l < lhsPEs.length || r < rhsPEs.length) {
    if (l < lhsPEs.length && r < rhsPEs.length) {
      const pe = lhsPEs[l]!;
      if (pe === rhsPEs[r]) {
        mergedRhs.add(pe);
        out.push(mergeItem(pe));
        l++;
        r++;
        nextShared = sharedOrder.shift();
        continue;
      }
      if (observedRhs.has(pe) && nextShared !== undefined && nextShared !== pe) {
        l++;
        continue;
      }
    }
    if (l < lhsPEs.length) {
      const pe = lhsPEs[l]!;
      if (!observedRhs.has(pe)) {
        out.push(lhs[l]);
        l++;
        continue;
      }
      if (mergedRhs.has(pe)) {
        l++;
        continue;
      }
    }
    if (r < rhsPEs.length) {
      const pe = rhsPEs[r]!;
      mergedRhs.add(pe);
      out.push(mergeItem(pe));
      r++;
      if (nextShared === pe) nextShared = sharedOrder.shift();
    }
  }
  return out;
}

// ---- prune -----------------------------------------------------------------

/**
 * Removes the fields in `toRemove` from `obj`, except those with an owned
 * field below them and the key fields of items that stay. A struct left
 * empty by a removal goes too, as an omitted Go struct would.
 */
function prune(obj: KubeObject, toRemove: FieldSet, keep: FieldSet, schema: SchemaNode | undefined): KubeObject {
  const paths = toRemove.paths().sort((a, b) => a.length - b.length);
  for (const path of paths) {
    if (keep.hasDescendantOf(path)) continue;
    if (isKeyFieldOfItem(path)) continue;
    removePath(obj, path, schema, keep);
  }
  return obj;
}

function isKeyFieldOfItem(path: FieldPath): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (!last?.startsWith("f:") || !parent?.startsWith("k:")) return false;
  const key = JSON.parse(parent.slice(2)) as JsonObject;
  return last.slice(2) in key;
}

function removePath(root: JsonObject, path: FieldPath, schema: SchemaNode | undefined, keep: FieldSet): void {
  const trail: { container: JsonObject | unknown[]; at: string | number; path: FieldPath }[] = [];
  let node: unknown = root;
  let nodeSchema = schema;
  for (let i = 0; i < path.length; i++) {
    const element = path[i]!;
    let at: string | number;
    if (element.startsWith("f:")) {
      if (!isPlainObject(node)) return;
      at = element.slice(2);
      if (!(at in node)) return;
      trail.push({ container: node, at, path: path.slice(0, i + 1) });
      node = node[at];
      nodeSchema = childSchema(nodeSchema, at);
    } else {
      if (!Array.isArray(node)) return;
      const semantics = listSemanticsOf(nodeSchema);
      const list: unknown[] = node;
      at = list.findIndex((item, index) => itemElement(item, index, semantics) === element);
      if (at < 0) return;
      trail.push({ container: list, at, path: path.slice(0, i + 1) });
      node = list[at];
      nodeSchema = nodeSchema?.items;
    }
  }
  // Remove the target, then any struct it leaves empty (but never a top-level field).
  for (let i = trail.length - 1; i >= 0; i--) {
    const { container, at } = trail[i]!;
    if (Array.isArray(container)) container.splice(at as number, 1);
    else delete container[at as string];
    const parent = trail[i - 1];
    if (!parent || i - 1 === 0) break;
    const emptied = Array.isArray(container) ? container.length === 0 : Object.keys(container).length === 0;
    if (!emptied || keep.has(parent.path) || Array.isArray(container)) break;
  }
}
