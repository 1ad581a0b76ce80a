/**
 * create, update, patch (json, merge, strategic, apply), delete and
 * deletecollection for every resource, plus the `status` and `scale`
 * subresources and `pods/binding`.
 *
 * Updates run as a guaranteed update: read the current object, compute the
 * new one, write it only if the store is still at the revision read. When
 * the client did not pin a resourceVersion, a lost race is retried on the
 * fresh object; when it did, a stale version is a 409 Conflict.
 */
import type { KubeObject } from "../../api/object.js";
import { apiVersionOf } from "../../api/schema.js";
import { ApiError, errors, isConflict, isNotFound } from "../../api/errors.js";
import { readBody, decodeObject, requireObject, mediaType, parseJson, parseYamlBody } from "../codec.js";
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  applyConfiguration,
  patchTypeFromContentType,
  type PatchType,
} from "../patch/index.js";
import { sendJson, type RequestContext } from "./context.js";
import { deepEqual } from "../registry/index.js";
import type { SchemaNode } from "../../api/schema.js";
import { respondObject, selectorsFrom } from "./read.js";
import {
  admitNamespace,
  checkNamespace,
  checkTypeMeta,
  fieldManagerOf,
  fieldValidationOf,
  isDryRun,
  prepareCreate,
  prepareUpdate,
  rfc3339,
  validateSchema,
} from "./write-pipeline.js";

const maxConflictRetries = 5;

export async function handleCreate(ctx: RequestContext): Promise<void> {
  if (ctx.info.subresource === "binding" && ctx.served.info.plural === "pods") return handleBinding(ctx);
  if (ctx.info.subresource || ctx.info.name) throw errors.methodNotAllowed("POST is not supported on this path");
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const obj = requireObject(decodeObject(body, ctx.req.headers["content-type"])) as KubeObject;
  const created = await createObject(ctx, obj);
  respondObject(ctx, 201, created);
}

/** The create path shared by POST and by server-side apply of a missing object. */
async function createObject(ctx: RequestContext, obj: KubeObject, applied = false): Promise<KubeObject> {
  const validation = fieldValidationOf(ctx.query);
  const dryRun = isDryRun(ctx.query);
  checkTypeMeta(ctx, obj);
  checkNamespace(ctx, obj);
  validateSchema(ctx, obj, validation);
  prepareCreate(ctx, obj, applied ? undefined : fieldManagerOf(ctx));
  await admitNamespace(ctx, obj);
  if (dryRun) {
    const existing = await ctx.deps.objects.tryGet(ctx.served.info, obj.metadata.namespace ?? "", obj.metadata.name!);
    if (existing) throw errors.alreadyExists({ group: ctx.served.info.group, resource: ctx.served.info.plural }, obj.metadata.name!);
    return obj;
  }
  const created = await ctx.deps.objects.create(ctx.served.info, obj);
  if (isCrd(ctx)) await ctx.deps.onCrdWritten(created, false);
  return created;
}

export async function handleUpdate(ctx: RequestContext): Promise<void> {
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const input = requireObject(decodeObject(body, ctx.req.headers["content-type"]));
  if (ctx.info.subresource === "scale") return updateScale(ctx, () => input);
  if (ctx.info.subresource === "finalize") return finalizeNamespace(ctx, input);
  if (ctx.info.subresource && ctx.info.subresource !== "status") throw unsupportedSubresource(ctx);
  checkTypeMeta(ctx, input);
  const obj = input as KubeObject;
  if (obj.metadata.name && obj.metadata.name !== ctx.info.name) {
    throw errors.badRequest(
      `the name of the object (${obj.metadata.name}) does not match the name on the URL (${ctx.info.name})`,
    );
  }
  obj.metadata.name = ctx.info.name;
  checkNamespace(ctx, obj);
  validateSchema(ctx, obj, fieldValidationOf(ctx.query));
  const pinned = obj.metadata.resourceVersion;
  const updated = await guaranteedUpdate(ctx, pinned, () => structuredClone(obj));
  respondObject(ctx, 200, updated);
}

