/**
 * The one error type of the Skiff API, shaped like Kubernetes' `StatusError`.
 *
 * The server serialises an `ApiError` as a `meta.k8s.io/v1` `Status`; the
 * client rebuilds the same `ApiError` from it. Code branches on `reason`
 * (through the predicates below), never on message text.
 */

export type StatusReason =
  | "NotFound"
  | "AlreadyExists"
  | "Conflict"
  | "Invalid"
  | "BadRequest"
  | "Gone"
  | "Expired"
  | "Forbidden"
  | "Unauthorized"
  | "MethodNotAllowed"
  | "NotAcceptable"
  | "UnsupportedMediaType"
  | "RequestEntityTooLarge"
  | "TooManyRequests"
  | "Timeout"
  | "ServiceUnavailable"
  | "InternalError";

/** Kubernetes `CauseType` values used by Skiff. */
export type CauseType =
  | "FieldValueNotFound"
  | "FieldValueRequired"
  | "FieldValueDuplicate"
  | "FieldValueInvalid"
  | "FieldValueNotSupported"
  | "FieldValueForbidden"
  | "FieldValueTooLong"
  | "FieldValueTypeInvalid"
  | "FieldManagerConflict"
  | "UnknownField"
  | "UnexpectedServerResponse";

export interface StatusCause {
  reason: CauseType | string;
  message: string;
  /** Field path in Kubernetes notation, e.g. `spec.containers[0].image`. */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** The `meta.k8s.io/v1` Status object. */
export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: { resourceVersion?: string };
  status: "Success" | "Failure";
  message?: string;
  reason?: StatusReason | string;
  details?: StatusDetails;
  code: number;
}

const codeOf: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Invalid: 422,
  BadRequest: 400,
  Gone: 410,
  Expired: 410,
  Forbidden: 403,
  Unauthorized: 401,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  UnsupportedMediaType: 415,
  RequestEntityTooLarge: 413,
  TooManyRequests: 429,
  Timeout: 504,
  ServiceUnavailable: 503,
  InternalError: 500,
};

export class ApiError extends Error {
  readonly reason: StatusReason;
  readonly code: number;
  readonly details: StatusDetails | undefined;

  constructor(reason: StatusReason, message: string, details?: StatusDetails, code?: number) {
    super(message);
    this.name = "ApiError";
    this.reason = reason;
    this.code = code ?? codeOf[reason];
    this.details = details;
  }

