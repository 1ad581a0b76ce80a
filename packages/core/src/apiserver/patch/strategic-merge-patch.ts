/**
 * Strategic merge patch, the `application/strategic-merge-patch+json` patch
 * type that `kubectl apply` (client side), `kubectl edit`, `label`, `set
 * image` and `rollout restart` send for built-in kinds.
 *
 * A port of apimachinery's `strategicpatch.StrategicMergeMapPatch` (with
 * `MergeParallelList` and `IgnoreUnmatchedNulls` on, as the API server runs
 * it), reading patch metadata from the kind's schema instead of Go struct
 * tags:
 *
 * - maps merge recursively; `null` deletes a key;
 * - a list whose field has patch strategy `merge` merges item by item on its
 *   merge key (maps) or as a union (scalars); every other list is replaced;
 * - directives: `$patch: replace|delete|merge` on maps, `$patch: delete` and
 *   `$patch: replace` as list items, `$retainKeys`,
 *   `$deleteFromPrimitiveList/<field>` and `$setElementOrder/<field>`;
 * - merged lists are ordered like `normalizeElementOrder` does upstream: the
 *   patch's (or `$setElementOrder`'s) order for the items it names, the live
 *   order for the others, interleaved by their live positions.
 *
 * Where the schema says nothing (unknown or preserve-unknown-fields
 * subtrees) the patch behaves as a JSON merge patch. Directive keys are
 * consumed, never stored. Malformed patches are 400 BadRequest.
 */
import type { SchemaNode } from "../../api/schema.js";
import { errors } from "../../api/errors.js";
import { isPlainObject, type JsonObject } from "./json-value.js";
import { childSchema, patchMetaOf } from "./schema-lookup.js";

const directiveMarker = "$patch";
const retainKeysDirective = "$retainKeys";
const deleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList";
const setElementOrderPrefix = "$setElementOrder";

type ElementKind = "map" | "scalar";

/** Returns the patched document; neither `doc` nor `patch` is changed. */
export function applyStrategicMergePatch(doc: unknown, patch: unknown, schema: SchemaNode | undefined): object {
  if (!isPlainObject(patch)) throw errors.badRequest("a strategic merge patch must be a JSON object");
  const original = isPlainObject(doc) ? structuredClone(doc) : {};
  return mergeMap(original, structuredClone(patch), schema);
}

function bad(message: string): Error {
  return errors.badRequest(`invalid strategic merge patch: ${message}`);
}

/** Merges `patch` into `original` (both owned by us and changed in place). */
function mergeMap(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): JsonObject {
  if (directiveMarker in patch) {
    const directive = patch[directiveMarker];
    delete patch[directiveMarker];
    switch (directive) {
      case "replace":
        // The patch becomes the value, with its own directives still honoured.
        return mergeMap({}, patch, schema);
      case "delete":
        return {};
      case "merge":
        break;
      default:
        throw bad(`unknown patch type ${JSON.stringify(directive)} in ${JSON.stringify(patch)}`);
    }
  }

  applyRetainKeys(original, patch);
  mergeSetElementOrderLists(original, patch, schema);

  for (const [patchKey, patchValue] of Object.entries(patch)) {
    let key = patchKey;
    let isDeleteList = false;
    if (patchKey.startsWith(deleteFromPrimitiveListPrefix)) {
      key = extractKey(patchKey, deleteFromPrimitiveListPrefix);
      isDeleteList = true;
      if (!Array.isArray(patchValue)) throw bad(`${patchKey} must be a list`);
    }
    if (patchValue === null) {
      delete original[key];
      continue;
    }
    const fieldSchema = childSchema(schema, key);
    if (!(key in original) || kindOf(original[key]) !== kindOf(patchValue)) {
      // Nothing to merge with: take the patch value, minus its directives and nulls.
      if (!isDeleteList) original[key] = fresh(patchValue, fieldSchema);
      continue;
    }
    const originalValue = original[key];
    const meta = patchMetaOf(fieldSchema);
    if (isPlainObject(originalValue) && isPlainObject(patchValue)) {
      original[key] = meta.strategy === "replace" ? fresh(patchValue, fieldSchema) : mergeMap(originalValue, patchValue, fieldSchema);
    } else if (Array.isArray(originalValue) && Array.isArray(patchValue)) {
      original[key] = mergeListField(originalValue, patchValue, fieldSchema, isDeleteList);
    } else {
      original[key] = patchValue;
    }
  }
  return original;
}

