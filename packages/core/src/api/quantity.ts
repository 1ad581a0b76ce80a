/**
 * Kubernetes resource quantities (`100m`, `1.5`, `128Mi`, `1G`, `1e3`).
 *
 * Upstream keeps quantities as exact decimals; Skiff converts them to
 * JavaScript numbers, which is exact for every quantity a pod or node
 * realistically carries (below 2^53 bytes, milli-precision). Parsing follows
 * upstream's grammar: `<signedNumber><suffix>` where the suffix is a binary SI
 * suffix (`Ki` … `Ei`), a decimal SI suffix (`n`, `u`, `m`, ``, `k`, `M` …
 * `E`) or a decimal exponent (`e3`, `E-2`).
 */

/** Upstream's message for a string that is not a quantity. */
export const quantityFormatMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

const binarySuffixes: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const decimalSuffixes: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  "": 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

const quantityPattern = /^([+-]?(?:\d+\.?\d*|\.\d+))(.*)$/;

export class QuantityError extends Error {
  constructor(readonly input: string) {
    super(`${JSON.stringify(input)}: ${quantityFormatMessage}`);
    this.name = "QuantityError";
  }
}

/** Scales a decimal string by 10^exp without float error where possible (`1.5`, 3 → 1500). */
function scaleDecimal(number: string, exp: number): number {
  return Number(`${number}e${exp}`);
}

/** Parses a quantity into base units (cores, bytes, …). Numbers are accepted as-is. Throws `QuantityError`. */
export function parseQuantity(q: string | number): number {
  if (typeof q === "number") {
    if (!Number.isFinite(q)) throw new QuantityError(String(q));
    return q;
  }
  const match = quantityPattern.exec(q.trim() === q ? q : "");
  if (!match) throw new QuantityError(q);
  const number = match[1]!;
  const suffix = match[2]!;
  const binary = binarySuffixes[suffix];
  if (binary !== undefined) return Number(number) * binary;
  const decimal = decimalSuffixes[suffix];
  if (decimal !== undefined) return scaleDecimal(number, decimal);
  const exponent = /^[eE]([+-]?\d+)$/.exec(suffix);
  if (exponent) return scaleDecimal(number, Number(exponent[1]));
  throw new QuantityError(q);
}

/** True when `q` is a well-formed quantity. */
export function isQuantity(q: unknown): boolean {
  if (typeof q === "number") return Number.isFinite(q);
  if (typeof q !== "string") return false;
  try {
    parseQuantity(q);
    return true;
  } catch {
    return false;
  }
}

/** The quantity in thousandths of its unit, rounded up like upstream's `MilliValue` (`100m` → 100, `1` → 1000). */
export function milliValue(q: string | number): number {
  // Round away float noise (0.7 * 1000 = 700.0000000000001) before rounding up.
  return Math.ceil(Math.round(parseQuantity(q) * 1000 * 1e6) / 1e6);
}

/** The quantity rounded up to a whole number of units, like upstream's `Value` (`100m` → 1, `1Ki` → 1024). */
export function quantityValue(q: string | number): number {
  return Math.ceil(Math.round(parseQuantity(q) * 1e9) / 1e9);
}

export type QuantityFormat = "DecimalSI" | "BinarySI";

/**
 * Formats base units canonically: the largest suffix that keeps the value a
 * whole number (`0.1` → `100m`, `1536 * 2**20` BinarySI → `1536Mi`,
 * `2000` → `2k`). Fractions finer than a milli-unit are rounded up, as upstream.
 */
export function formatQuantity(value: number, format: QuantityFormat = "DecimalSI"): string {
  if (value === 0) return "0";
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  if (format === "BinarySI" && Number.isInteger(abs) && abs >= 1024) {
    const suffixes = Object.entries(binarySuffixes).reverse();
    for (const [suffix, factor] of suffixes) {
      if (abs % factor === 0) return `${sign}${abs / factor}${suffix}`;
    }
    return `${sign}${abs}`;
  }
  if (!Number.isInteger(abs)) {
    const milli = Math.ceil(Math.round(abs * 1e3 * 1e6) / 1e6);
    if (milli % 1000 !== 0) return `${sign}${milli}m`;
    return formatQuantity(Number(sign + String(milli / 1000)), format);
  }
  for (const [suffix, exp] of [["E", 18], ["P", 15], ["T", 12], ["G", 9], ["M", 6], ["k", 3]] as const) {
    const factor = 10 ** exp;
    if (abs >= factor && abs % factor === 0) return `${sign}${abs / factor}${suffix}`;
  }
  return `${sign}${abs}`;
}