  toStatus(): Status {
    const status: Status = {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }

  /** Rebuilds the error from a `Status` body (client side). */
  static fromStatus(status: Partial<Status>, httpCode: number): ApiError {
    const reason = (status.reason as StatusReason | undefined) ?? reasonForCode(httpCode);
    return new ApiError(reason, status.message ?? `HTTP ${httpCode}`, status.details, status.code ?? httpCode);
  }
}

export function reasonForCode(code: number): StatusReason {
  for (const [reason, c] of Object.entries(codeOf) as [StatusReason, number][]) {
    if (c === code) return reason;
  }
  return code >= 500 ? "InternalError" : "BadRequest";
}

/** A resource identity for messages: `pods "web"` or `deployments.apps "web"`. */
export interface Qualified {
  group: string;
  resource: string;
}

function qualified(q: Qualified): string {
  return q.group ? `${q.resource}.${q.group}` : q.resource;
}

export const errors = {
  notFound: (q: Qualified, name: string) =>
    new ApiError("NotFound", `${qualified(q)} "${name}" not found`, { name, group: q.group, kind: q.resource }),
  alreadyExists: (q: Qualified, name: string) =>
    new ApiError("AlreadyExists", `${qualified(q)} "${name}" already exists`, {
      name,
      group: q.group,
      kind: q.resource,
    }),
  conflict: (q: Qualified, name: string, why: string) =>
    new ApiError("Conflict", `Operation cannot be fulfilled on ${qualified(q)} "${name}": ${why}`, {
      name,
      group: q.group,
      kind: q.resource,
    }),
  /** 422 with one cause per field error. `kind` is the Kind (e.g. `Pod`). */
  invalid: (kind: string, group: string, name: string, causes: FieldError[]) =>
    new ApiError(
      "Invalid",
      `${kind}${group ? "." + group : ""} "${name}" is invalid: ${causes.map(formatFieldError).join(", ")}`,
      { name, group, kind, causes: causes.map(toCause) },
    ),
  badRequest: (message: string, causes?: FieldError[]) =>
    new ApiError("BadRequest", message, causes ? { causes: causes.map(toCause) } : undefined),
  gone: (message: string) => new ApiError("Gone", message),
  expired: (message: string) => new ApiError("Expired", message),
  methodNotAllowed: (message: string) => new ApiError("MethodNotAllowed", message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError("UnsupportedMediaType", `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml (got ${JSON.stringify(contentType)})`),
  tooLarge: (limit: number) => new ApiError("RequestEntityTooLarge", `the request body is larger than the limit of ${limit} bytes`),
  unauthorized: () => new ApiError("Unauthorized", "Unauthorized"),
  forbidden: (message: string) => new ApiError("Forbidden", message),
  internal: (message = "an internal error occurred; see the server log") => new ApiError("InternalError", message),
};

/** One validation failure at a field path. */
export interface FieldError {
  type: CauseType;
  /** Kubernetes notation: `metadata.name`, `spec.containers[0].image`, `metadata.labels[app]`. */
  field: string;
  /** The offending value, when it helps the message. */
  value?: unknown;
  detail: string;
}

export function formatFieldError(e: FieldError): string {
  switch (e.type) {
    case "FieldValueRequired":
      return `${e.field}: Required value${e.detail ? ": " + e.detail : ""}`;
    case "FieldValueInvalid":
      return `${e.field}: Invalid value: ${JSON.stringify(e.value)}: ${e.detail}`;
    case "FieldValueNotSupported":
      return `${e.field}: Unsupported value: ${JSON.stringify(e.value)}${e.detail ? ": " + e.detail : ""}`;
    case "FieldValueForbidden":
      return `${e.field}: Forbidden: ${e.detail}`;
    case "FieldValueDuplicate":
      return `${e.field}: Duplicate value: ${JSON.stringify(e.value)}`;
    case "FieldValueTooLong":
      return `${e.field}: Too long: ${e.detail}`;
    case "FieldValueTypeInvalid":
      return `${e.field}: Invalid value: ${JSON.stringify(e.value)}: ${e.detail}`;
    case "UnknownField":
      return `${e.field}: unknown field${e.detail ? ": " + e.detail : ""}`;
    default:
      return `${e.field}: ${e.detail}`;
  }
}

function toCause(e: FieldError): StatusCause {
  return { reason: e.type, message: formatFieldError(e), field: e.field };
}

/** Convenience constructors for field errors. */
export const field = {
  required: (path: string, detail = ""): FieldError => ({ type: "FieldValueRequired", field: path, detail }),
  invalid: (path: string, value: unknown, detail: string): FieldError => ({
    type: "FieldValueInvalid",
    field: path,
    value,
    detail,
  }),
  notSupported: (path: string, value: unknown, allowed: readonly string[]): FieldError => ({
    type: "FieldValueNotSupported",
    field: path,
    value,
    detail: `supported values: ${allowed.map((a) => JSON.stringify(a)).join(", ")}`,
  }),
  forbidden: (path: string, detail: string): FieldError => ({ type: "FieldValueForbidden", field: path, detail }),
  duplicate: (path: string, value: unknown): FieldError => ({
    type: "FieldValueDuplicate",
    field: path,
    value,
    detail: "",
  }),
  typeInvalid: (path: string, value: unknown, detail: string): FieldError => ({
    type: "FieldValueTypeInvalid",
    field: path,
    value,
    detail,
  }),
  unknown: (path: string, detail = ""): FieldError => ({ type: "UnknownField", field: path, detail }),
};

function hasReason(err: unknown, reason: StatusReason): boolean {
  return err instanceof ApiError && err.reason === reason;
}

export const isNotFound = (err: unknown) => hasReason(err, "NotFound");
export const isAlreadyExists = (err: unknown) => hasReason(err, "AlreadyExists");
export const isConflict = (err: unknown) => hasReason(err, "Conflict");
export const isInvalid = (err: unknown) => hasReason(err, "Invalid");
export const isBadRequest = (err: unknown) => hasReason(err, "BadRequest");
export const isGone = (err: unknown) => hasReason(err, "Gone") || hasReason(err, "Expired");
export const isForbidden = (err: unknown) => hasReason(err, "Forbidden");
export const isUnauthorized = (err: unknown) => hasReason(err, "Unauthorized");
export const isTooManyRequests = (err: unknown) => hasReason(err, "TooManyRequests");
export const isTimeout = (err: unknown) => hasReason(err, "Timeout");