export async function handlePatch(ctx: RequestContext): Promise<void> {
  const type = patchTypeFromContentType(ctx.req.headers["content-type"]);
  if (!type) throw errors.unsupportedMediaType(ctx.req.headers["content-type"] ?? "");
  if (type === "strategic" && ctx.served.crdName) {
    throw new ApiError(
      "UnsupportedMediaType",
      "strategic merge patch is not supported for custom resources; use a merge patch (application/merge-patch+json)",
    );
  }
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const patch = type === "apply" ? parseYamlBody(body) : parseJson(body);
  if (type !== "json") requireObject(patch, "patch");
  else if (!Array.isArray(patch)) throw errors.badRequest("a JSON patch must be an array of operations");

  if (ctx.info.subresource === "scale") {
    return updateScale(ctx, (scale) => applyPatch(ctx, type, scale, patch));
  }
  if (ctx.info.subresource && ctx.info.subresource !== "status") throw unsupportedSubresource(ctx);
  if (type === "apply") return serverSideApply(ctx, patch as KubeObject);

  const validation = fieldValidationOf(ctx.query);
  const updated = await guaranteedUpdate(ctx, undefined, (current) => {
    const patched = requireObject(applyPatch(ctx, type, current, patch), "patched object") as KubeObject;
    checkTypeMeta(ctx, patched);
    patched.metadata.name = ctx.info.name;
    checkNamespace(ctx, patched);
    validateSchema(ctx, patched, validation);
    return patched;
  });
  respondObject(ctx, 200, updated);
}

function applyPatch(ctx: RequestContext, type: PatchType, target: unknown, patch: unknown): unknown {
  switch (type) {
    case "json":
      return applyJsonPatch(target as object, patch);
    case "merge":
      return applyMergePatch(target as object, patch);
    case "strategic":
      return applyStrategicMergePatch(target as object, patch, ctx.served.schema);
    case "apply":
      throw errors.badRequest("apply patches are only supported on the main resource");
  }
}

async function serverSideApply(ctx: RequestContext, applied: KubeObject): Promise<void> {
  const manager = ctx.query.get("fieldManager");
  if (!manager) throw errors.badRequest("PATCH, application/apply-patch+yaml requires fieldManager to be set");
  const force = ctx.query.get("force") === "true";
  checkTypeMeta(ctx, applied as unknown as Record<string, unknown>);
  if (!applied.apiVersion || !applied.kind) throw errors.badRequest("apply patches must specify apiVersion and kind");
  if (applied.metadata.name && applied.metadata.name !== ctx.info.name) {
    throw errors.badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
  }
  applied.metadata.name = ctx.info.name;
  checkNamespace(ctx, applied);
  const validation = fieldValidationOf(ctx.query);
  validateSchema(ctx, applied, validation);
  const now = rfc3339(ctx.deps.clock.now());
  defaultListMapKeys(applied, ctx.served.schema);
  try {
    const updated = await guaranteedUpdate(
      ctx,
      applied.metadata.resourceVersion,
      (current) =>
        applyConfiguration(current, structuredClone(applied), { manager, force, schema: ctx.served.schema, now }),
      { recordManager: false },
    );
    respondObject(ctx, 200, updated);
  } catch (err) {
    if (!isNotFound(err) || ctx.info.subresource) throw err;
    // Apply creates the object when it does not exist yet.
    const obj = applyConfiguration(undefined, structuredClone(applied), { manager, force, schema: ctx.served.schema, now });
    const created = await createObject(ctx, obj, true);
    respondObject(ctx, 201, created);
  }
}

/**
 * Fills defaulted key fields of associative lists in an applied
 * configuration (a port's `protocol`), so that its items are matched with
 * the stored ones, which the server has defaulted — as upstream's apply does.
 */
