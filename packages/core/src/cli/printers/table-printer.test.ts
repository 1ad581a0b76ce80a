import { test } from "node:test";
import assert from "node:assert/strict";
import { printTable, formatCell, type Table } from "./table-printer.js";
import { humanDuration } from "../../util/human-duration.js";

const table: Table = {
  kind: "Table",
  columnDefinitions: [
    { name: "Name", type: "string", format: "name", priority: 0 },
    { name: "Ready", type: "string", priority: 0 },
    { name: "Restarts", type: "integer", priority: 0 },
    { name: "IP", type: "string", priority: 1 },
  ],
  rows: [
    { cells: ["web-1", "1/1", 0, "10.0.0.5"], object: { metadata: { name: "web-1", namespace: "prod", labels: { b: "2", a: "1" } } } },
    { cells: ["db", "0/1", 12, null], object: { metadata: { name: "db", namespace: "default" } } },
  ],
};

test("headers are upper-case, columns padded and separated by three spaces", () => {
  assert.equal(printTable(table), ["NAME    READY   RESTARTS", "web-1   1/1     0", "db      0/1     12"].join("\n") + "\n");
});

test("priority-1 columns appear only when wide", () => {
  assert.equal(
    printTable(table, { wide: true }),
    ["NAME    READY   RESTARTS   IP", "web-1   1/1     0          10.0.0.5", "db      0/1     12         <none>"].join("\n") + "\n",
  );
});

test("all namespaces puts NAMESPACE first; --show-labels puts sorted LABELS last", () => {
  assert.equal(
    printTable(table, { withNamespace: true, showLabels: true }),
    [
      "NAMESPACE   NAME    READY   RESTARTS   LABELS",
      "prod        web-1   1/1     0          a=1,b=2",
      "default     db      0/1     12         <none>",
    ].join("\n") + "\n",
  );
});

test("a name prefix marks rows when several types print together; no rows prints nothing", () => {
  assert.match(printTable(table, { namePrefix: "pod/" }), /^NAME        READY/);
  assert.match(printTable(table, { namePrefix: "pod/" }), /\npod\/web-1   1\/1/);
  assert.equal(printTable({ ...table, rows: [] }), "");
});

test("multi-line string cells are cut at the first line break", () => {
  assert.equal(formatCell("first\nsecond"), "first...");
  assert.equal(formatCell(true), "true");
});

test("ages read like kubectl's", () => {
  const s = 1000;
  assert.equal(humanDuration(5 * s), "5s");
  assert.equal(humanDuration(119 * s), "119s");
  assert.equal(humanDuration(330 * s), "5m30s");
  assert.equal(humanDuration(45 * 60 * s), "45m");
  assert.equal(humanDuration(5 * 3600 * s + 10 * 60 * s), "5h10m");
  assert.equal(humanDuration(30 * 3600 * s), "30h");
  assert.equal(humanDuration(3 * 86400 * s + 2 * 3600 * s), "3d2h");
  assert.equal(humanDuration(40 * 86400 * s), "40d");
});
