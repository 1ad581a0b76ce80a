/**
 * Label selectors: the `labelSelector` query string syntax and the
 * `metav1.LabelSelector` struct, both turned into one matcher.
 *
 *   a=b  a==b  a!=b          equality (a!=b also matches objects without a)
 *   a in (x,y)  a notin (x)  set membership (notin also matches objects without a)
 *   a  !a                    existence
 *   a>1  a<1                 integer comparison (as upstream, rarely used)
 *
 * Requirements are separated by commas and all must hold; whitespace
 * between tokens is ignored. Keys must be valid label keys and values
 * valid label values; anything else is a 400 BadRequest naming the problem,
 * like upstream's `unable to parse requirement: ...`.
 */
import { errors } from "./errors.js";

export type SelectorOperator = "=" | "==" | "!=" | "in" | "notin" | "exists" | "!" | "gt" | "lt";

export interface Requirement {
  key: string;
  operator: SelectorOperator;
  /** Sorted; empty for `exists` and `!`. */
  values: string[];
}

export interface LabelSelector {
  matches(labels: Record<string, string> | undefined): boolean;
  /** The canonical string form (requirements sorted by key), "" for everything. */
  toString(): string;
  requirements: Requirement[];
  /** Selects every object (no requirements). */
  empty: boolean;
}

/** `metav1.LabelSelector`. */
export interface LabelSelectorStruct {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/** Parses the query-string syntax; "" selects everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  const requirements = new Parser(selector).parse();
  return selectorOf(requirements);
}

/**
 * `LabelSelectorAsSelector`: a missing selector selects nothing, an empty
 * one selects everything.
 */
export function labelSelectorFromStruct(sel: LabelSelectorStruct | null | undefined): LabelSelector {
  if (sel === null || sel === undefined) return nothing;
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) {
    requirements.push(requirement(key, "=", [value]));
  }
  for (const expr of sel.matchExpressions ?? []) {
    const values = expr.values ?? [];
    switch (expr.operator) {
      case "In":
      case "NotIn":
        if (values.length === 0) {
          throw errors.badRequest(`values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty`);
        }
        requirements.push(requirement(expr.key, expr.operator === "In" ? "in" : "notin", values));
        break;
      case "Exists":
      case "DoesNotExist":
        if (values.length > 0) {
          throw errors.badRequest(`values: Invalid value: ${JSON.stringify(values)}: values set must be empty for exists and does not exist`);
        }
        requirements.push(requirement(expr.key, expr.operator === "Exists" ? "exists" : "!", []));
        break;
      default:
        throw errors.badRequest(`${JSON.stringify(expr.operator)} is not a valid label selector operator`);
    }
  }
  return selectorOf(requirements);
}

/** The string form of a selector struct (`a=b,c in (x,y)`), as Scale's `status.selector` carries it. */
export function formatLabelSelector(sel: LabelSelectorStruct | null | undefined): string {
  return labelSelectorFromStruct(sel).toString();
}

const nothing: LabelSelector = {
  matches: () => false,
  toString: () => "",
  requirements: [],
  empty: false,
};

function selectorOf(requirements: Requirement[]): LabelSelector {
  const sorted = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const text = sorted.map(formatRequirement).join(",");
  return {
    matches: (labels) => sorted.every((r) => matchesRequirement(r, labels ?? {})),
    toString: () => text,
    requirements: sorted,
    empty: sorted.length === 0,
  };
}

function matchesRequirement(r: Requirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels[r.key]! : "";
  switch (r.operator) {
    case "=":
    case "==":
    case "in":
      return has && r.values.includes(value);
    case "!=":
    case "notin":
      return !has || !r.values.includes(value);
    case "exists":
      return has;
    case "!":
      return !has;
    case "gt":
    case "lt": {
      if (!has || !/^-?\d+$/.test(value)) return false;
      const n = Number(value);
      const bound = Number(r.values[0]);
      return r.operator === "gt" ? n > bound : n < bound;
    }
  }
}

function formatRequirement(r: Requirement): string {
  switch (r.operator) {
    case "exists":
      return r.key;
    case "!":
      return `!${r.key}`;
    case "=":
    case "==":
    case "!=":
      return `${r.key}${r.operator}${r.values[0] ?? ""}`;
    case "in":
    case "notin":
      return `${r.key} ${r.operator} (${r.values.join(",")})`;
    case "gt":
      return `${r.key}>${r.values[0]}`;
    case "lt":
      return `${r.key}<${r.values[0]}`;
  }
}

function fail(detail: string): never {
  throw errors.badRequest(`unable to parse requirement: ${detail}`);
}

