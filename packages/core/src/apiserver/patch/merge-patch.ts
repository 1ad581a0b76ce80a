/**
 * JSON merge patch (RFC 7386), the `application/merge-patch+json` patch
 * type: objects merge recursively, `null` deletes a key, and every other
 * value — arrays included — replaces what was there. Used by kubectl for
 * custom resources and by `kubectl scale`.
 */
import { errors } from "../../api/errors.js";
import { isPlainObject } from "./json-value.js";

/** Returns the patched document; neither argument is changed. */
export function applyMergePatch(doc: unknown, patch: unknown): object {
  if (!isPlainObject(patch)) {
    throw errors.badRequest("a merge patch must be a JSON object");
  }
  return mergeValue(doc, patch) as object;
}

function mergeValue(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return structuredClone(patch);
  const result: Record<string, unknown> = isPlainObject(target) ? structuredClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}
