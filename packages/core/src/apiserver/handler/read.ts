/**
 * get, list and watch for every resource.
 *
 * list: selectors are applied server-side; `limit`/`continue` page through
 * one snapshot (the continue token carries the revision and the last key).
 * watch: resourceVersion unset or "0" first replays the current state as
 * ADDED events; "N" delivers every change after N. A compacted N ends the
 * stream with an ERROR event carrying a 410 Expired Status. Bookmarks only
 * when `allowWatchBookmarks=true`. Headers are flushed at once (kubectl
 * waits for them).
 */
import type { KubeObject } from "../../api/object.js";
import { apiVersionOf } from "../../api/schema.js";
import { ApiError, errors } from "../../api/errors.js";
import { parseLabelSelector } from "../../api/label-selector.js";
import { parseFieldSelector } from "../../api/field-selector.js";
import { sendJson, type RequestContext } from "./context.js";
import { toTable, parseIncludeObject, partialObjectMetadata } from "./table.js";
import { logger } from "../../util/logger.js";

const log = logger("apiserver.watch");

export async function handleGet(ctx: RequestContext): Promise<void> {
  const { served, info } = ctx;
  const obj = await ctx.deps.objects.get(served.info, info.namespace, info.name);
  respondObject(ctx, 200, obj);
}

/** Sends one object in the representation the client asked for. */
export function respondObject(ctx: RequestContext, code: number, obj: KubeObject): void {
  if (ctx.accept.as === "Table") {
    const table = toTable(ctx.served.strategy, [obj], {
      includeObject: parseIncludeObject(ctx.query.get("includeObject")),
      tableVersion: ctx.accept.tableVersion ?? "v1",
      now: ctx.deps.clock.now(),
    });
    table.metadata.resourceVersion = obj.metadata.resourceVersion;
    sendJson(ctx, code, table);
    return;
  }
  if (ctx.accept.as === "PartialObjectMetadata") {
    sendJson(ctx, code, partialObjectMetadata(obj));
    return;
  }
  sendJson(ctx, code, obj);
}

interface Selectors {
  matches(obj: KubeObject): boolean;
}

export function selectorsFrom(ctx: RequestContext): Selectors {
  const labels = parseLabelSelector(ctx.query.get("labelSelector") ?? "");
  const fields = parseFieldSelector(ctx.query.get("fieldSelector") ?? "");
  const allowed = new Set(["metadata.name", "metadata.namespace"]);
  for (const k of selectableFieldNames(ctx)) allowed.add(k);
  for (const r of fields.requirements) {
    if (!allowed.has(r.field)) {
      throw errors.badRequest(`field label not supported: ${r.field}`);
    }
  }
  return {
    matches(obj) {
      if (!labels.matches(obj.metadata.labels ?? {})) return false;
      if (fields.requirements.length === 0) return true;
      const values: Record<string, string> = {
        ...ctx.served.strategy.selectableFields(obj),
        "metadata.name": obj.metadata.name ?? "",
        "metadata.namespace": obj.metadata.namespace ?? "",
      };
      return fields.matches(values);
    },
  };
}

interface ContinueToken {
  rv: number;
  start: string;
}

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: "meta.k8s.io/v1", rv: t.rv, start: t.start })).toString("base64url");
}

function decodeContinue(token: string): ContinueToken {
  try {
    const t = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { rv?: unknown; start?: unknown };
    if (typeof t.rv === "number" && typeof t.start === "string") return { rv: t.rv, start: t.start };
  } catch {
    // fall through
  }
  throw errors.badRequest("continue key is not valid: expected a token from a previous list");
}

function parseLimit(value: string | null): number {
  if (value === null || value === "") return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw errors.badRequest(`invalid limit: ${JSON.stringify(value)}`);
  return n;
}

/** The field names a kind supports in field selectors, probed from an empty object. */
function selectableFieldNames(ctx: RequestContext): string[] {
  try {
    return Object.keys(ctx.served.strategy.selectableFields({ metadata: {} } as KubeObject));
  } catch {
    return [];
  }
}