/** A validated requirement; values are de-duplicated and sorted as upstream. */
function requirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const keyProblem = labelKeyProblem(key);
  if (keyProblem) fail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyProblem}`);
  if ((operator === "=" || operator === "==" || operator === "!=") && values.length !== 1) {
    fail(`values: Invalid value: ${JSON.stringify(values)}: exact-match compatibility requires one single value`);
  }
  if (operator === "gt" || operator === "lt") {
    if (values.length !== 1 || !/^-?\d+$/.test(values[0]!)) {
      fail(`values: Invalid value: ${JSON.stringify(values)}: for 'Gt', 'Lt' operators, exactly one integer value is required`);
    }
  } else {
    values.forEach((v, i) => {
      const problem = labelValueProblem(v);
      if (problem) fail(`values[${i}][${key}]: Invalid value: ${JSON.stringify(v)}: ${problem}`);
    });
  }
  return { key, operator, values: [...new Set(values)].sort() };
}

const nameRe = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomainRe = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameMessage =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

/** Why `key` is not a valid label key (a qualified name), or undefined. */
export function labelKeyProblem(key: string): string | undefined {
  const parts = key.split("/");
  let name = key;
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string];
    if (prefix.length === 0) return "prefix part must be non-empty";
    if (prefix.length > 253) return "prefix part must be no more than 253 characters";
    if (!dnsSubdomainRe.test(prefix)) {
      return "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    }
    name = rest;
  } else if (parts.length > 2) {
    return "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/'";
  }
  if (name.length === 0) return "name part must be non-empty";
  if (name.length > 63) return "name part must be no more than 63 characters";
  if (!nameRe.test(name)) return nameMessage;
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. Empty is valid. */
export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return "must be no more than 63 characters";
  if (value.length > 0 && !nameRe.test(value)) {
    return "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  }
  return undefined;
}

// ---- the string syntax ------------------------------------------------------

type TokenKind = "identifier" | "!" | "=" | "==" | "!=" | "," | "(" | ")" | "in" | "notin" | ">" | "<" | "end";

interface Token {
  kind: TokenKind;
  text: string;
}

const specialChars = new Set(["!", "=", ",", "(", ")", ">", "<"]);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (specialChars.has(c)) {
      const two = input.slice(i, i + 2);
      if (two === "==" || two === "!=") {
        tokens.push({ kind: two, text: two });
        i += 2;
      } else {
        tokens.push({ kind: c as TokenKind, text: c });
        i++;
      }
      continue;
    }
    let j = i;
    while (j < input.length && !specialChars.has(input[j]!) && !/\s/.test(input[j]!)) j++;
    const word = input.slice(i, j);
    tokens.push({ kind: word === "in" ? "in" : word === "notin" ? "notin" : "identifier", text: word });
    i = j;
  }
  tokens.push({ kind: "end", text: "" });
  return tokens;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(input: string) {
    this.tokens = tokenize(input);
  }

  private peek(): Token {
    return this.tokens[this.pos]!;
  }

  private next(): Token {
    return this.tokens[this.pos++]!;
  }

  parse(): Requirement[] {
    const out: Requirement[] = [];
    if (this.peek().kind === "end") return out;
    for (;;) {
      out.push(this.parseRequirement());
      const t = this.next();
      if (t.kind === "end") return out;
      if (t.kind !== ",") fail(`found '${t.text}', expected: ',' or 'end of string'`);
      if (this.peek().kind === "end") fail("found '', expected: identifier after ','");
    }
  }

  private parseRequirement(): Requirement {
    let t = this.next();
    if (t.kind === "!") {
      t = this.next();
      if (t.kind !== "identifier") fail(`found '${t.text}', expected: identifier after '!'`);
      return requirement(t.text, "!", []);
    }
    if (t.kind !== "identifier") fail(`found '${t.text}', expected: !, identifier, or 'end of string'`);
    const key = t.text;
    const op = this.peek();
    switch (op.kind) {
      case "end":
      case ",":
        return requirement(key, "exists", []);
      case "=":
      case "==":
      case "!=": {
        this.next();
        // `a=` selects the empty value.
        const v = this.peek();
        if (v.kind === "identifier" || v.kind === "in" || v.kind === "notin") {
          this.next();
          return requirement(key, op.kind, [v.text]);
        }
        if (v.kind === "end" || v.kind === ",") return requirement(key, op.kind, [""]);
        return fail(`found '${v.text}', expected: identifier`);
      }
      case ">":
      case "<": {
        this.next();
        const v = this.next();
        if (v.kind !== "identifier") fail(`found '${v.text}', expected: integer`);
        return requirement(key, op.kind === ">" ? "gt" : "lt", [v.text]);
      }
      case "in":
      case "notin": {
        this.next();
        return requirement(key, op.kind, this.parseValues());
      }
      default:
        return fail(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    }
  }

  private parseValues(): string[] {
    const open = this.next();
    if (open.kind !== "(") fail(`found '${open.text}', expected: '('`);
    const values: string[] = [];
    // `in ()` and empty entries stand for the empty value, as upstream.
    let expectValue = true;
    for (;;) {
      const t = this.next();
      if (t.kind === ")") {
        if (expectValue) values.push("");
        return values;
      }
      if (t.kind === ",") {
        if (expectValue) values.push("");
        expectValue = true;
        continue;
      }
      if ((t.kind === "identifier" || t.kind === "in" || t.kind === "notin") && expectValue) {
        values.push(t.text);
        expectValue = false;
        continue;
      }
      fail(`found '${t.text}', expected: ',', ')' or identifier`);
    }
  }
}