function defaultListMapKeys(value: unknown, schema: SchemaNode | undefined, depth = 0): void {
  if (!schema || value === null || typeof value !== "object" || depth > 64) return;
  if (Array.isArray(value)) {
    const keys = schema["x-kubernetes-list-map-keys"] ?? [];
    for (const item of value) {
      if (keys.includes("protocol") && item && typeof item === "object" && !("protocol" in item)) {
        (item as Record<string, unknown>)["protocol"] = "TCP";
      }
      defaultListMapKeys(item, schema.items, depth + 1);
    }
    return;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const child = schema.properties?.[k] ?? (typeof schema.additionalProperties === "object" ? schema.additionalProperties : undefined);
    defaultListMapKeys(v, child, depth + 1);
  }
}

interface UpdateOptions {
  /** Record the request's field manager as an Update operation (apply records its own). */
  recordManager?: boolean;
}

/**
 * Read → mutate → write-if-unchanged, retried on a lost race unless the
 * caller pinned `resourceVersion`. Removing the last finalizer of an object
 * being deleted completes the deletion.
 */
async function guaranteedUpdate(
  ctx: RequestContext,
  pinnedVersion: string | undefined,
  mutate: (current: KubeObject) => KubeObject,
  options: UpdateOptions = {},
): Promise<KubeObject> {
  const { served, info } = ctx;
  const dryRun = isDryRun(ctx.query);
  const manager = options.recordManager === false ? undefined : fieldManagerOf(ctx);
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.deps.objects.get(served.info, info.namespace, info.name);
    const next = mutate(structuredClone(current));
    const requested = next.metadata.resourceVersion ?? pinnedVersion;
    if (requested && requested !== current.metadata.resourceVersion) {
      throw errors.conflict(
        { group: served.info.group, resource: served.info.plural },
        info.name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    // Binding and finalize change one server-owned field; the kind's update rules (a pod's
    // immutable spec) do not apply to them, as upstream.
    if (ctx.info.subresource !== "finalize" && ctx.info.subresource !== "binding") prepareUpdate(ctx, next, current, manager);
    if (dryRun) return next;
    const revision = Number(current.metadata.resourceVersion);
    const completesDeletion =
      next.metadata.deletionTimestamp !== undefined && !hasFinalizers(next) && !gracePending(next);
    // Like kube-apiserver, an update that changes nothing is not written: no new
    // resourceVersion, no watch event.
    if (!completesDeletion && deepEqual(next, current)) return current;
    try {
      if (completesDeletion) {
        const deleted = await ctx.deps.objects.delete(served.info, info.namespace, info.name, revision);
        if (isCrd(ctx)) await ctx.deps.onCrdWritten(deleted, true);
        return deleted;
      }
      const written = await ctx.deps.objects.update(served.info, next, revision);
      if (isCrd(ctx)) await ctx.deps.onCrdWritten(written, false);
      return written;
    } catch (err) {
      if (isConflict(err) && !requested && attempt < maxConflictRetries) continue;
      throw err;
    }
  }
}

/** Finalizers that hold a deleted object: metadata.finalizers, and a Namespace's spec.finalizers. */
function hasFinalizers(obj: KubeObject): boolean {
  const spec = obj["spec"] as { finalizers?: string[] } | undefined;
  return (obj.metadata.finalizers?.length ?? 0) > 0 || (obj.kind === "Namespace" && (spec?.finalizers?.length ?? 0) > 0);
}

/**
 * PUT namespaces/{name}/finalize: the namespace controller's way to remove
 * `kubernetes` from spec.finalizers once the namespace is empty. Only
 * spec.finalizers changes; the namespace goes when nothing holds it.
 */
async function finalizeNamespace(ctx: RequestContext, input: Record<string, unknown>): Promise<void> {
  const finalizers = (input["spec"] as { finalizers?: unknown } | undefined)?.finalizers ?? [];
  if (!Array.isArray(finalizers) || finalizers.some((f) => typeof f !== "string")) {
    throw errors.invalid("Namespace", "", ctx.info.name, [
      { type: "FieldValueInvalid", field: "spec.finalizers", value: finalizers, detail: "must be a list of strings" },
    ]);
  }
  const updated = await guaranteedUpdate(ctx, (input["metadata"] as { resourceVersion?: string } | undefined)?.resourceVersion, (current) => {
    const spec = { ...((current["spec"] as object | undefined) ?? {}) } as { finalizers?: string[] };
    if (finalizers.length) spec.finalizers = finalizers as string[];
    else delete spec.finalizers;
    current["spec"] = spec;
    return current;
  });
  respondObject(ctx, 200, updated);
}

/** A pod in graceful termination stays until its kubelet deletes it with grace 0. */
function gracePending(obj: KubeObject): boolean {
  return (obj.metadata.deletionGracePeriodSeconds ?? 0) > 0;
}

// ---- scale ----------------------------------------------------------------

function getPath(obj: unknown, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.replace(/^\./, "").split(".")) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.replace(/^\./, "").split(".");
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (cur[part] === null || typeof cur[part] !== "object") cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** The autoscaling/v1 Scale view of an object with a scale subresource. */
export function scaleOf(ctx: RequestContext, obj: KubeObject): Record<string, unknown> {
  const scale = ctx.served.info.subresources.scale;
  if (!scale) throw unsupportedSubresource(ctx);
  let selector = scale.labelSelectorPath ? getPath(obj, scale.labelSelectorPath) : undefined;
  // Built-in workloads (Deployment, ReplicaSet, …) report their spec.selector, as upstream does.
  if (selector === undefined && !ctx.served.crdName) selector = getPath(obj, ".spec.selector");
  if (selector && typeof selector === "object") selector = formatSelectorStruct(selector as never);
  return {
    kind: "Scale",
    apiVersion: "autoscaling/v1",
    metadata: {
      name: obj.metadata.name,
      namespace: obj.metadata.namespace,
      uid: obj.metadata.uid,
      resourceVersion: obj.metadata.resourceVersion,
      creationTimestamp: obj.metadata.creationTimestamp,
    },
    spec: { replicas: getPath(obj, scale.specReplicasPath) ?? 0 },
    status: {
      replicas: getPath(obj, scale.statusReplicasPath) ?? 0,
      ...(selector ? { selector } : {}),
    },
  };
}

function formatSelectorStruct(sel: { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] }): string {
  const parts = Object.entries(sel.matchLabels ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = [...(e.values ?? [])].sort().join(",");
    if (e.operator === "In") parts.push(`${e.key} in (${vals})`);
    else if (e.operator === "NotIn") parts.push(`${e.key} notin (${vals})`);
    else if (e.operator === "Exists") parts.push(e.key);
    else if (e.operator === "DoesNotExist") parts.push(`!${e.key}`);
  }
  return parts.join(",");
}