export async function handleList(ctx: RequestContext): Promise<void> {
  const { served, info, query } = ctx;
  const selectors = selectorsFrom(ctx);
  const limit = parseLimit(query.get("limit"));
  const cont = query.get("continue");
  let revision: number | undefined;
  let startAfter: string | undefined;
  if (cont) {
    const token = decodeContinue(cont);
    revision = token.rv;
    startAfter = token.start;
  } else {
    const rv = query.get("resourceVersion");
    const match = query.get("resourceVersionMatch");
    if (rv && rv !== "0" && match === "Exact") revision = parseResourceVersion(rv);
  }

  const items: KubeObject[] = [];
  let readAt = revision;
  let more = false;
  let lastKey: string | undefined;
  // Keep reading pages of the same snapshot until `limit` matching items are found.
  for (;;) {
    const page = await ctx.deps.objects
      .list(served.info, info.namespace, {
        revision: readAt,
        limit: limit ? Math.max(limit - items.length, 50) : 0,
        startAfter,
      })
      .catch((err: unknown) => {
        if (cont && err instanceof ApiError && err.reason === "Expired") {
          throw new ApiError(
            "Expired",
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.",
          );
        }
        throw err;
      });
    readAt = page.revision;
    let pageExhausted = true;
    for (const obj of page.items) {
      lastKey = ctx.deps.objects.keyFor(served.info, obj.metadata.namespace ?? "", obj.metadata.name ?? "");
      if (!selectors.matches(obj)) continue;
      items.push(obj);
      if (limit && items.length >= limit) {
        pageExhausted = obj === page.items[page.items.length - 1];
        more = !pageExhausted || page.more;
        break;
      }
    }
    if (limit && items.length >= limit) break;
    if (!page.more) break;
    startAfter = page.lastKey;
  }

  const metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
    resourceVersion: String(readAt),
  };
  if (more && lastKey) metadata.continue = encodeContinue({ rv: readAt!, start: lastKey });

  if (ctx.accept.as === "Table") {
    const table = toTable(served.strategy, items, {
      includeObject: parseIncludeObject(query.get("includeObject")),
      tableVersion: ctx.accept.tableVersion ?? "v1",
      now: ctx.deps.clock.now(),
    });
    table.metadata = metadata;
    sendJson(ctx, 200, table);
    return;
  }
  if (ctx.accept.as === "PartialObjectMetadataList" || ctx.accept.as === "PartialObjectMetadata") {
    sendJson(ctx, 200, {
      kind: "PartialObjectMetadataList",
      apiVersion: "meta.k8s.io/v1",
      metadata,
      items: items.map(partialObjectMetadata),
    });
    return;
  }
  sendJson(ctx, 200, {
    apiVersion: apiVersionOf(served.info),
    kind: served.info.listKind,
    metadata,
    items,
  });
}

export function parseResourceVersion(rv: string): number {
  const n = Number(rv);
  if (!/^\d+$/.test(rv) || !Number.isSafeInteger(n)) {
    throw errors.badRequest(`invalid resource version: ${JSON.stringify(rv)}`);
  }
  return n;
}