function kindOf(value: unknown): "map" | "list" | "scalar" {
  if (Array.isArray(value)) return "list";
  return isPlainObject(value) ? "map" : "scalar";
}

/** A patch value placed where nothing was: directives applied against nothing, nulls dropped. */
function fresh(value: unknown, schema: SchemaNode | undefined): unknown {
  if (isPlainObject(value)) return mergeMap({}, value, schema);
  if (Array.isArray(value)) return mergeListField([], value, schema, false);
  return value;
}

/** Merges two lists found under the same key, following the field's patch strategy. */
function mergeListField(original: unknown[], patch: unknown[], fieldSchema: SchemaNode | undefined, isDeleteList: boolean): unknown[] {
  const meta = patchMetaOf(fieldSchema);
  const itemSchema = fieldSchema?.items;
  if (isDeleteList) return deleteFromList(original, patch);
  if (meta.strategy !== "merge") {
    return patch.map((item) => (isPlainObject(item) ? mergeMap({}, item, itemSchema) : item));
  }
  return mergeList(original, patch, itemSchema, meta.mergeKey);
}

function deleteFromList(current: unknown[], toDelete: unknown[]): unknown[] {
  const drop = new Set(toDelete);
  return current.filter((v) => !drop.has(v));
}

function elementKind(...lists: unknown[][]): ElementKind | undefined {
  let kind: ElementKind | undefined;
  for (const list of lists) {
    for (const item of list) {
      if (Array.isArray(item)) throw bad("lists of lists are not supported");
      const k: ElementKind = isPlainObject(item) ? "map" : "scalar";
      if (kind && kind !== k) throw bad(`list element types are not identical: ${JSON.stringify(lists)}`);
      kind = k;
    }
  }
  return kind;
}

/** `mergeSlice` upstream: a list with patch strategy `merge`. */
function mergeList(original: unknown[], patch: unknown[], itemSchema: SchemaNode | undefined, mergeKey: string): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = elementKind(original, patch);
  if (kind === "scalar") {
    const merged = dedupe([...original, ...patch]);
    const [patchItems, serverOnly] = partition(merged, patch, "", "scalar");
    return normalizeElementOrder(patchItems, serverOnly, patch, original, "", "scalar");
  }
  if (!mergeKey) throw bad("cannot merge lists of objects without a merge key");
  const [kept, plainPatch] = applyListItemDirectives(original as JsonObject[], patch as JsonObject[], mergeKey);
  const merged: unknown[] = [...kept];
  for (const item of plainPatch) {
    if (!(mergeKey in item)) throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
    const at = indexByKey(merged, mergeKey, item[mergeKey]);
    if (at >= 0) merged[at] = mergeMap(merged[at] as JsonObject, item, itemSchema);
    else merged.push(mergeMap({}, item, itemSchema));
  }
  const [patchItems, serverOnly] = partition(merged, plainPatch, mergeKey, "map");
  return normalizeElementOrder(patchItems, serverOnly, plainPatch, kept, mergeKey, "map");
}

/**
 * Handles list items carrying `$patch`: `delete` removes the live items with
 * that merge key, `replace` makes the other patch items the whole list.
 * Returns the (possibly reduced) original and the patch without them.
 */
