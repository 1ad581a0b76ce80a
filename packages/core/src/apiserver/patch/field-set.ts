/**
 * Field sets: which fields of an object a field manager owns, in the
 * upstream `FieldsV1` encoding that `metadata.managedFields` carries.
 *
 * A path is a list of path elements, as in structured-merge-diff:
 *   `f:<name>`   a field of an object (struct field or map key)
 *   `k:<json>`   an item of a map-type list, by its key fields
 *                (`k:{"name":"app"}`, `k:{"containerPort":80,"protocol":"TCP"}`)
 *   `v:<json>`   an item of a set-type list, by value (`v:"foregroundDeletion"`)
 *   `i:<n>`      an item by index (only for items a keyed list cannot name)
 *
 * Which paths are members follows upstream `ToFieldSet`: scalars, atomic
 * lists and maps, list items, map entries (keys an object does not declare
 * in its schema) and null or empty values. Struct fields that hold other
 * fields (`spec`, `spec.template`) are not members themselves; they appear
 * in FieldsV1 only as the way to their children. A member that also has
 * member children is written with a `".": {}` entry.
 *
 * System fields are never owned: `apiVersion`, `kind`, `status`, and
 * `metadata.{name, namespace, uid, resourceVersion, generation,
 * creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds,
 * managedFields, selfLink}`.
 */
import type { SchemaNode } from "../../api/schema.js";
import { isPlainObject, jsonEqual, type JsonObject } from "./json-value.js";
import { childSchema, isAtomicMap, isDeclaredField, listSemanticsOf, type ListSemantics } from "./schema-lookup.js";

export type PathElement = string;
export type FieldPath = readonly PathElement[];

const systemTopLevel = new Set(["apiVersion", "kind", "status"]);
const systemMetadata = new Set([
  "name",
  "namespace",
  "uid",
  "resourceVersion",
  "generation",
  "creationTimestamp",
  "deletionTimestamp",
  "deletionGracePeriodSeconds",
  "managedFields",
  "selfLink",
]);

const keyOf = (path: FieldPath): string => JSON.stringify(path);

/** An immutable-by-convention set of field paths. */
export class FieldSet {
  private readonly members = new Map<string, FieldPath>();

  constructor(paths: Iterable<FieldPath> = []) {
    for (const p of paths) this.members.set(keyOf(p), p);
  }

  get size(): number {
    return this.members.size;
  }

  isEmpty(): boolean {
    return this.members.size === 0;
  }

  has(path: FieldPath): boolean {
    return this.members.has(keyOf(path));
  }

  paths(): FieldPath[] {
    return [...this.members.values()];
  }

  add(path: FieldPath): void {
    this.members.set(keyOf(path), path);
  }

