/** `-o` values the client verbs understand. */
export type OutputFormat =
  | { type: "table"; wide: boolean }
  | { type: "json" }
  | { type: "yaml" }
  | { type: "name" }
  | { type: "jsonpath"; template: string };

export function parseOutputFormat(value: string | undefined): OutputFormat {
  if (!value) return { type: "table", wide: false };
  if (value === "wide") return { type: "table", wide: true };
  if (value === "json" || value === "yaml" || value === "name") return { type: value };
  const m = /^jsonpath=(.*)$/s.exec(value);
  if (m) return { type: "jsonpath", template: stripQuotes(m[1]!) };
  throw new Error(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: json,jsonpath,name,wide,yaml`,
  );
}

function stripQuotes(s: string): string {
  return /^(['"]).*\1$/s.test(s) ? s.slice(1, -1) : s;
}