function applyListItemDirectives(original: JsonObject[], patch: JsonObject[], mergeKey: string): [JsonObject[], JsonObject[]] {
  const plain: JsonObject[] = [];
  let replace = false;
  let kept = original;
  for (const item of patch) {
    if (!(directiveMarker in item)) {
      plain.push(item);
      continue;
    }
    switch (item[directiveMarker]) {
      case "delete": {
        if (!(mergeKey in item)) throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
        const value = item[mergeKey];
        kept = kept.filter((o) => o[mergeKey] !== value);
        break;
      }
      case "replace":
        replace = true;
        break;
      case "merge":
        throw bad("merging lists cannot yet be specified in the patch");
      default:
        throw bad(`unknown patch type ${JSON.stringify(item[directiveMarker])} in ${JSON.stringify(item)}`);
    }
  }
  // With replace, the patch items become the list and there is nothing left to merge.
  if (replace) return [plain, []];
  return [kept, plain];
}

function dedupe(values: unknown[]): unknown[] {
  const seen = new Set<unknown>();
  return values.filter((v) => (seen.has(v) ? false : (seen.add(v), true)));
}

function indexByKey(list: unknown[], mergeKey: string, value: unknown): number {
  return list.findIndex((item) => isPlainObject(item) && mergeKey in item && item[mergeKey] === value);
}

function identity(item: unknown, mergeKey: string, kind: ElementKind): unknown {
  return kind === "map" ? (isPlainObject(item) ? item[mergeKey] : undefined) : item;
}

/** Position of `item` in `list`, comparing merge-key values for maps, values for scalars. */
function indexOf(list: unknown[], item: unknown, mergeKey: string, kind: ElementKind): number {
  const id = identity(item, mergeKey, kind);
  return list.findIndex((v) => identity(v, mergeKey, kind) === id);
}

/** Splits `merged` into the items named in `by` and the others, keeping order. */
function partition(merged: unknown[], by: unknown[], mergeKey: string, kind: ElementKind): [unknown[], unknown[]] {
  const named: unknown[] = [];
  const others: unknown[] = [];
  for (const item of merged) (indexOf(by, item, mergeKey, kind) >= 0 ? named : others).push(item);
  return [named, others];
}

/**
 * Sorts the patch items by `patchOrder` and the server-only items by
 * `serverOrder`, then interleaves them: each server-only item goes before
 * the first patch item that comes after it in the live list. The relative
 * order within each group is always kept.
 */
function normalizeElementOrder(
  patchItems: unknown[],
  serverOnly: unknown[],
  patchOrder: unknown[],
  serverOrder: unknown[],
  mergeKey: string,
  kind: ElementKind,
): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey, kind);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey, kind);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexOf(serverOrder, left[i], mergeKey, kind);
      const ri = indexOf(serverOrder, right[j], mergeKey, kind);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

/** Stable sort of the items found in `order` by their position there; items not found keep their slots. */
function sortByOrder(items: unknown[], order: unknown[], mergeKey: string, kind: ElementKind): unknown[] {
  if (kind === "map") {
    for (const item of [...items, ...order]) {
      if (!isPlainObject(item) || !(mergeKey in item)) {
        throw bad(`map: ${JSON.stringify(item)} does not contain declared merge key: ${mergeKey}`);
      }
    }
  }
  const slots: number[] = [];
  const found: { item: unknown; at: number }[] = [];
  items.forEach((item, slot) => {
    const at = indexOf(order, item, mergeKey, kind);
    if (at >= 0) {
      slots.push(slot);
      found.push({ item, at });
    }
  });
  found.sort((a, b) => a.at - b.at);
  const out = [...items];
  slots.forEach((slot, n) => (out[slot] = found[n]!.item));
  return out;
}

/**
 * `$retainKeys: [..]` clears every key of the original that is not listed;
 * every key the patch sets must be listed.
 */
