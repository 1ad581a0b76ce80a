/** Resident memory of a process, from `VmRSS` in /proc/<pid>/status (Linux). */
import { readFile } from "node:fs/promises";

/** Bytes, or undefined when the process is gone or /proc has no such line. */
export async function readProcessRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
