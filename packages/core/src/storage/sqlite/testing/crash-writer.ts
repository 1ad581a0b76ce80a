/**
 * A child process for the crash test: opens the store at argv[2], creates
 * `/crash/<n>` for n = 0, 1, 2, … and prints `ack <n>` after each write's
 * promise resolves, until it is killed.
 */
import { SqliteStore } from "../sqlite-store.js";

const path = process.argv[2];
if (!path) throw new Error("usage: crash-writer <db path>");
const store = new SqliteStore(path, { pollIntervalMs: 0, compactionIntervalMs: 0 });
for (let n = 0; ; n++) {
  await store.create(`/crash/${n}`, JSON.stringify({ n }));
  process.stdout.write(`ack ${n}\n`);
}