function applyRetainKeys(original: JsonObject, patch: JsonObject): void {
  if (!(retainKeysDirective in patch)) return;
  const list = patch[retainKeysDirective];
  delete patch[retainKeysDirective];
  if (!Array.isArray(list)) throw bad(`${retainKeysDirective} must be a list of field names`);
  const retained = new Set(list);
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(deleteFromPrimitiveListPrefix) || k.startsWith(setElementOrderPrefix)) continue;
    if (!retained.has(k)) throw bad(`field ${JSON.stringify(k)} is set but missing from the ${retainKeysDirective} list`);
  }
  for (const k of Object.keys(original)) if (!retained.has(k)) delete original[k];
}

function extractKey(key: string, prefix: string): string {
  const slash = key.indexOf("/");
  if (slash < 0 || key.slice(0, slash) !== prefix || slash === key.length - 1) {
    throw bad(`bad directive key ${JSON.stringify(key)}: expected ${prefix}/<field>`);
  }
  return key.slice(slash + 1);
}

/**
 * `$setElementOrder/<field>` (kubectl sends it beside every merged list):
 * merges that list here, then orders it — the listed items in the listed
 * order, the others where the live list had them. Merged lists are removed
 * from the patch so the main loop does not merge them twice.
 */
function mergeSetElementOrderLists(original: JsonObject, patch: JsonObject, schema: SchemaNode | undefined): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(setElementOrderPrefix)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw bad(`${key} must be a list`);
    const field = extractKey(key, setElementOrderPrefix);
    const fieldSchema = childSchema(schema, field);
    const meta = patchMetaOf(fieldSchema);

    const originalValue = original[field];
    const patchValue = patch[field];
    const foundOriginal = originalValue !== undefined && originalValue !== null;
    const foundPatch = patchValue !== undefined && patchValue !== null;
    if (foundOriginal && !Array.isArray(originalValue)) throw bad(`${field} is not a list in the object`);
    if (foundPatch && !Array.isArray(patchValue)) throw bad(`${field} must be a list to use ${key}`);
    const originalList = (foundOriginal ? originalValue : []) as unknown[];
    const patchList = (foundPatch ? patchValue : []) as unknown[];
    validatePatchWithOrder(patchList, order, meta.mergeKey);

    let merged: unknown[];
    if (foundOriginal && !foundPatch) merged = originalList;
    else if (!foundOriginal && foundPatch) merged = mergeListField([], patchList, fieldSchema, false);
    else if (foundOriginal && foundPatch) merged = mergeListField(originalList, patchList, fieldSchema, false);
    else continue;

    const kind = elementKind(originalList, patchList);
    if (meta.strategy === "merge" && kind && !(kind === "map" && !meta.mergeKey)) {
      const [named, others] = partition(merged, order, meta.mergeKey, kind);
      merged = normalizeElementOrder(named, others, order, originalList, meta.mergeKey, kind);
    }
    original[field] = merged;
    if (foundPatch) delete patch[field];
  }
}

/** The items of the patch list must appear in the `$setElementOrder` list, in the same relative order. */
function validatePatchWithOrder(patchList: unknown[], order: unknown[], mergeKey: string): void {
  if (order.length === 0 || patchList.length === 0) return;
  const kind: ElementKind = mergeKey ? "map" : "scalar";
  const items = patchList.filter((item) => !(isPlainObject(item) && directiveMarker in item));
  let p = 0;
  let o = 0;
  while (p < items.length && o < order.length) {
    if (kind === "map" && (!isPlainObject(order[o]) || !(mergeKey in (order[o] as JsonObject)))) {
      throw bad(`map: ${JSON.stringify(order[o])} does not contain declared merge key: ${mergeKey}`);
    }
    if (identity(items[p], mergeKey, kind) === identity(order[o], mergeKey, kind)) p++;
    o++;
  }
  if (p < items.length) {
    throw bad(`the order in patch list ${JSON.stringify(patchList)} doesn't match ${setElementOrderPrefix} list ${JSON.stringify(order)}`);
  }
}
