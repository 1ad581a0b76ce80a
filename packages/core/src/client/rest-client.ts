/**
 * A generic, typed Kubernetes REST client. There is no per-kind code: every
 * call takes a `ResourceRef` (group, version, plural, scope) and builds the
 * URL from it, so built-in kinds and custom resources are served alike.
 *
 * Errors: a non-2xx answer throws `ApiError` (see `response-error.ts`); a
 * transport failure (refused, reset) is thrown as it came.
 */
import { ApiError, type KubeObject, type KubeList, type Status } from "../api/index.js";
import { errorFromResponse, tryParse } from "./response-error.js";
import { resourcePath, type ResourceRef } from "./resource-ref.js";
import type { HttpMethod, QueryValue, Transport } from "./transport.js";
import type { WatchEvent, WatchStream } from "./watch-event.js";

export interface ReadOptions {
  namespace?: string;
  resourceVersion?: string;
  /** Overrides `Accept`, e.g. to ask for a server-side Table. */
  accept?: string;
  signal?: AbortSignal;
}

export interface ListOptions extends ReadOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersionMatch?: "Exact" | "NotOlderThan";
  timeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
}

export interface WriteOptions {
  namespace?: string;
  /** Server-side dry run (`dryRun=All`). */
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: "Ignore" | "Warn" | "Strict";
  signal?: AbortSignal;
}

export interface PatchOptions extends WriteOptions {
  /** Apply patches only: take ownership of conflicting fields. */
  force?: boolean;
  subresource?: string;
}

export type PropagationPolicy = "Background" | "Foreground" | "Orphan";

export interface DeleteOptions {
  namespace?: string;
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  dryRun?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  signal?: AbortSignal;
}

export type PatchType = "json" | "merge" | "strategic" | "apply";

export const patchContentType: Record<PatchType, string> = {
  json: "application/json-patch+json",
  merge: "application/merge-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
};

/** What `Accept` asks for a `meta.k8s.io/v1` Table, falling back to plain JSON. */
export const tableAccept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";

export interface RawRequest {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

export class RestClient {
  constructor(readonly transport: Transport) {}

  /** Sends one request; returns the parsed JSON body and the status code, or throws `ApiError`. */
  async send<T>(req: RawRequest): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    let body: string | undefined;
    if (req.body !== undefined) {
      body = typeof req.body === "string" ? req.body : JSON.stringify(req.body);
      headers["content-type"] = req.contentType ?? "application/json";
    }
    const res = await this.transport.request({
      method: req.method,
      path: req.path,
      ...(req.query ? { query: req.query } : {}),
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body, req.method, req.path);
    return { status: res.status, body: tryParse(res.body) as T };
  }

  async get<T = KubeObject>(ref: ResourceRef, name: string, options: ReadOptions = {}): Promise<T> {
    return (
      await this.send<T>({
        method: "GET",
        path: resourcePath(ref, options.namespace, name),
        query: { resourceVersion: options.resourceVersion },
        ...accept(options.accept),
        ...signal(options.signal),
      })
    ).body;
  }

  async getSubresource<T = unknown>(
    ref: ResourceRef,
    name: string,
    subresource: string,
    options: ReadOptions & { query?: Record<string, QueryValue> } = {},
  ): Promise<T> {
    return (
      await this.send<T>({
        method: "GET",
        path: resourcePath(ref, options.namespace, name, subresource),
        query: { ...(options.query ?? {}), resourceVersion: options.resourceVersion },
        ...accept(options.accept),
        ...signal(options.signal),
      })
    ).body;
  }

  /** One page (follow `metadata.continue` yourself) of a namespace, or of all namespaces when none is given. */
  async list<T = KubeList>(ref: ResourceRef, options: ListOptions = {}): Promise<T> {
    return (
      await this.send<T>({
        method: "GET",
        path: resourcePath(ref, options.namespace),
        query: listQuery(options),
        ...accept(options.accept),
        ...signal(options.signal),
      })
    ).body;
  }

  /** POST; the namespace comes from the object unless given. */
  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, options: WriteOptions = {}): Promise<T> {
    const ns = options.namespace ?? obj.metadata?.namespace;
    return (
      await this.send<T>({ method: "POST", path: resourcePath(ref, ns), query: writeQuery(options), body: obj, ...signal(options.signal) })
    ).body;
  }