export async function handleGetScale(ctx: RequestContext): Promise<void> {
  const obj = await ctx.deps.objects.get(ctx.served.info, ctx.info.namespace, ctx.info.name);
  sendJson(ctx, 200, scaleOf(ctx, obj));
}

async function updateScale(ctx: RequestContext, change: (scale: Record<string, unknown>) => unknown): Promise<void> {
  const scaleInfo = ctx.served.info.subresources.scale;
  if (!scaleInfo) throw unsupportedSubresource(ctx);
  let pinned: string | undefined;
  const updated = await guaranteedUpdate(ctx, undefined, (current) => {
    const before = scaleOf(ctx, current);
    const after = requireObject(change(structuredClone(before)), "Scale") as { spec?: { replicas?: unknown }; metadata?: { resourceVersion?: string } };
    const replicas = after.spec?.replicas;
    if (typeof replicas !== "number" || !Number.isInteger(replicas) || replicas < 0) {
      throw errors.invalid("Scale", "autoscaling", ctx.info.name, [
        { type: "FieldValueInvalid", field: "spec.replicas", value: replicas, detail: "must be greater than or equal to 0" },
      ]);
    }
    pinned = after.metadata?.resourceVersion;
    if (pinned && pinned !== current.metadata.resourceVersion) {
      throw errors.conflict(
        { group: ctx.served.info.group, resource: ctx.served.info.plural },
        ctx.info.name,
        "the object has been modified; please apply your changes to the latest version and try again",
      );
    }
    setPath(current as unknown as Record<string, unknown>, scaleInfo.specReplicasPath, replicas);
    return current;
  });
  sendJson(ctx, 200, scaleOf(ctx, updated));
}

