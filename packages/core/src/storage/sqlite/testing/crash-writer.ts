/**
 * A child process for the crash test: reads a database path from its first
 * line of stdin, opens the store there, then creates `/crash/<n>` for
 * n = 0, 1, 2, … and prints `ack <n>` after each write's promise resolves,
 * until it is killed.
 */
import { createInterface } from "node:readline";
import { SqliteStore } from "../sqlite-store.js";

const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const path = (await lines.next()).value as string | undefined;
if (!path) throw new Error("crash-writer: expected a database path on stdin");
const store = new SqliteStore(path, { pollIntervalMs: 0, compactionIntervalMs: 0 });
for (let n = 0; ; n++) {
  await store.create(`/crash/${n}`, JSON.stringify({ n }));
  process.stdout.write(`ack ${n}\n`);
}
