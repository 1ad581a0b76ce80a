/**
 * Prints a server-side `meta.k8s.io/v1` Table the way kubectl does:
 * upper-case headers, columns padded to their widest cell and separated by
 * three spaces (the last column unpadded), priority>0 columns only when
 * wide, NAMESPACE first for all-namespace lists, LABELS last with
 * --show-labels. NAMESPACE and LABELS come from each row's
 * PartialObjectMetadata, as in kubectl.
 */
import type { ObjectMeta } from "../../api/index.js";

export interface TableColumnDefinition {
  name: string;
  type?: string;
  format?: string;
  description?: string;
  priority?: number;
}

export interface TableRow {
  cells: unknown[];
  object?: { metadata?: ObjectMeta; kind?: string; apiVersion?: string };
}

export interface Table {
  kind: "Table";
  apiVersion?: string;
  metadata?: { resourceVersion?: string; continue?: string };
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

export interface TableOptions {
  wide?: boolean;
  withNamespace?: boolean;
  showLabels?: boolean;
  /** Put before the NAME cell, e.g. `pod/` when several types are printed together. */
  namePrefix?: string;
}

export interface TableCells {
  headers: string[];
  rows: string[][];
}

export function isTable(value: unknown): value is Table {
  return !!value && typeof value === "object" && (value as { kind?: unknown }).kind === "Table";
}

/** The header and cell strings that will be printed, before alignment. */
export function tableCells(table: Table, options: TableOptions = {}): TableCells {
  const shown = table.columnDefinitions
    .map((c, index) => ({ c, index }))
    .filter(({ c }) => options.wide || !c.priority);
  const nameIndex = table.columnDefinitions.findIndex((c) => c.format === "name" || c.name.toLowerCase() === "name");
  const headers = shown.map(({ c }) => c.name.toUpperCase());
  if (options.withNamespace) headers.unshift("NAMESPACE");
  if (options.showLabels) headers.push("LABELS");
  const rows = table.rows.map((row) => {
    const cells = shown.map(({ index }) => {
      const text = formatCell(row.cells[index]);
      return index === nameIndex && options.namePrefix ? options.namePrefix + text : text;
    });
    if (options.withNamespace) cells.unshift(row.object?.metadata?.namespace ?? "");
    if (options.showLabels) cells.push(formatLabels(row.object?.metadata?.labels));
    return cells;
  });
  return { headers, rows };
}

/** kubectl prints a string cell up to its first line break, marking the cut with `...`. */
export function formatCell(cell: unknown): string {
  if (cell === null || cell === undefined) return "<none>";
  if (typeof cell === "string") {
    const cut = cell.search(/[\n\r\f]/);
    return cut >= 0 ? cell.slice(0, cut) + "..." : cell;
  }
  if (typeof cell === "object") return JSON.stringify(cell);
  return String(cell);
}

/** `a=1,b=2` with keys sorted, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length ? keys.map((k) => `${k}=${labels![k]}`).join(",") : "<none>";
}

/** Column widths wide enough for every given line. */
export function columnWidths(lines: string[][]): number[] {
  const widths: number[] = [];
  for (const line of lines) line.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return widths;
}

/** One aligned line; three spaces between columns, no padding after the last. */
export function formatLine(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? cell.length))).join("   ").trimEnd();
}

/** The whole table as text (with a trailing newline), or "" when there are no rows. */
export function printTable(table: Table, options: TableOptions = {}, noHeaders = false): string {
  const { headers, rows } = tableCells(table, options);
  if (rows.length === 0) return "";
  const lines = noHeaders ? rows : [headers, ...rows];
  const widths = columnWidths(lines);
  return lines.map((l) => formatLine(l, widths)).join("\n") + "\n";
}
