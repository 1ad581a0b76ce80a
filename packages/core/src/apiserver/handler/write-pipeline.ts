/**
 * The steps every write goes through, shared by create, update, patch and
 * apply, so that no path can skip validation:
 *
 *   type meta check → schema (unknown fields per fieldValidation) →
 *   system fields → strategy.prepare → defaults → strategy.validate →
 *   admission (namespace lifecycle) → managed fields → store
 */
import { randomUUID, randomInt } from "node:crypto";
import type { KubeObject } from "../../api/object.js";
import { apiVersionOf, parseApiVersion } from "../../api/schema.js";
import { ApiError, errors, type FieldError } from "../../api/errors.js";
import { validateAgainstSchema } from "../../api/schema-validation.js";
import { applyDefaults } from "../../api/defaults/index.js";
import { recordUpdate } from "../patch/index.js";
import type { RequestContext } from "./context.js";

export type FieldValidation = "Strict" | "Warn" | "Ignore";

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const v = query.get("fieldValidation");
  if (v === null || v === "") return "Warn";
  if (v === "Strict" || v === "Warn" || v === "Ignore") return v;
  throw errors.badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got ${JSON.stringify(v)}`);
}

export function isDryRun(query: URLSearchParams): boolean {
  const values = query.getAll("dryRun");
  for (const v of values) {
    if (v !== "All") throw errors.badRequest(`unsupported dry run value ${JSON.stringify(v)}: only "All" is supported`);
  }
  return values.length > 0;
}

/** The field manager for this request: `fieldManager`, else the client name from User-Agent. */
export function fieldManagerOf(ctx: RequestContext): string {
  const explicit = ctx.query.get("fieldManager");
  if (explicit !== null) {
    if (explicit.length === 0 || explicit.length > 128) {
      throw errors.badRequest("fieldManager must be between 1 and 128 characters long");
    }
    return explicit;
  }
  const ua = ctx.req.headers["user-agent"] ?? "unknown";
  return ua.split("/")[0]!.slice(0, 128) || "unknown";
}

/** The body's apiVersion/kind must name this endpoint's kind (or be left empty). */
export function checkTypeMeta(ctx: RequestContext, obj: Record<string, unknown>): void {
  const info = ctx.served.info;
  const apiVersion = obj["apiVersion"];
  const kind = obj["kind"];
  if (apiVersion !== undefined && typeof apiVersion !== "string") {
    throw errors.badRequest("apiVersion must be a string");
  }
  if (kind !== undefined && typeof kind !== "string") throw errors.badRequest("kind must be a string");
  if (kind && kind !== info.kind) {
    throw errors.badRequest(`the kind of the object (${kind}) does not match the kind of the endpoint (${info.kind})`);
  }
  if (apiVersion) {
    const gv = parseApiVersion(apiVersion);
    if (gv.group !== info.group || gv.version !== info.version) {
      throw errors.badRequest(
        `the API version in the data (${apiVersion}) does not match the expected API version (${apiVersionOf(info)})`,
      );
    }
  }
  const meta = obj["metadata"];
  if (meta === undefined || meta === null) obj["metadata"] = {};
  else if (typeof meta !== "object" || Array.isArray(meta)) {
    throw errors.invalid(info.kind, info.group, "", [
      { type: "FieldValueTypeInvalid", field: "metadata", value: meta, detail: "must be an object" },
    ]);
  }
  obj["apiVersion"] = apiVersionOf(info);
  obj["kind"] = info.kind;
}

/** Sets or checks metadata.namespace against the request's namespace. */
export function checkNamespace(ctx: RequestContext, obj: KubeObject): void {
  const { info, served } = ctx;
  if (!served.info.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const ns = obj.metadata.namespace;
  if (ns && info.namespace && ns !== info.namespace) {
    throw errors.badRequest("the namespace of the provided object does not match the namespace sent on the request");
  }
  if (!info.namespace) throw errors.badRequest("a namespace is required for namespaced resources");
  obj.metadata.namespace = info.namespace;
}

/**
 * Schema validation of user input. Unknown fields follow fieldValidation:
 * Strict → 400 listing them, Warn → a warning header, Ignore → dropped silently.
 * Type and value errors are 422 Invalid with the field path.
 */
export function validateSchema(ctx: RequestContext, obj: KubeObject, validation: FieldValidation): void {
  const schema = ctx.served.schema;
  if (!schema) return;
  const { errors: errs, warnings } = validateAgainstSchema(obj, schema, {
    unknownFields: validation,
    prune: true,
  });
  const unknown = errs.filter((e) => e.type === "UnknownField");
  const other = errs.filter((e) => e.type !== "UnknownField");
  if (other.length) throw errors.invalid(ctx.served.info.kind, ctx.served.info.group, obj.metadata?.name ?? "", other);
  if (unknown.length) {
    throw new ApiError(
      "BadRequest",
      `strict decoding error: ${unknown.map((e) => `unknown field "${e.field}"`).join(", ")}`,
      {
        kind: ctx.served.info.plural,
        group: ctx.served.info.group,
        name: obj.metadata?.name ?? "",
        causes: unknown.map((e) => ({ reason: "FieldValueInvalid", message: `unknown field "${e.field}"`, field: e.field })),
      },
    );
  }
  ctx.warnings.push(...warnings);
}

const nameSuffixAlphabet = "bcdfghjklmnpqrstvwxz2456789";

/** Fills the fields the server owns on create (uid, creationTimestamp, generated name). */
export function fillCreateMetadata(ctx: RequestContext, obj: KubeObject): void {
  const meta = obj.metadata;
  if (!meta.name && meta.generateName) {
    let suffix = "";
    for (let i = 0; i < 5; i++) suffix += nameSuffixAlphabet[randomInt(nameSuffixAlphabet.length)];
    meta.name = meta.generateName.slice(0, 58) + suffix;
  }
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(ctx.deps.clock.now()) as never;
  delete meta.resourceVersion;
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  if (meta.generation !== undefined) delete meta.generation;
}

/** Copies the server-owned metadata from the stored object onto an update. */
export function keepSystemMetadata(obj: KubeObject, current: Readonly<KubeObject>): void {
  const meta = obj.metadata;
  const cur = current.metadata;
  meta.uid = cur.uid;
  meta.creationTimestamp = cur.creationTimestamp;
  meta.generation = cur.generation;
  if (cur.deletionTimestamp) meta.deletionTimestamp = cur.deletionTimestamp;
  else delete meta.deletionTimestamp;
  if (cur.deletionGracePeriodSeconds !== undefined) meta.deletionGracePeriodSeconds = cur.deletionGracePeriodSeconds;
  else delete meta.deletionGracePeriodSeconds;
  if (meta.generateName === undefined && cur.generateName !== undefined) meta.generateName = cur.generateName;
  delete meta.selfLink;
}

export function throwIfInvalid(ctx: RequestContext, obj: KubeObject, errs: FieldError[]): void {
  if (errs.length) throw errors.invalid(ctx.served.info.kind, ctx.served.info.group, obj.metadata.name ?? "", errs);
}

/** prepareForCreate → defaults → validate, for an object that already passed the schema. */
export function prepareCreate(ctx: RequestContext, obj: KubeObject, manager: string | undefined): void {
  const { strategy } = ctx.served;
  fillCreateMetadata(ctx, obj);
  strategy.prepareForCreate(obj);
  applyDefaults(obj);
  throwIfInvalid(ctx, obj, strategy.validate(obj));
  // Server-side apply has already recorded its own (Apply) ownership.
  if (manager === undefined) return;
  recordUpdate(undefined, obj, {
    manager,
    operation: "Update",
    apiVersion: apiVersionOf(ctx.served.info),
    now: rfc3339(ctx.deps.clock.now()),
    schema: ctx.served.schema,
  });
}

/** prepareForUpdate (or status) → defaults → validate + validateUpdate. */
export function prepareUpdate(
  ctx: RequestContext,
  obj: KubeObject,
  current: Readonly<KubeObject>,
  manager: string | undefined,
): void {
  const { strategy } = ctx.served;
  keepSystemMetadata(obj, current);
  if (ctx.info.subresource === "status") strategy.prepareForStatusUpdate(obj, current);
  else strategy.prepareForUpdate(obj, current);
  applyDefaults(obj);
  throwIfInvalid(ctx, obj, [...strategy.validate(obj), ...strategy.validateUpdate(obj, current)]);
  if (obj.metadata.deletionTimestamp && (obj.metadata.finalizers?.length ?? 0) > (current.metadata.finalizers?.length ?? 0)) {
    const added = (obj.metadata.finalizers ?? []).filter((f) => !(current.metadata.finalizers ?? []).includes(f));
    if (added.length) {
      throw errors.invalid(ctx.served.info.kind, ctx.served.info.group, obj.metadata.name ?? "", [
        { type: "FieldValueForbidden", field: "metadata.finalizers", detail: "no new finalizers can be added if the object is being deleted" },
      ]);
    }
  }
  if (manager) {
    recordUpdate(current as KubeObject, obj, {
      manager,
      operation: "Update",
      apiVersion: apiVersionOf(ctx.served.info),
      now: rfc3339(ctx.deps.clock.now()),
      schema: ctx.served.schema,
    });
  }
}

/** Namespace lifecycle admission: the namespace must exist and not be terminating. */
export async function admitNamespace(ctx: RequestContext, obj: KubeObject): Promise<void> {
  if (!ctx.served.info.namespaced) return;
  const nsInfo = ctx.deps.catalog.lookup("", "v1", "namespaces")!.info;
  const ns = await ctx.deps.objects.tryGet(nsInfo, "", obj.metadata.namespace!);
  if (!ns) throw errors.notFound({ group: "", resource: "namespaces" }, obj.metadata.namespace!);
  if (ns.metadata.deletionTimestamp) {
    throw errors.forbidden(
      `${ctx.served.info.plural} "${obj.metadata.name}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
    );
  }
}

/** RFC 3339 at seconds precision, as Kubernetes writes timestamps. */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
