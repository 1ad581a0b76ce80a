/**
 * A recording, in-memory API server behind a real `RestClient`, for
 * controller tests in the sample-controller style: seed objects, run one
 * `sync`, compare `actions()`. It answers get, create (with
 * `generateName`, uid and resourceVersion), update and status update
 * (pinned resourceVersions conflict), merge patch and delete. `failNext`
 * injects an error for the next matching write.
 */
import type { KubeObject } from "../../../api/index.js";
import { RestClient } from "../../../client/index.js";
import { RecordingTransport, notFoundStatus, type FakeReply } from "../../../client/testing/index.js";
import type { TransportRequest } from "../../../client/transport.js";

export interface RecordedAction {
  verb: "create" | "update" | "patch" | "delete";
  /** `pods`, `replicasets`, `deployments`, `events`… */
  resource: string;
  /** `status` for a status update. */
  subresource?: string;
  namespace: string;
  /** For a create: the name the server chose. */
  name: string;
  body?: KubeObject & Record<string, unknown>;
}

interface ParsedPath {
  collection: string;
  resource: string;
  namespace: string;
  name?: string;
  subresource?: string;
}

export class FakeApi {
  readonly client: RestClient;
  readonly transport: RecordingTransport;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly recorded: RecordedAction[] = [];
  private revision = 1000;
  private uids = 0;
  private names = 0;
  private readonly failures: { verb: RecordedAction["verb"]; resource: string; reply: FakeReply }[] = [];

  constructor() {
    this.transport = new RecordingTransport((req) => this.answer(req));
    this.client = new RestClient(this.transport);
  }

  /** Stores `obj` under its collection path, e.g. `/api/v1/namespaces/ns/pods`. */
  seed(collection: string, obj: KubeObject): void {
    const stored = structuredClone(obj);
    stored.metadata.resourceVersion ??= String(++this.revision);
    this.collection(collection).set(stored.metadata.name!, stored);
  }

  find(collection: string, name: string): KubeObject | undefined {
    const obj = this.objects.get(collection)?.get(name);
    return obj && structuredClone(obj);
  }

  /** The next `verb` on `resource` fails with this HTTP status and reason. */
  failNext(verb: RecordedAction["verb"], resource: string, code: number, reason: string): void {
    this.failures.push({ verb, resource, reply: { status: code, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason, code, message: `injected ${reason}` } } });
  }

  /** Every write so far, in order; events left out unless asked for. */
  actions(options: { events?: boolean } = {}): RecordedAction[] {
    return this.recorded.filter((a) => options.events || a.resource !== "events");
  }

  /** `verb resource[/subresource] namespace/name` of every write (events excluded). */
  summary(): string[] {
    return this.actions().map((a) => `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ""} ${a.namespace}/${a.name}`);
  }

  clearActions(): void {
    this.recorded.length = 0;
  }

  private collection(path: string): Map<string, KubeObject> {
    let c = this.objects.get(path);
    if (!c) this.objects.set(path, (c = new Map()));
    return c;
  }

  private parse(path: string): ParsedPath {
    const parts = path.split("/").filter(Boolean);
    // /api/v1/namespaces/ns/pods[/name[/sub]] or /apis/g/v/namespaces/ns/res[/name[/sub]]
    const base = parts[0] === "api" ? 2 : 3;
    const rest = parts.slice(base);
    let namespace = "";
    if (rest[0] === "namespaces" && rest.length >= 3) {
      namespace = rest[1]!;
      rest.splice(0, 2);
    }
    const resource = rest[0]!;
    const collection = "/" + [...parts.slice(0, base), ...(namespace ? ["namespaces", namespace] : []), resource].join("/");
    return { collection, resource, namespace, name: rest[1] && decodeURIComponent(rest[1]), subresource: rest[2] };
  }

  private answer(req: TransportRequest): FakeReply {
    const p = this.parse(req.path);
    const body = typeof req.body === "string" && req.body ? (JSON.parse(req.body) as KubeObject) : undefined;
    const verb = ({ POST: "create", PUT: "update", PATCH: "patch", DELETE: "delete" } as const)[req.method as "POST"];
    if (verb) {
      const name = verb === "create" ? "" : p.name!;
      const action: RecordedAction = { verb, resource: p.resource, namespace: p.namespace, name, ...(p.subresource ? { subresource: p.subresource } : {}), ...(body ? { body: body as RecordedAction["body"] } : {}) };
      this.recorded.push(action);
      const i = this.failures.findIndex((f) => f.verb === verb && f.resource === p.resource);
      if (i >= 0) return this.failures.splice(i, 1)[0]!.reply;
      const reply = this.write(verb, p, body);
      if (verb === "create" && reply.status === 201) action.name = (reply.body as KubeObject).metadata.name!;
      return reply;
    }
    const items = this.objects.get(p.collection);
    if (p.name === undefined) {
      return { status: 200, body: { kind: "List", apiVersion: "v1", metadata: { resourceVersion: String(this.revision) }, items: [...(items?.values() ?? [])] } };
    }
    const obj = items?.get(p.name);
    return obj ? { status: 200, body: obj } : { status: 404, body: notFoundStatus(req.path) };
  }

  private write(verb: RecordedAction["verb"], p: ParsedPath, body: KubeObject | undefined): FakeReply {
    const items = this.collection(p.collection);
    if (verb === "create") {
      const obj = structuredClone(body!);
      obj.metadata.name ??= `${obj.metadata.generateName ?? ""}${(++this.names).toString(36).padStart(5, "x")}`;
      if (items.has(obj.metadata.name)) return { status: 409, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "AlreadyExists", code: 409, message: `"${obj.metadata.name}" already exists` } };
      obj.metadata.namespace ??= p.namespace || undefined;
      obj.metadata.uid = `uid-${++this.uids}`;
      obj.metadata.resourceVersion = String(++this.revision);
      obj.metadata.generation = 1;
      items.set(obj.metadata.name, obj);
      return { status: 201, body: obj };
    }
    const current = items.get(p.name!);
    if (!current) return { status: 404, body: notFoundStatus(p.collection + "/" + p.name) };
    const conflict: FakeReply = { status: 409, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "Conflict", code: 409, message: `the object has been modified` } };
    if (verb === "delete") {
      items.delete(p.name!);
      return { status: 200, body: current };
    }
    let next: KubeObject;
    if (verb === "update") {
      next = structuredClone(body!);
      if (next.metadata.resourceVersion && next.metadata.resourceVersion !== current.metadata.resourceVersion) return conflict;
      if (p.subresource === "status") next = { ...structuredClone(current), status: next["status"] };
      else next = { ...next, status: current["status"] };
    } else {
      next = mergePatch(current, body) as KubeObject;
      if (next.metadata.resourceVersion !== current.metadata.resourceVersion) return conflict;
    }
    next.metadata.resourceVersion = String(++this.revision);
    items.set(p.name!, next);
    return { status: 200, body: next };
  }
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
