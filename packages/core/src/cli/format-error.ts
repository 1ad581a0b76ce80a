/**
 * One line per failure, as kubectl prints them: server answers as
 * `Error from server (Reason): message`, everything decided on the client
 * (unknown resource type, bad flags, unreadable files) as `error: message`.
 */
import { ApiError } from "../api/index.js";
import { UnknownResourceTypeError, KubeconfigError } from "../client/index.js";

export function formatError(err: unknown): string {
  if (err instanceof UnknownResourceTypeError) return `error: ${err.message}`;
  if (err instanceof ApiError) return `Error from server (${err.reason}): ${err.message}`;
  if (err instanceof KubeconfigError) return `error: ${err.message}`;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    return `error: unable to connect to the server: ${(err as Error).message}`;
  }
  if (err instanceof Error) return `error: ${err.message}`;
  return `error: ${String(err)}`;
}