export async function handleWatch(ctx: RequestContext): Promise<void> {
  const { served, info, query, res, req } = ctx;
  const selectors = selectorsFrom(ctx);
  const rvParam = query.get("resourceVersion") ?? "";
  const timeoutSeconds = Number(query.get("timeoutSeconds") ?? "0");
  const bookmarks = query.get("allowWatchBookmarks") === "true";
  const sendInitialEvents = query.get("sendInitialEvents") === "true";
  const includeObject = parseIncludeObject(query.get("includeObject"));
  // Watching a single object: GET .../pods/{name}?watch=true
  const nameFilter = info.name;

  // Everything that can be refused is checked before the 200 goes out.
  const startAfter = rvParam === "" || rvParam === "0" || sendInitialEvents ? undefined : parseResourceVersion(rvParam);

  const abort = new AbortController();
  const stop = () => abort.abort();
  req.on("close", stop);
  res.on("close", stop);
  // Randomise like kube-apiserver (timeout in [t, 2t)) only when the client left it unset.
  const timeoutMs = timeoutSeconds > 0 ? timeoutSeconds * 1000 : (1800 + Math.random() * 1800) * 1000;
  const cancelTimeout = ctx.deps.clock.setTimeout(stop, timeoutMs);

  res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  res.flushHeaders();

  let tableColumnsSent = false;
  const write = (type: string, object: unknown) => {
    if (!res.writableEnded) res.write(JSON.stringify({ type, object }) + "\n");
  };
  const render = (obj: KubeObject): unknown => {
    if (ctx.accept.as === "Table") {
      const table = toTable(served.strategy, [obj], {
        includeObject,
        tableVersion: ctx.accept.tableVersion ?? "v1",
        now: ctx.deps.clock.now(),
        withColumns: !tableColumnsSent,
      });
      tableColumnsSent = true;
      table.metadata.resourceVersion = obj.metadata.resourceVersion;
      return table;
    }
    if (ctx.accept.as === "PartialObjectMetadata" || ctx.accept.as === "PartialObjectMetadataList") {
      return partialObjectMetadata(obj);
    }
    return obj;
  };
  const visible = (obj: KubeObject | undefined) =>
    obj !== undefined && (!nameFilter || obj.metadata.name === nameFilter) && selectors.matches(obj);

  let lastRevision = 0;
  let cancelBookmark: (() => void) | undefined;
  const scheduleBookmark = () => {
    cancelBookmark = ctx.deps.clock.setTimeout(() => {
      write("BOOKMARK", {
        kind: served.info.kind,
        apiVersion: apiVersionOf(served.info),
        metadata: { resourceVersion: String(lastRevision) },
      });
      scheduleBookmark();
    }, ctx.deps.bookmarkIntervalMs);
  };

  try {
    let from: number;
    if (startAfter === undefined) {
      // Synthesise ADDED for the current state, then follow changes after it.
      const snapshot = await ctx.deps.objects.list(served.info, info.namespace, {});
      for (const obj of snapshot.items) if (visible(obj)) write("ADDED", render(obj));
      from = snapshot.revision;
      if (sendInitialEvents && bookmarks) {
        write("BOOKMARK", {
          kind: served.info.kind,
          apiVersion: apiVersionOf(served.info),
          metadata: {
            resourceVersion: String(from),
            annotations: { "k8s.io/initial-events-end": "true" },
          },
        });
      }
    } else {
      from = startAfter;
    }
    lastRevision = from;
    if (bookmarks) scheduleBookmark();

    for await (const ev of ctx.deps.objects.watch(served.info, info.namespace, from, abort.signal)) {
      lastRevision = ev.revision;
      const now = visible(ev.object);
      const before = ev.type === "MODIFIED" ? visible(ev.previous) : now;
      if (ev.type === "ADDED" && now) write("ADDED", render(ev.object));
      else if (ev.type === "DELETED" && now) write("DELETED", render(ev.object));
      else if (ev.type === "MODIFIED") {
        // An object moving into or out of the selection is an ADDED or DELETED for this watcher.
        if (now && before) write("MODIFIED", render(ev.object));
        else if (now) write("ADDED", render(ev.object));
        else if (before) write("DELETED", render(ev.object));
      }
    }
  } catch (err) {
    const apiErr =
      err instanceof ApiError ? err : (log.error({ err, resource: served.info.plural }, "watch failed"), errors.internal());
    write("ERROR", apiErr.toStatus());
  } finally {
    cancelTimeout();
    cancelBookmark?.();
    req.off("close", stop);
    if (!res.writableEnded) res.end();
  }
}
