/**
 * The part of kubectl's JSONPath templates people use:
 *
 *   {.metadata.name}  {.items[*].metadata.name}  {.items[0]}  {['a.b']}
 *   {.status.conditions[?(@.type=="Ready")].status}   {.items[1:3]}
 *   {range .items[*]}{.metadata.name}{"\n"}{end}
 *
 * Several results of one expression print space-separated; strings print
 * raw, everything else as JSON. A path that matches nothing prints nothing
 * (kubectl's --allow-missing-template-keys default).
 */

type Node =
  | { type: "text"; text: string }
  | { type: "path"; segments: Segment[] }
  | { type: "range"; segments: Segment[]; body: Node[] };

type Segment =
  | { type: "root" }
  | { type: "field"; name: string }
  | { type: "wildcard" }
  | { type: "index"; index: number }
  | { type: "slice"; start?: number; end?: number }
  | { type: "filter"; path: Segment[]; op?: "==" | "!="; value?: unknown }
  | { type: "recursive"; name: string };

export class JsonPathError extends Error {
  override readonly name = "JsonPathError";
}

/** Parses once; the returned function renders any number of inputs. */
export function compileJsonPath(template: string): (input: unknown) => string {
  const nodes = parseTemplate(template);
  return (input) => render(nodes, input, input);
}

export function jsonPath(template: string, input: unknown): string {
  return compileJsonPath(template)(input);
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf("{", i);
    if (open < 0) {
      stack[stack.length - 1]!.push({ type: "text", text: template.slice(i) });
      break;
    }
    if (open > i) stack[stack.length - 1]!.push({ type: "text", text: template.slice(i, open) });
    const close = findClose(template, open);
    const expr = template.slice(open + 1, close).trim();
    i = close + 1;
    const top = stack[stack.length - 1]!;
    if (expr.startsWith('"') || expr.startsWith("'")) {
      top.push({ type: "text", text: unquote(expr) });
    } else if (expr === "end") {
      if (stack.length === 1) throw new JsonPathError("not in range, nothing to end");
      stack.pop();
    } else if (/^range\s/.test(expr)) {
      const node: Node = { type: "range", segments: parsePath(expr.slice(5).trim()), body: [] };
      top.push(node);
      stack.push(node.body);
    } else {
      top.push({ type: "path", segments: parsePath(expr) });
    }
  }
  if (stack.length > 1) throw new JsonPathError("unclosed range");
  return root;
}

/** The `}` that ends the expression opened at `open`, skipping quoted text. */
function findClose(s: string, open: number): number {
  let quote = "";
  for (let i = open + 1; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "}") return i;
  }
  throw new JsonPathError(`unclosed action in ${JSON.stringify(s)}`);
}

function unquote(s: string): string {
  const q = s[0]!;
  if (s[s.length - 1] !== q) throw new JsonPathError(`unterminated string ${s}`);
  const inner = s.slice(1, -1);
  return inner.replace(/\\(.)/g, (_, c: string) => ({ n: "\n", t: "\t", r: "\r" })[c] ?? c);
}

function parsePath(expr: string): Segment[] {
  const segments: Segment[] = [];
  let i = 0;
  if (expr[0] === "$") {
    segments.push({ type: "root" });
    i = 1;
  } else if (expr[0] === "@") {
    i = 1;
  }
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === "." && expr[i + 1] === ".") {
      const m = /^[A-Za-z0-9_\-$]+/.exec(expr.slice(i + 2));
      if (!m) throw new JsonPathError(`bad recursive descent in ${expr}`);
      segments.push({ type: "recursive", name: m[0] });
      i += 2 + m[0].length;
    } else if (c === ".") {
      if (expr[i + 1] === "*") {
        segments.push({ type: "wildcard" });
        i += 2;
        continue;
      }
      const m = /^[A-Za-z0-9_\-$/]*/.exec(expr.slice(i + 1))!;
      if (m[0]) segments.push({ type: "field", name: m[0] });
      i += 1 + m[0].length;
    } else if (c === "[") {
      const end = findBracket(expr, i);
      segments.push(parseBracket(expr.slice(i + 1, end).trim(), expr));
      i = end + 1;
    } else if (/\s/.test(c)) {
      i++;
    } else {
      const m = /^[A-Za-z0-9_\-$]+/.exec(expr.slice(i));
      if (!m) throw new JsonPathError(`unrecognized character in action: ${JSON.stringify(c)} (${expr})`);
      segments.push({ type: "field", name: m[0] });
      i += m[0].length;
    }
  }
  return segments;
}