// ---- pods/binding -----------------------------------------------------------

/** POST pods/{name}/binding: sets spec.nodeName once, as the scheduler's bind step. */
async function handleBinding(ctx: RequestContext): Promise<void> {
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const binding = requireObject(decodeObject(body, ctx.req.headers["content-type"])) as {
    target?: { name?: string; kind?: string };
  };
  const node = binding.target?.name;
  if (!node) throw errors.invalid("Binding", "", ctx.info.name, [{ type: "FieldValueRequired", field: "target.name", detail: "" }]);
  await guaranteedUpdate(ctx, undefined, (pod) => {
    const spec = (pod["spec"] ?? {}) as { nodeName?: string };
    if (pod.metadata.deletionTimestamp) {
      throw errors.conflict({ group: "", resource: "pods" }, ctx.info.name, "pod is being deleted, cannot be assigned to a host");
    }
    if (spec.nodeName) {
      throw errors.conflict({ group: "", resource: "pods" }, ctx.info.name, `pod ${ctx.info.name} is already assigned to node "${spec.nodeName}"`);
    }
    spec.nodeName = node;
    pod["spec"] = spec;
    return pod;
  });
  sendJson(ctx, 201, { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 201 });
}

// ---- delete -----------------------------------------------------------------

interface DeleteOptions {
  gracePeriodSeconds?: number;
  propagationPolicy?: "Orphan" | "Background" | "Foreground";
  preconditions?: { uid?: string; resourceVersion?: string };
  orphanDependents?: boolean;
}

async function deleteOptionsOf(ctx: RequestContext): Promise<DeleteOptions> {
  const body = await readBody(ctx.req, ctx.deps.maxBodyBytes);
  const options: DeleteOptions = body.length && body.toString().trim() ? (requireObject(parseJson(body), "DeleteOptions") as DeleteOptions) : {};
  const grace = ctx.query.get("gracePeriodSeconds");
  if (grace !== null) options.gracePeriodSeconds = Number(grace);
  const policy = ctx.query.get("propagationPolicy");
  if (policy !== null) options.propagationPolicy = policy as DeleteOptions["propagationPolicy"];
  if (options.propagationPolicy && !["Orphan", "Background", "Foreground"].includes(options.propagationPolicy)) {
    throw errors.invalid("DeleteOptions", "", "", [
      { type: "FieldValueNotSupported", field: "propagationPolicy", value: options.propagationPolicy, detail: 'supported values: "Foreground", "Background", "Orphan"' },
    ]);
  }
  if (options.gracePeriodSeconds !== undefined && (!Number.isInteger(options.gracePeriodSeconds) || options.gracePeriodSeconds < 0)) {
    throw errors.badRequest("gracePeriodSeconds must be a non-negative integer");
  }
  return options;
}

export async function handleDelete(ctx: RequestContext): Promise<void> {
  if (ctx.info.subresource) throw unsupportedSubresource(ctx);
  const options = await deleteOptionsOf(ctx);
  const result = await deleteOne(ctx, ctx.info.namespace, ctx.info.name, options);
  respondObject(ctx, 200, result);
}

/**
 * Deletes one object:
 * - preconditions (uid, resourceVersion) must hold;
 * - Orphan/Foreground add the `orphan`/`foregroundDeletion` finalizer (the
 *   garbage collector finishes the job);
 * - an object with finalizers, or a pod bound to a node with a grace period,
 *   only gets `deletionTimestamp`; otherwise it is removed at once.
 */
