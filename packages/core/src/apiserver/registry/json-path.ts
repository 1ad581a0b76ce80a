/**
 * The tiny JSONPath subset CRDs use for printer columns, selectable fields
 * and scale paths: `.a.b`, `.a[0].b`, `.a['dotted.key']`, optionally wrapped
 * in `{}`. Anything else (filters, wildcards, ranges) is rejected by
 * `parseJsonPath` so a CRD cannot ask for what Skiff would silently get wrong.
 */
export type JsonPathStep = string | number;

export function parseJsonPath(path: string): JsonPathStep[] | undefined {
  let p = path.trim();
  if (p.startsWith("{") && p.endsWith("}")) p = p.slice(1, -1).trim();
  if (p.startsWith("$")) p = p.slice(1);
  if (p === "" || p === ".") return [];
  const steps: JsonPathStep[] = [];
  const re = /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  let at = 0;
  while (at < p.length) {
    re.lastIndex = at;
    const m = re.exec(p);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    else steps.push((m[3] ?? m[4])!);
    at = re.lastIndex;
  }
  return steps;
}

/** The value at `path` in `obj`, or undefined when a step is missing or the path is unsupported. */
export function evaluateJsonPath(obj: unknown, path: string): unknown {
  const steps = parseJsonPath(path);
  if (!steps) return undefined;
  let cur: unknown = obj;
  for (const step of steps) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (typeof step === "number") {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (Array.isArray(cur)) return undefined;
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}