function findBracket(s: string, open: number): number {
  let depth = 0;
  let quote = "";
  for (let i = open; i < s.length; i++) {
    const c = s[i]!;
    if (quote) {
      if (c === "\\") i++;
      else if (c === quote) quote = "";
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "[") depth++;
    else if (c === "]" && --depth === 0) return i;
  }
  throw new JsonPathError(`unterminated array in ${s}`);
}

function parseBracket(inner: string, expr: string): Segment {
  if (inner === "*") return { type: "wildcard" };
  if (/^-?\d+$/.test(inner)) return { type: "index", index: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice) {
    return {
      type: "slice",
      ...(slice[1] ? { start: Number(slice[1]) } : {}),
      ...(slice[2] ? { end: Number(slice[2]) } : {}),
    };
  }
  if (/^(['"]).*\1$/.test(inner)) return { type: "field", name: unquote(inner) };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter) {
    const body = filter[1]!.trim();
    const cmp = /^(.*?)\s*(==|!=)\s*(.*)$/.exec(body);
    if (!cmp) return { type: "filter", path: parsePath(body) };
    const raw = cmp[3]!.trim();
    const value = /^(['"]).*\1$/.test(raw) ? unquote(raw) : raw === "true" ? true : raw === "false" ? false : Number(raw);
    return { type: "filter", path: parsePath(cmp[1]!.trim()), op: cmp[2] as "==" | "!=", value };
  }
  throw new JsonPathError(`unsupported array expression [${inner}] in ${expr}`);
}

function evaluate(segments: Segment[], current: unknown, root: unknown): unknown[] {
  let values: unknown[] = [current];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of values) {
      switch (seg.type) {
        case "root":
          next.push(root);
          break;
        case "field":
          if (v && typeof v === "object" && !Array.isArray(v) && seg.name in v) next.push((v as Record<string, unknown>)[seg.name]);
          break;
        case "wildcard":
          if (Array.isArray(v)) next.push(...v);
          else if (v && typeof v === "object") next.push(...Object.values(v));
          break;
        case "index":
          if (Array.isArray(v)) {
            const item = v[seg.index < 0 ? v.length + seg.index : seg.index];
            if (item !== undefined) next.push(item);
          }
          break;
        case "slice":
          if (Array.isArray(v)) next.push(...v.slice(seg.start ?? 0, seg.end ?? v.length));
          break;
        case "filter":
          if (Array.isArray(v)) {
            for (const item of v) {
              const found = evaluate(seg.path, item, root);
              const keep = seg.op === undefined ? found.length > 0 : found.some((f) => f === seg.value) === (seg.op === "==");
              if (keep) next.push(item);
            }
          }
          break;
        case "recursive":
          collect(v, seg.name, next);
          break;
      }
    }
    values = next;
  }
  return values;
}

function collect(v: unknown, name: string, out: unknown[]): void {
  if (Array.isArray(v)) for (const x of v) collect(x, name, out);
  else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      if (k === name) out.push(x);
      collect(x, name, out);
    }
  }
}

function render(nodes: Node[], current: unknown, root: unknown): string {
  let out = "";
  for (const node of nodes) {
    if (node.type === "text") out += node.text;
    else if (node.type === "path") out += evaluate(node.segments, current, root).map(formatValue).join(" ");
    else {
      for (const v of evaluate(node.segments, current, root)) {
        const items = Array.isArray(v) ? v : [v];
        for (const item of items) out += render(node.body, item, root);
      }
    }
  }
  return out;
}

function formatValue(v: unknown): string {
  if (typeof v === "string") return v;
  if (v === null || v === undefined) return "";
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}