  /** PUT of the whole object; a stale `metadata.resourceVersion` fails with Conflict. */
  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(ref, obj, undefined, options);
  }

  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.put(ref, obj, "status", options);
  }

  async patch<T = KubeObject>(
    ref: ResourceRef,
    name: string,
    type: PatchType,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    return (await this.sendPatch<T>(ref, name, type, patch, options)).body;
  }

  /**
   * Server-side apply of a whole manifest (`fieldManager` is required by the
   * server). `created` is true when the object did not exist before (201).
   */
  async apply<T extends KubeObject = KubeObject>(
    ref: ResourceRef,
    obj: T,
    options: PatchOptions & { fieldManager: string },
  ): Promise<{ object: T; created: boolean }> {
    const name = obj.metadata?.name;
    if (!name) throw new ApiError("BadRequest", "resource name may not be empty");
    const ns = options.namespace ?? obj.metadata?.namespace;
    const res = await this.sendPatch<T>(ref, name, "apply", obj, { ...options, ...(ns ? { namespace: ns } : {}) });
    return { object: res.body, created: res.status === 201 };
  }

  /** Returns the deleted object, or the object with `deletionTimestamp` set while deletion is pending, or a Status. */
  async delete<T = KubeObject | Status>(ref: ResourceRef, name: string, options: DeleteOptions = {}): Promise<T> {
    return (
      await this.send<T>({
        method: "DELETE",
        path: resourcePath(ref, options.namespace, name),
        query: { dryRun: options.dryRun ? "All" : undefined },
        body: deleteBody(options),
        ...signal(options.signal),
      })
    ).body;
  }

  async deleteCollection<T = unknown>(ref: ResourceRef, options: DeleteOptions & ListOptions = {}): Promise<T> {
    return (
      await this.send<T>({
        method: "DELETE",
        path: resourcePath(ref, options.namespace),
        query: { ...listQuery(options), dryRun: options.dryRun ? "All" : undefined },
        body: deleteBody(options),
        ...signal(options.signal),
      })
    ).body;
  }

  /**
   * A watch from `resourceVersion` (list first and pass the list's version
   * to miss nothing). The stream opens on first iteration; an `ERROR` event
   * is thrown as `ApiError` (410 Gone/Expired means: relist). `close()` or
   * aborting `options.signal` ends the iteration without error.
   */
  watch<T = KubeObject>(ref: ResourceRef, options: ListOptions = {}): WatchStream<T> {
    const controller = new AbortController();
    let closeStream: (() => void) | undefined;
    const close = () => {
      controller.abort();
      closeStream?.();
    };
    if (options.signal) {
      if (options.signal.aborted) controller.abort();
      else options.signal.addEventListener("abort", close, { once: true });
    }
    const transport = this.transport;
    const path = resourcePath(ref, options.namespace);
    async function* events(): AsyncGenerator<WatchEvent<T>> {
      if (controller.signal.aborted) return;
      const stream = await transport.stream({
        method: "GET",
        path,
        query: { ...listQuery(options), watch: "true" },
        headers: { accept: options.accept ?? "application/json" },
        signal: controller.signal,
      });
      closeStream = () => stream.close();
      try {
        if (stream.status < 200 || stream.status > 299) {
          let body = "";
          for await (const line of stream.lines) body += line + "\n";
          throw errorFromResponse(stream.status, body, "GET", path);
        }
        if (controller.signal.aborted) return;
        for await (const line of stream.lines) {
          if (controller.signal.aborted) return;
          const event = tryParse(line) as WatchEvent<T> | undefined;
          if (!event || typeof event !== "object" || !event.type) {
            throw new ApiError("InternalError", `unexpected watch event from the server: ${line.slice(0, 200)}`);
          }
          if (event.type === "ERROR") {
            const status = event.object as Partial<Status>;
            throw ApiError.fromStatus(status, status.code ?? 500);
          }
          yield event;
        }
      } finally {
        stream.close();
        options.signal?.removeEventListener("abort", close);
      }
    }
    return {
      [Symbol.asyncIterator]: () => events(),
      close,
    };
  }

  private async put<T extends KubeObject>(
    ref: ResourceRef,
    obj: T,
    subresource: string | undefined,
    options: WriteOptions,
  ): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new ApiError("BadRequest", "resource name may not be empty");
    const ns = options.namespace ?? obj.metadata?.namespace;
    return (
      await this.send<T>({
        method: "PUT",
        path: resourcePath(ref, ns, name, subresource),
        query: writeQuery(options),
        body: obj,
        ...signal(options.signal),
      })
    ).body;
  }

  private sendPatch<T>(ref: ResourceRef, name: string, type: PatchType, patch: unknown, options: PatchOptions) {
    return this.send<T>({
      method: "PATCH",
      path: resourcePath(ref, options.namespace, name, options.subresource),
      query: { ...writeQuery(options), force: type === "apply" && options.force !== undefined ? String(options.force) : undefined },
      body: patch,
      contentType: patchContentType[type],
      ...signal(options.signal),
    });
  }
}

function listQuery(o: ListOptions): Record<string, QueryValue> {
  return {
    labelSelector: o.labelSelector || undefined,
    fieldSelector: o.fieldSelector || undefined,
    limit: o.limit,
    continue: o.continue || undefined,
    resourceVersion: o.resourceVersion,
    resourceVersionMatch: o.resourceVersionMatch,
    timeoutSeconds: o.timeoutSeconds,
    allowWatchBookmarks: o.allowWatchBookmarks ? "true" : undefined,
  };
}

function writeQuery(o: WriteOptions): Record<string, QueryValue> {
  return {
    dryRun: o.dryRun ? "All" : undefined,
    fieldManager: o.fieldManager,
    fieldValidation: o.fieldValidation,
  };
}

function deleteBody(o: DeleteOptions): Record<string, unknown> {
  const body: Record<string, unknown> = { kind: "DeleteOptions", apiVersion: "v1" };
  if (o.propagationPolicy) body["propagationPolicy"] = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) body["gracePeriodSeconds"] = o.gracePeriodSeconds;
  if (o.preconditions) body["preconditions"] = o.preconditions;
  if (o.dryRun) body["dryRun"] = ["All"];
  return body;
}

function accept(value: string | undefined): { headers?: Record<string, string> } {
  return value ? { headers: { accept: value } } : {};
}

function signal(s: AbortSignal | undefined): { signal?: AbortSignal } {
  return s ? { signal: s } : {};
}
