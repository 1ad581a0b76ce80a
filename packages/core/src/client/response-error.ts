/**
 * Turning a non-2xx answer into an `ApiError`. A `Status` body is rebuilt
 * faithfully (reason, details, causes), so callers branch with `isNotFound`
 * and friends exactly as server code does. Any other body gets the reason
 * its HTTP code implies and kubectl's generic wording.
 */
import { ApiError, reasonForCode, type Status } from "../api/index.js";

export function errorFromResponse(status: number, body: string, method: string, path: string): ApiError {
  const parsed = tryParse(body);
  if (parsed && typeof parsed === "object" && (parsed as { kind?: unknown }).kind === "Status") {
    return ApiError.fromStatus(parsed as Partial<Status>, status);
  }
  const reason = reasonForCode(status);
  return new ApiError(reason, genericMessage(status, body, method, path), undefined, status);
}

function genericMessage(status: number, body: string, method: string, path: string): string {
  const target = `(${method.toLowerCase()} ${path})`;
  switch (status) {
    case 401:
      return "Unauthorized";
    case 403:
      return `forbidden ${target}`;
    case 404:
      return `the server could not find the requested resource ${target}`;
    case 409:
      return `the server reported a conflict ${target}`;
    default: {
      const text = body.trim();
      if (status >= 500 && text) return `an error on the server ("${text.slice(0, 200)}") has prevented the request from succeeding ${target}`;
      return `the server responded with the status code ${status} but did not return more information ${target}`;
    }
  }
}

export function tryParse(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
