/**
 * What the patch engines need to know about one node of a kind's schema:
 * the schema of a child field, how a list merges and how a map merges.
 * `undefined` means "no schema information here" (an unknown or
 * preserve-unknown-fields subtree); every answer then falls back to the
 * plain JSON behaviour (maps merge, lists are replaced as a whole).
 */
import type { SchemaNode } from "../../api/schema.js";

/** The schema of `key` inside an object node: a declared property, else the map's value schema. */
export function childSchema(node: SchemaNode | undefined, key: string): SchemaNode | undefined {
  if (!node) return undefined;
  const declared = node.properties?.[key];
  if (declared) return declared;
  return typeof node.additionalProperties === "object" ? node.additionalProperties : undefined;
}

/** Whether `key` is a declared property (a struct field) rather than a map entry. */
export function isDeclaredField(node: SchemaNode | undefined, key: string): boolean {
  return node?.properties?.[key] !== undefined;
}

export interface PatchMeta {
  /** `merge`, `replace` or "" (the default: replace lists, merge maps). */
  strategy: "merge" | "replace" | "";
  /** `x-kubernetes-patch-strategy` included `retainKeys`. */
  retainKeys: boolean;
  mergeKey: string;
}

/** Strategic-merge-patch metadata of a field, from `x-kubernetes-patch-*`. */
export function patchMetaOf(node: SchemaNode | undefined): PatchMeta {
  const parts = (node?.["x-kubernetes-patch-strategy"] ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const retainKeys = parts.includes("retainKeys");
  const rest = parts.filter((p) => p !== "retainKeys");
  const strategy = rest[0] === "merge" || rest[0] === "replace" ? rest[0] : "";
  return { strategy, retainKeys, mergeKey: node?.["x-kubernetes-patch-merge-key"] ?? "" };
}

export type ListSemantics = { type: "atomic" } | { type: "set" } | { type: "map"; keys: string[] };

/**
 * How server-side apply treats a list. `x-kubernetes-list-type` wins; for
 * built-in types without it, a `merge` patch strategy means a set (scalars)
 * or a map keyed by the merge key, as the OpenAPI → field-manager schema
 * conversion does upstream. Everything else is atomic.
 */
export function listSemanticsOf(node: SchemaNode | undefined): ListSemantics {
  const listType = node?.["x-kubernetes-list-type"];
  if (listType === "atomic") return { type: "atomic" };
  if (listType === "set") return { type: "set" };
  const meta = patchMetaOf(node);
  if (listType === "map") {
    const keys = node?.["x-kubernetes-list-map-keys"] ?? (meta.mergeKey ? [meta.mergeKey] : []);
    return keys.length ? { type: "map", keys } : { type: "atomic" };
  }
  if (meta.strategy === "merge") {
    return meta.mergeKey ? { type: "map", keys: [meta.mergeKey] } : { type: "set" };
  }
  return { type: "atomic" };
}

/** `x-kubernetes-map-type: atomic` objects are owned and replaced as a whole. */
export function isAtomicMap(node: SchemaNode | undefined): boolean {
  return node?.["x-kubernetes-map-type"] === "atomic";
}
