/**
 * A small in-memory API behind a `RestClient`, for controller tests: it
 * answers get, list, merge patch, delete and deletecollection from seeded
 * objects, with the server's deletion rules kept just far enough for a
 * controller to see its own writes (a delete of an object with finalizers
 * only sets `deletionTimestamp`; a patch that removes the last finalizer of
 * an object being deleted removes it). Every request is recorded;
 * `actions()` lists the writes in order, which is what tests compare.
 */
import type { KubeObject } from "../../../api/index.js";
import { RestClient, resourcePath, type ResourceRef } from "../../../client/index.js";
import { RecordingTransport, notFoundStatus, type FakeReply } from "../../../client/testing/index.js";
import type { TransportRequest } from "../../../client/transport.js";

/** One recorded write: `DELETE /api/v1/namespaces/ns/configmaps/a`. */
export interface RecordedAction {
  verb: "create" | "update" | "patch" | "delete" | "deletecollection";
  path: string;
  body?: unknown;
}

export class FakeApi {
  readonly transport: RecordingTransport;
  readonly client: RestClient;
  /** collection path → name → object */
  private readonly collections = new Map<string, Map<string, KubeObject>>();
  private revision = 100;
  /** Answers a request before the in-memory API does (a route it lacks, an error to inject); undefined = not handled. */
  override: ((req: TransportRequest) => FakeReply | undefined) | undefined;

  constructor() {
    this.transport = new RecordingTransport((req) => this.override?.(req) ?? this.answer(req));
    this.client = new RestClient(this.transport);
  }

  seed(ref: ResourceRef, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion ??= String(++this.revision);
    this.collection(resourcePath(ref, obj.metadata.namespace)).set(obj.metadata.name!, stored);
    return structuredClone(stored);
  }

  /** The stored object, or undefined once deleted. */
  find(ref: ResourceRef, key: string): KubeObject | undefined {
    const [ns, name] = key.includes("/") ? key.split("/") : [undefined, key];
    const obj = this.collections.get(resourcePath(ref, ns))?.get(name!);
    return obj && structuredClone(obj);
  }

  actions(): RecordedAction[] {
    const out: RecordedAction[] = [];
    for (const req of this.transport.requests) {
      const body = typeof req.body === "string" && req.body ? (JSON.parse(req.body) as unknown) : undefined;
      const isObjectPath = this.splitPath(req.path).name !== undefined;
      let verb: RecordedAction["verb"] | undefined;
      if (req.method === "POST") verb = "create";
      else if (req.method === "PUT") verb = "update";
      else if (req.method === "PATCH") verb = "patch";
      else if (req.method === "DELETE") verb = isObjectPath ? "delete" : "deletecollection";
      if (verb) out.push({ verb, path: req.path, ...(body !== undefined ? { body } : {}) });
    }
    return out;
  }

  private collection(path: string): Map<string, KubeObject> {
    let c = this.collections.get(path);
    if (!c) this.collections.set(path, (c = new Map()));
    return c;
  }

  /** Splits `/api/v1/namespaces/ns/configmaps/a` into its collection path and name. */
  private splitPath(path: string): { collection: string; name?: string } {
    for (const known of this.collections.keys()) {
      if (path === known) return { collection: known };
      if (path.startsWith(known + "/") && !path.slice(known.length + 1).includes("/")) {
        return { collection: known, name: decodeURIComponent(path.slice(known.length + 1)) };
      }
    }
    return { collection: path };
  }

  private answer(req: TransportRequest): FakeReply {
    const { collection, name } = this.splitPath(req.path);
    const items = this.collections.get(collection);
    // An unknown path lists as empty (a resource with nothing seeded) and is 404 for anything else.
    if (!items && req.method !== "GET") return { status: 404, body: notFoundStatus(req.path) };
    const body = typeof req.body === "string" && req.body ? (JSON.parse(req.body) as Record<string, unknown>) : {};
    if (name === undefined) {
      const list = [...(items?.values() ?? [])];
      if (req.method === "GET") return ok({ kind: "List", apiVersion: "v1", metadata: { resourceVersion: String(this.revision) }, items: list });
      if (req.method === "DELETE") {
        const deleted = list.map((obj) => this.deleteObject(items!, obj, body));
        return ok({ kind: "List", apiVersion: "v1", metadata: {}, items: deleted });
      }
      return { status: 405, body: { kind: "Status", reason: "MethodNotAllowed", code: 405 } };
    }
    const current = items?.get(name);
    if (!current) return { status: 404, body: notFoundStatus(req.path) };
    switch (req.method) {
      case "GET":
        return ok(current);
      case "DELETE": {
        const pre = (body["preconditions"] ?? {}) as { uid?: string };
        if (pre.uid && pre.uid !== current.metadata.uid) return conflict(name);
        return ok(this.deleteObject(items!, current, body));
      }
      case "PATCH": {
        const next = mergePatch(current, body) as KubeObject;
        if (next.metadata.resourceVersion !== current.metadata.resourceVersion) return conflict(name);
        next.metadata.resourceVersion = String(++this.revision);
        if (next.metadata.deletionTimestamp && !next.metadata.finalizers?.length) {
          items!.delete(name);
          return ok(next);
        }
        items!.set(name, next);
        return ok(next);
      }
      default:
        return { status: 405, body: { kind: "Status", reason: "MethodNotAllowed", code: 405 } };
    }
  }

  private deleteObject(items: Map<string, KubeObject>, obj: KubeObject, options: Record<string, unknown>): KubeObject {
    const finalizers = new Set(obj.metadata.finalizers ?? []);
    if (options["propagationPolicy"] === "Foreground") finalizers.add("foregroundDeletion");
    if (options["propagationPolicy"] === "Orphan") finalizers.add("orphan");
    if (finalizers.size === 0) {
      items.delete(obj.metadata.name!);
      return obj;
    }
    const next = structuredClone(obj);
    next.metadata.finalizers = [...finalizers];
    next.metadata.deletionTimestamp ??= "2024-01-01T00:00:00Z";
    next.metadata.resourceVersion = String(++this.revision);
    items.set(obj.metadata.name!, next);
    return next;
  }
}

function ok(body: unknown): FakeReply {
  return { status: 200, body };
}

function conflict(name: string): FakeReply {
  return { status: 409, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict", code: 409, message: `Operation cannot be fulfilled on "${name}": the object has been modified` } };
}

/** RFC 7386 merge patch. */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return structuredClone(patch);
  const out: Record<string, unknown> =
    target !== null && typeof target === "object" && !Array.isArray(target) ? structuredClone(target as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(patch as Record<string, unknown>)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}
