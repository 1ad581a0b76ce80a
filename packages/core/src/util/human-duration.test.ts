import { test } from "node:test";
import assert from "node:assert/strict";
import { humanDuration, timestampSince } from "./human-duration.js";

const s = 1000;
const m = 60 * s;
const h = 60 * m;
const d = 24 * h;

test("humanDuration matches kubectl's age column", () => {
  const cases: [number, string][] = [
    [-500, "0s"],
    [-1500, "0s"],
    [-2500, "<invalid>"],
    [5 * s, "5s"],
    [119 * s, "119s"],
    [2 * m, "2m"],
    [3 * m + 2 * s, "3m2s"],
    [10 * m + 30 * s, "10m"],
    [179 * m, "179m"],
    [3 * h, "3h"],
    [5 * h + 20 * m, "5h20m"],
    [8 * h, "8h"],
    [47 * h, "47h"],
    [3 * d, "3d"],
    [3 * d + 4 * h, "3d4h"],
    [30 * d, "30d"],
    [2 * 365 * d, "2y"],
    [3 * 365 * d + 10 * d, "3y10d"],
    [9 * 365 * d, "9y"],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `${ms}ms`);
});

test("timestampSince reads RFC 3339 timestamps", () => {
  const now = Date.parse("2024-01-01T00:05:00Z");
  assert.equal(timestampSince("2024-01-01T00:00:00Z", now), "5m");
  assert.equal(timestampSince(undefined, now), "<unknown>");
});
