/**
 * Go's `time.ParseDuration`, which kubectl uses for `--timeout`: a sequence
 * of decimal numbers with units (`300ms`, `1.5h`, `2m30s`); a bare `0` is
 * allowed. Kubectl also accepts a plain number of seconds for some flags, so
 * a unitless integer is read as seconds.
 */

const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds; throws `invalid duration` for anything else. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const m = /^([-+]?)((?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))+$/.exec(s);
  if (!m) throw new Error(`invalid duration "${text}"`);
  let total = 0;
  for (const part of s.replace(/^[-+]/, "").matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(part[1]) * unitMs[part[2]!]!;
  }
  return m[1] === "-" ? -total : total;
}
