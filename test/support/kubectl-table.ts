/**
 * Reads the human-readable tables kubectl prints (`get`, `api-resources`).
 * kubectl aligns every cell under the start of its header with a tabwriter,
 * and headers are separated by at least two spaces (a header itself may hold
 * one, as `NOMINATED NODE`), so each row is cut at the header positions.
 */
export interface PrintedTable {
  headers: string[];
  rows: Record<string, string>[];
}

export function parsePrintedTable(text: string): PrintedTable {
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const header = lines[0] ?? "";
  const starts: number[] = [];
  const headers: string[] = [];
  for (const m of header.matchAll(/\S+(?: \S+)*/g)) {
    starts.push(m.index);
    headers.push(m[0]);
  }
  const rows = lines.slice(1).map((line) => {
    const row: Record<string, string> = {};
    headers.forEach((h, i) => {
      row[h] = line.slice(starts[i], i + 1 < starts.length ? starts[i + 1] : undefined).trim();
    });
    return row;
  });
  return { headers, rows };
}

/** The row whose `column` (default NAME) equals `value`; throws with the table when there is none. */
export function rowOf(table: PrintedTable, value: string, column = "NAME"): Record<string, string> {
  const row = table.rows.find((r) => r[column] === value);
  if (!row) throw new Error(`no row with ${column}=${value} in table:\n${JSON.stringify(table, null, 1)}`);
  return row;
}
