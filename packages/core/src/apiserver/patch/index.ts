/**
 * The API server's patch engines, one per PATCH content type, plus the
 * managed-fields bookkeeping that server-side apply and every other write
 * share.
 */
export { applyJsonPatch } from "./json-patch.js";
export { applyMergePatch } from "./merge-patch.js";
export { applyStrategicMergePatch } from "./strategic-merge-patch.js";
export { applyConfiguration, recordUpdate, type ApplyOptions, type UpdateOptions } from "./server-side-apply.js";
export { FieldSet, fieldSetOf, formatFieldPath, type FieldPath, type PathElement } from "./field-set.js";

export type PatchType = "json" | "merge" | "strategic" | "apply";

const patchTypes: Record<string, PatchType> = {
  "application/json-patch+json": "json",
  "application/merge-patch+json": "merge",
  "application/strategic-merge-patch+json": "strategic",
  "application/apply-patch+yaml": "apply",
  "application/apply-patch+json": "apply",
};

/** The patch type of a PATCH request's Content-Type (parameters ignored), or undefined if unsupported. */
export function patchTypeFromContentType(contentType: string | undefined): PatchType | undefined {
  if (!contentType) return undefined;
  const mediaType = contentType.split(";")[0]!.trim().toLowerCase();
  return patchTypes[mediaType];
}
