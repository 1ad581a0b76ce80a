/**
 * Shared rules of ConfigMap and Secret payloads: keys that are valid file
 * names, no key in both `data` and `binaryData`, a 1 MiB total, and the
 * `immutable: true` freeze.
 */
import { field, type FieldError } from "../../../api/errors.js";
import { isConfigMapKey } from "../../../api/validation/names.js";

/** Upstream `MaxSecretSize` (also the ConfigMap limit): 1 MiB. */
export const maxDataSize = 1024 * 1024;

export function validateDataKeys(
  data: Record<string, string> | undefined,
  binaryData: Record<string, string> | undefined,
  binaryField: string,
): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [key, value] of Object.entries(data ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(field.invalid(`data[${key}]`, key, msg));
    size += String(value).length;
  }
  for (const [key, value] of Object.entries(binaryData ?? {})) {
    for (const msg of isConfigMapKey(key)) errs.push(field.invalid(`${binaryField}[${key}]`, key, msg));
    if (data && key in data) errs.push(field.invalid(`data[${key}]`, key, `duplicate of key present in ${binaryField}`));
    size += Math.floor((String(value).length * 3) / 4);
  }
  if (size > maxDataSize) {
    errs.push({ type: "FieldValueTooLong", field: "", value: "", detail: `must have at most ${maxDataSize} bytes` });
  }
  return errs;
}

interface Payload {
  immutable?: boolean;
  data?: Record<string, string>;
  binaryData?: Record<string, string>;
  stringData?: Record<string, string>;
}

/** Once `immutable` is true neither it nor the payload may change. */
export function validateImmutablePayload(next: Payload, prev: Payload): FieldError[] {
  if (prev.immutable !== true) return [];
  const errs: FieldError[] = [];
  if (next.immutable !== true) errs.push(field.forbidden("immutable", "field is immutable when `immutable` is set"));
  if (JSON.stringify(next.data ?? {}) !== JSON.stringify(prev.data ?? {})) {
    errs.push(field.forbidden("data", "field is immutable when `immutable` is set"));
  }
  if (JSON.stringify(next.binaryData ?? {}) !== JSON.stringify(prev.binaryData ?? {})) {
    errs.push(field.forbidden("binaryData", "field is immutable when `immutable` is set"));
  }
  return errs;
}
