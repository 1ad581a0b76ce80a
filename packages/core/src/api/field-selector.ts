/**
 * Field selectors: the `fieldSelector` query string, e.g.
 * `metadata.name=web,status.phase!=Running`.
 *
 * Terms are separated by commas and all must hold. Operators are `=`, `==`
 * (the same) and `!=`; anything else is a 400 BadRequest. In values, `\`,
 * `,` and `=` must be escaped with a backslash, as upstream. Whether a field
 * may be selected on is the API server's business (`field label not
 * supported: X`); `fieldsUsed` tells it which fields a selector names.
 */
import { errors } from "./errors.js";

export interface FieldRequirement {
  field: string;
  operator: "=" | "!=";
  value: string;
}

export interface FieldSelector {
  /** `fields` maps each selectable field to the object's value for it; a missing field reads as "". */
  matches(fields: Record<string, string>): boolean;
  requirements: FieldRequirement[];
  toString(): string;
  empty: boolean;
}

export function parseFieldSelector(selector: string): FieldSelector {
  const requirements: FieldRequirement[] = [];
  for (const term of splitTerms(selector).sort()) {
    if (term === "") continue;
    const split = splitTerm(term);
    if (!split) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${term}'`);
    const [field, op, rawValue] = split;
    requirements.push({ field, operator: op === "!=" ? "!=" : "=", value: unescapeValue(rawValue, selector) });
  }
  const text = requirements.map((r) => `${r.field}${r.operator}${escapeValue(r.value)}`).join(",");
  return {
    matches: (fields) =>
      requirements.every((r) => {
        const actual = fields[r.field] ?? "";
        return r.operator === "=" ? actual === r.value : actual !== r.value;
      }),
    requirements,
    toString: () => text,
    empty: requirements.length === 0,
  };
}

/** The field names a selector uses, each once. */
export function fieldsUsed(selector: FieldSelector): string[] {
  return [...new Set(selector.requirements.map((r) => r.field))];
}

/** Escapes `\`, `,` and `=` for use as a value in a field selector. */
export function escapeValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Splits on commas that are not escaped. */
function splitTerms(selector: string): string[] {
  if (selector === "") return [];
  const terms: string[] = [];
  let start = 0;
  let escaped = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (escaped) escaped = false;
    else if (c === "\\") escaped = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const termOperators = ["!=", "==", "="] as const;

/** The first operator found from the left splits the term. */
function splitTerm(term: string): [string, (typeof termOperators)[number], string] | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of termOperators) {
      if (term.startsWith(op, i)) return [term.slice(0, i), op, term.slice(i + op.length)];
    }
  }
  return undefined;
}

function unescapeValue(value: string, selector: string): string {
  let out = "";
  let escaped = false;
  for (const c of value) {
    if (escaped) {
      if (c !== "\\" && c !== "," && c !== "=") {
        throw errors.badRequest(`invalid field selector: '${selector}': invalid escape sequence: \\${c}`);
      }
      out += c;
      escaped = false;
    } else if (c === "\\") escaped = true;
    else if (c === "," || c === "=") {
      throw errors.badRequest(`invalid field selector: '${selector}': invalid selector: unescaped character '${c}' in value`);
    } else out += c;
  }
  if (escaped) throw errors.badRequest(`invalid field selector: '${selector}': invalid escape sequence: \\`);
  return out;
}
