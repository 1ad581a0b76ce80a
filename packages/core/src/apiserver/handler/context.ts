/**
 * Everything one resource request carries through the generic handler.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceRequest } from "../request-info.js";
import type { Accept } from "../codec.js";
import type { ServedResource, ResourceCatalog } from "../resource-catalog.js";
import type { ObjectStore } from "../object-store.js";
import type { UserInfo } from "../authn/index.js";
import type { Clock } from "../../util/clock.js";

export interface HandlerDeps {
  catalog: ResourceCatalog;
  objects: ObjectStore;
  clock: Clock;
  /** Largest request body accepted, in bytes. */
  maxBodyBytes: number;
  /** Interval between watch bookmarks, in milliseconds (only when asked for). */
  bookmarkIntervalMs: number;
  /** Called after a CRD is written, so the catalog serves it at once. */
  onCrdWritten(crd: import("../../api/object.js").KubeObject, deleted: boolean): Promise<void>;
}

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  info: ResourceRequest;
  query: URLSearchParams;
  accept: Accept;
  user: UserInfo;
  served: ServedResource;
  deps: HandlerDeps;
  /** Warnings to send as `Warning: 299 - "…"` headers. */
  warnings: string[];
}

export function sendJson(ctx: { res: ServerResponse; warnings?: string[] }, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | string[]> = {
    "Content-Type": "application/json",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-cache, private",
  };
  if (ctx.warnings?.length) headers["Warning"] = ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`);
  ctx.res.writeHead(code, headers);
  ctx.res.end(text);
}