async function deleteOne(ctx: RequestContext, namespace: string, name: string, options: DeleteOptions): Promise<KubeObject> {
  const { served } = ctx;
  const dryRun = isDryRun(ctx.query);
  for (let attempt = 0; ; attempt++) {
    const current = await ctx.deps.objects.get(served.info, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== current.metadata.uid) {
      throw errors.conflict({ group: served.info.group, resource: served.info.plural }, name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== current.metadata.resourceVersion) {
      throw errors.conflict({ group: served.info.group, resource: served.info.plural }, name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion}`);
    }
    const next = structuredClone(current);
    const finalizers = new Set(next.metadata.finalizers ?? []);
    const policy = options.propagationPolicy ?? (options.orphanDependents ? "Orphan" : undefined);
    if (policy === "Orphan") finalizers.add("orphan");
    if (policy === "Foreground") finalizers.add("foregroundDeletion");
    if (policy === "Background") {
      finalizers.delete("orphan");
      finalizers.delete("foregroundDeletion");
    }
    const grace = gracePeriodFor(served.info.plural, current, options);
    const namespaceFinalizers = served.info.plural === "namespaces" && ((next["spec"] as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0;
    const revision = Number(current.metadata.resourceVersion);
    try {
      if (finalizers.size === 0 && grace === 0 && !namespaceFinalizers) {
        if (dryRun) return current;
        const deleted = await ctx.deps.objects.delete(served.info, namespace, name, revision);
        if (isCrd(ctx)) await ctx.deps.onCrdWritten(deleted, true);
        return deleted;
      }
      if (current.metadata.deletionTimestamp && sameSet(finalizers, current.metadata.finalizers ?? []) &&
          (current.metadata.deletionGracePeriodSeconds ?? 0) <= grace) {
        return current;
      }
      next.metadata.finalizers = [...finalizers];
      if (next.metadata.finalizers.length === 0) delete next.metadata.finalizers;
      const now = ctx.deps.clock.now();
      const currentGrace = current.metadata.deletionGracePeriodSeconds;
      if (!current.metadata.deletionTimestamp || (currentGrace !== undefined && grace < currentGrace)) {
        next.metadata.deletionTimestamp = rfc3339(now + grace * 1000) as never;
        next.metadata.deletionGracePeriodSeconds = grace;
      }
      if (served.info.plural === "namespaces") {
        next["status"] = { ...((next["status"] as object) ?? {}), phase: "Terminating" };
      }
      if (dryRun) return next;
      const written = await ctx.deps.objects.update(served.info, next, revision);
      if (isCrd(ctx)) await ctx.deps.onCrdWritten(written, false);
      return written;
    } catch (err) {
      if (isConflict(err) && !pre?.resourceVersion && attempt < maxConflictRetries) continue;
      throw err;
    }
  }
}

function sameSet(a: Set<string>, b: string[]): boolean {
  return a.size === b.length && b.every((x) => a.has(x));
}

/** Graceful deletion applies to pods that a kubelet is running (bound to a node). */
function gracePeriodFor(plural: string, obj: KubeObject, options: DeleteOptions): number {
  if (plural !== "pods") return 0;
  const spec = (obj["spec"] ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  if (!spec.nodeName) return 0;
  const status = (obj["status"] ?? {}) as { phase?: string };
  if (status.phase === "Succeeded" || status.phase === "Failed") return 0;
  return options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
}

export async function handleDeleteCollection(ctx: RequestContext): Promise<void> {
  const options = await deleteOptionsOf(ctx);
  const selectors = selectorsFrom(ctx);
  const page = await ctx.deps.objects.list(ctx.served.info, ctx.info.namespace, {});
  const deleted: KubeObject[] = [];
  for (const obj of page.items) {
    if (!selectors.matches(obj)) continue;
    try {
      deleted.push(await deleteOne(ctx, obj.metadata.namespace ?? "", obj.metadata.name!, options));
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  sendJson(ctx, 200, {
    apiVersion: apiVersionOf(ctx.served.info),
    kind: ctx.served.info.listKind,
    metadata: { resourceVersion: String(page.revision) },
    items: deleted,
  });
}

function isCrd(ctx: RequestContext): boolean {
  return ctx.served.info.group === "apiextensions.k8s.io" && ctx.served.info.plural === "customresourcedefinitions";
}

export function unsupportedSubresource(ctx: RequestContext): ApiError {
  return errors.notFound({ group: ctx.served.info.group, resource: `${ctx.served.info.plural}/${ctx.info.subresource}` }, ctx.info.name);
}

export { mediaType };
