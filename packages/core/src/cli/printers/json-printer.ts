/** kubectl's JSON: keys sorted, four-space indent, trailing newline. */
export function printJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4) + "\n";
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}