  union(other: FieldSet): FieldSet {
    return new FieldSet([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return new FieldSet(this.paths().filter((p) => other.has(p)));
  }

  equals(other: FieldSet): boolean {
    return this.size === other.size && this.paths().every((p) => other.has(p));
  }

  /** Whether some member lies strictly below `path`. */
  hasDescendantOf(path: FieldPath): boolean {
    return this.paths().some((p) => p.length > path.length && path.every((e, i) => p[i] === e));
  }

  /** The upstream `FieldsV1` JSON object. */
  toFieldsV1(): JsonObject {
    const root: JsonObject = {};
    const sorted = this.paths().sort((a, b) => a.length - b.length);
    for (const path of sorted) {
      let node = root;
      for (const element of path) {
        node[element] ??= {};
        node = node[element] as JsonObject;
      }
    }
    // Members with children carry ".".
    for (const path of sorted) {
      let node = root;
      for (const element of path) node = node[element] as JsonObject;
      if (Object.keys(node).some((k) => k !== ".")) node["."] = {};
    }
    return sortKeys(root);
  }

  static fromFieldsV1(fields: unknown): FieldSet {
    const set = new FieldSet();
    const visit = (node: unknown, path: PathElement[]): void => {
      if (!isPlainObject(node)) return;
      const keys = Object.keys(node);
      if (path.length > 0 && (keys.length === 0 || "." in node)) set.add([...path]);
      for (const k of keys) if (k !== ".") visit(node[k], [...path, k]);
    };
    visit(fields, []);
    return set;
  }
}

function sortKeys(node: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(node).sort()) out[k] = sortKeys(node[k] as JsonObject);
  return out;
}

/** The fields of an object and the values of its leaves, for ownership and comparison. */
export interface FieldInventory {
  set: FieldSet;
  /** Leaf member (scalar, atomic, null or empty) → its value. */
  leaves: Map<string, unknown>;
}

/** The member paths of `obj` and its leaf values (`ToFieldSet`, plus values for comparison). */
export function inventoryOf(obj: unknown, schema: SchemaNode | undefined): FieldInventory {
  const inv: FieldInventory = { set: new FieldSet(), leaves: new Map() };
  const leaf = (path: PathElement[], value: unknown) => {
    inv.set.add(path);
    inv.leaves.set(keyOf(path), value);
  };
  const walk = (value: unknown, node: SchemaNode | undefined, path: PathElement[]): void => {
    if (Array.isArray(value)) {
      const semantics = listSemanticsOf(node);
      if (semantics.type === "atomic") return leaf(path, value);
      value.forEach((item, index) => {
        const itemPath = [...path, itemElement(item, index, semantics)];
        walk(item, node?.items, itemPath);
        inv.set.add(itemPath);
      });
      return;
    }
    if (isPlainObject(value)) {
      if (isAtomicMap(node)) return leaf(path, value);
      for (const [key, v] of Object.entries(value)) {
        if (isSystemField(path, key)) continue;
        const childPath = [...path, `f:${key}`];
        walk(v, childSchema(node, key), childPath);
        if (v === null || (isPlainObject(v) && Object.keys(v).length === 0)) leaf(childPath, v);
        else if (!isDeclaredField(node, key)) inv.set.add(childPath);
      }
      return;
    }
    leaf(path, value);
  };
  walk(obj, schema, []);
  return inv;
}

function isSystemField(parent: PathElement[], key: string): boolean {
  if (parent.length === 0) return systemTopLevel.has(key);
  return parent.length === 1 && parent[0] === "f:metadata" && systemMetadata.has(key);
}

/** The path element naming `item` in a list with these semantics. */
export function itemElement(item: unknown, index: number, semantics: ListSemantics): PathElement {
  if (semantics.type === "set") return `v:${JSON.stringify(item)}`;
  if (semantics.type === "map" && isPlainObject(item)) {
    const key: JsonObject = {};
    for (const k of [...semantics.keys].sort()) if (item[k] !== undefined) key[k] = item[k];
    if (Object.keys(key).length > 0) return `k:${JSON.stringify(key)}`;
  }
  return `i:${index}`;
}

/** `ToFieldSet(obj)` in the FieldsV1 encoding. */
export function fieldSetOf(obj: unknown, schema: SchemaNode | undefined): JsonObject {
  return inventoryOf(obj, schema).set.toFieldsV1();
}

/** What changed between two versions of an object, path by path (upstream `typed.Comparison`). */
export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

export function compareObjects(before: unknown, after: unknown, schema: SchemaNode | undefined): Comparison {
  const a = inventoryOf(before, schema);
  const b = inventoryOf(after, schema);
  const modified = new FieldSet();
  for (const path of b.set.paths()) {
    if (!a.set.has(path)) continue;
    const k = keyOf(path);
    const inA = a.leaves.has(k);
    const inB = b.leaves.has(k);
    if (inA !== inB || (inA && !jsonEqual(a.leaves.get(k), b.leaves.get(k)))) modified.add(path);
  }
  return { added: b.set.difference(a.set), removed: a.set.difference(b.set), modified };
}

/**
 * A path as upstream prints it in conflict messages:
 * `.spec.template.spec.containers[name="app"].image`, `.metadata.finalizers[="x"]`.
 */
export function formatFieldPath(path: FieldPath): string {
  return path
    .map((element) => {
      const body = element.slice(2);
      switch (element.slice(0, 2)) {
        case "f:":
          return `.${body}`;
        case "k:": {
          const key = JSON.parse(body) as JsonObject;
          return `[${Object.entries(key)
            .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
            .join(",")}]`;
        }
        case "v:":
          return `[=${body}]`;
        case "i:":
          return `[${body}]`;
        default:
          return `.${element}`;
      }
    })
    .join("");
}
