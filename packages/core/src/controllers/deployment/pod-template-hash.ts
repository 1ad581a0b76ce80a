/**
 * The `pod-template-hash`: a short, stable name for a pod template, used as
 * the suffix of a deployment's replica set (`web-7d4b9c8f5`) and as a label
 * on it, its selector and its pods, so replica sets of one deployment never
 * select each other's pods.
 *
 * Like upstream's `ComputeHash`: FNV-32a over the template (here its
 * canonical JSON, keys sorted), then `collisionCount` (4 bytes,
 * little-endian) when set, rendered as the decimal number with every digit
 * mapped into a vowel-free alphabet (`rand.SafeEncodeString`), so a hash
 * never spells a word and is a valid DNS label.
 */
import type { PodTemplateSpec } from "../../api/index.js";

export const podTemplateHashLabel = "pod-template-hash";

const safeAlphabet = "bcdfghjklmnpqrstvwxz2456789";

export function computeHash(template: Readonly<PodTemplateSpec> | undefined, collisionCount?: number): string {
  let hash = 0x811c9dc5;
  const feed = (bytes: Uint8Array) => {
    for (const b of bytes) {
      hash ^= b;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  };
  feed(new TextEncoder().encode(canonicalJson(template ?? {})));
  if (collisionCount !== undefined && collisionCount !== null) {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, collisionCount >>> 0, true);
    feed(bytes);
  }
  return safeEncode(String(hash >>> 0));
}

/** Upstream's `rand.SafeEncodeString`. */
export function safeEncode(s: string): string {
  let out = "";
  for (const ch of s) out += safeAlphabet[ch.codePointAt(0)! % safeAlphabet.length];
  return out;
}

/** JSON with object keys sorted and undefined members left out: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
  return out;
}

/**
 * Upstream's `EqualIgnoreHash`: the templates are equal once the
 * `pod-template-hash` label is taken out of both (a replica set's template
 * carries it, its deployment's does not).
 */
export function templatesEqualIgnoringHash(a: Readonly<PodTemplateSpec> | undefined, b: Readonly<PodTemplateSpec> | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

function withoutHash(t: Readonly<PodTemplateSpec> | undefined): unknown {
  const copy = structuredClone(t ?? {}) as { metadata?: { labels?: Record<string, string> } };
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[podTemplateHashLabel];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  if (copy.metadata && Object.keys(copy.metadata).length === 0) delete copy.metadata;
  return copy;
}
