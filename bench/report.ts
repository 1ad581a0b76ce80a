/**
 * The printed figures: one table per backend with the raw-store row and the
 * API row of each operation next to each other, then one line per
 * operation comparing the API's median latency with the raw store's.
 */
import { summarize, type Measurement, type Summary } from "./measure.js";

export interface BackendReport {
  backend: string;
  /** One line describing the sizes, e.g. "n=2000, concurrency=16, …". */
  sizes: string;
  raw: Measurement[];
  /** Absent when the API part could not run; `apiError` says why. */
  api?: Measurement[];
  apiError?: string;
  /** Resident memory of the server process, in bytes. */
  serverRssAfterStart?: number;
  serverRssAtEnd?: number;
}

export function formatReport(report: BackendReport): string {
  const raw = new Map(report.raw.map((m) => [m.operation, summarize(m)]));
  const api = new Map((report.api ?? []).map((m) => [m.operation, summarize(m)]));
  const operations = [...new Set([...raw.keys(), ...api.keys()])];
  const header = ["operation", "layer", "count", "ops/s", "p50 ms", "p99 ms"];
  const rows: string[][] = [];
  for (const op of operations) {
    for (const [layer, summary] of [["store", raw.get(op)], ["api", api.get(op)]] as const) {
      if (summary) rows.push(row(summary, layer));
    }
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  ");

  const out = [`== ${report.backend} (${report.sizes}) ==`, line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  if (report.api) {
    out.push("", "API vs raw store:");
    for (const op of operations) {
      const r = raw.get(op);
      const a = api.get(op);
      if (r && a) out.push(`  ${compare(op, r, a)}`);
    }
  }
  if (report.apiError) out.push("", `API part did not run: ${report.apiError}`);
  if (report.serverRssAtEnd !== undefined) {
    const afterStart = report.serverRssAfterStart === undefined ? "" : ` (${mebibytes(report.serverRssAfterStart)} right after start)`;
    out.push("", `server RSS at the end: ${mebibytes(report.serverRssAtEnd)}${afterStart}`);
  }
  return out.join("\n");
}

function row(s: Summary, layer: string): string[] {
  return [s.operation, layer, String(s.count), fixed(s.opsPerSecond, 0), fixed(s.p50Ms, 3), fixed(s.p99Ms, 3)];
}

function compare(op: string, raw: Summary, api: Summary): string {
  // A median under a microsecond means "there before the writer's ack" (see
  // fan-out.ts); a ratio against it says nothing, so both figures are shown.
  const latency =
    raw.p50Ms < 0.001 || api.p50Ms < 0.001
      ? `API p50 is ${fixed(api.p50Ms, 3)} ms, raw store p50 ${fixed(raw.p50Ms, 3)} ms (0 = delivered before the write was acknowledged)`
      : `API p50 is ${fixed(api.p50Ms / raw.p50Ms, 1)}x raw store p50`;
  const throughput = raw.opsPerSecond > 0 ? `, API ops/s is ${fixed(api.opsPerSecond / raw.opsPerSecond, 2)}x raw` : "";
  return `${op}: ${latency}${throughput}`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "-";
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
