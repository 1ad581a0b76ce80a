/**
 * The OpenAPI v3 documents kube-apiserver serves under `/openapi/v3`: one
 * discovery index and one document per group/version.
 *
 * kubectl relies on two things here (notes/kubectl.md §0.3, §1.17):
 * - `create`/`apply`/`replace --validate=strict` look for the PATCH operation
 *   tagged with the kind's `x-kubernetes-group-version-kind` and check that it
 *   lists the `fieldValidation` query parameter; parameters are therefore
 *   written inline on every operation, never as `$ref`s.
 * - `explain` finds the kind's schema in `components.schemas` by its
 *   `x-kubernetes-group-version-kind` and follows `$ref`s from there.
 *
 * Output is deterministic: same input, same bytes, same hash.
 */
import type { ResourceInfo } from "../resource-info.js";
import type { GroupVersionKind } from "../schema.js";
import { builtinDefinitionName, definitions } from "./schema-graph.js";
import { sha512Hex } from "./sha512.js";

type Json = Record<string, unknown>;

const refPrefix = "#/components/schemas/";
const meta = "io.k8s.apimachinery.pkg.apis.meta.v1";
const scaleDefinition = "io.k8s.api.autoscaling.v1.Scale";
const scaleGvk: GroupVersionKind = { group: "autoscaling", version: "v1", kind: "Scale" };

const ref = (name: string): Json => ({ $ref: `${refPrefix}${name}` });

/**
 * Definition name of a custom resource kind, as upstream builds it: the group
 * reversed, then version and kind (`stable.example.com`/`v1`/`CronTab` →
 * `com.example.stable.v1.CronTab`).
 */
export function customResourceDefinitionName(gvk: GroupVersionKind): string {
  return [...gvk.group.split(".").reverse(), gvk.version, gvk.kind].join(".");
}

/** The schema name a kind has in `components.schemas`: the built-in one, else the custom-resource one. */
export function definitionNameFor(gvk: GroupVersionKind): string {
  return builtinDefinitionName(gvk) ?? customResourceDefinitionName(gvk);
}

/**
 * A custom resource's entry for `components.schemas` (to pass in
 * `extraSchemas` under `definitionNameFor(gvk)`): its structural schema with
 * `apiVersion`, `kind` and `metadata` (a `$ref` to ObjectMeta) added and the
 * group-version-kind tag set.
 */
export function customResourceSchema(gvk: GroupVersionKind, openAPIV3Schema: unknown): Json {
  const schema: Json = { type: "object", ...((openAPIV3Schema ?? {}) as Json) };
  const properties = { ...((schema.properties ?? {}) as Json) };
  properties.apiVersion = typeMetaProperty("apiVersion");
  properties.kind = typeMetaProperty("kind");
  properties.metadata = {
    allOf: [ref(`${meta}.ObjectMeta`)],
    description: "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  };
  schema.properties = sortKeys(properties);
  schema["x-kubernetes-group-version-kind"] = [{ group: gvk.group, kind: gvk.kind, version: gvk.version }];
  return schema;
}

function typeMetaProperty(field: "apiVersion" | "kind"): Json {
  return field === "apiVersion"
    ? { type: "string", description: "APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources" }
    : { type: "string", description: "Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" };
}

function listSchema(gvk: GroupVersionKind, itemName: string): Json {
  return {
    description: `${gvk.kind}List is a list of ${gvk.kind}`,
    type: "object",
    required: ["items"],
    properties: {
      apiVersion: typeMetaProperty("apiVersion"),
      items: { type: "array", description: `List of ${gvk.kind.toLowerCase()}s.`, items: ref(itemName) },
      kind: typeMetaProperty("kind"),
      metadata: { allOf: [ref(`${meta}.ListMeta`)], description: "Standard list metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds" },
    },
    "x-kubernetes-group-version-kind": [{ group: gvk.group, kind: `${gvk.kind}List`, version: gvk.version }],
  };
}

// --- parameters (inline, upstream wording) ---------------------------------

const query = (name: string, description: string, type: "string" | "boolean" | "integer" = "string"): Json => ({
  description,
  in: "query",
  name,
  schema: { type, uniqueItems: true },
});

const params = {
  pretty: query("pretty", "If 'true', then the output is pretty printed. Defaults to 'false' unless the user-agent indicates a browser or command-line HTTP tool (curl and wget)."),
  dryRun: query("dryRun", "When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive will result in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed"),
  fieldManager: query("fieldManager", "fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters, as defined by https://golang.org/pkg/unicode/#IsPrint."),
  fieldValidation: query("fieldValidation", "fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: This will ignore any unknown fields that are silently dropped from the object, and will ignore all but the last duplicate field that the decoder encounters. This is the default behavior prior to v1.23. - Warn: This will send a warning via the standard warning response header for each unknown field that is dropped from the object, and for each duplicate field that is encountered. The request will still succeed if there are no other errors, and will only persist the last of any duplicate fields. This is the default in v1.23+ - Strict: This will fail the request with a BadRequest error if any unknown fields would be dropped from the object, or if any duplicate fields are present. The error returned from the server will contain all unknown and duplicate fields encountered."),
  force: query("force", "Force is going to \"force\" Apply requests. It means user will re-acquire conflicting fields owned by other people. Force flag must be unset for non-apply patch requests.", "boolean"),
  gracePeriodSeconds: query("gracePeriodSeconds", "The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used. Defaults to a per object value if not specified. zero means delete immediately.", "integer"),
  propagationPolicy: query("propagationPolicy", "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. The default policy is decided by the existing finalizer set in the metadata.finalizers and the resource-specific default policy. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - allow the garbage collector to delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground."),
  allowWatchBookmarks: query("allowWatchBookmarks", "allowWatchBookmarks requests watch events with type \"BOOKMARK\". Servers that do not implement bookmarks may ignore this flag and bookmarks are sent at the server's discretion.", "boolean"),
  continue: query("continue", "The continue option should be set when retrieving more results from the server. Since this value is server defined, clients may only use the continue value from a previous query result with identical query parameters (except for the value of continue)."),
  fieldSelector: query("fieldSelector", "A selector to restrict the list of returned objects by their fields. Defaults to everything."),
  labelSelector: query("labelSelector", "A selector to restrict the list of returned objects by their labels. Defaults to everything."),
  limit: query("limit", "limit is a maximum number of responses to return for a list call. If more items exist, the server will set the `continue` field on the list metadata to a value that can be used with the same initial query to retrieve the next set of results.", "integer"),
  resourceVersion: query("resourceVersion", "resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details."),
  resourceVersionMatch: query("resourceVersionMatch", "resourceVersionMatch determines how resourceVersion is applied to list calls. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details."),
  sendInitialEvents: query("sendInitialEvents", "`sendInitialEvents=true` may be set together with `watch=true`. In that case, the watch stream will begin with synthetic events to produce the current state of objects in the collection.", "boolean"),
  timeoutSeconds: query("timeoutSeconds", "Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.", "integer"),
  watch: query("watch", "Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.", "boolean"),
};

const listParams = [
  params.allowWatchBookmarks, params.continue, params.fieldSelector, params.labelSelector, params.limit,
  params.resourceVersion, params.resourceVersionMatch, params.sendInitialEvents, params.timeoutSeconds, params.watch,
];
/** Every write lists these; kubectl's `--validate=strict` depends on `fieldValidation` being here. */
const writeParams = [params.dryRun, params.fieldManager, params.fieldValidation];
const deleteParams = [params.dryRun, params.gracePeriodSeconds, params.propagationPolicy];

function pathParam(name: "name" | "namespace", description: string): Json {
  return { description, in: "path", name, required: true, schema: { type: "string", uniqueItems: true } };
}

// --- operations --------------------------------------------------------------

type Action = "list" | "post" | "deletecollection" | "get" | "put" | "patch" | "delete";

function respond(schemaName: string, codes: string[]): Json {
  const content = {
    "application/json": { schema: ref(schemaName) },
    "application/yaml": { schema: ref(schemaName) },
  };
  const out: Json = {};
  for (const code of codes) out[code] = { content, description: code === "200" ? "OK" : code === "201" ? "Created" : "Accepted" };
  out["401"] = { description: "Unauthorized" };
  return out;
}

function body(schemaName: string): Json {
  return { content: { "*/*": { schema: ref(schemaName) } }, required: true };
}

function patchBody(strategic: boolean): Json {
  const patch = { schema: ref(`${meta}.Patch`) };
  const content: Json = {
    "application/apply-patch+yaml": patch,
    "application/json-patch+json": patch,
    "application/merge-patch+json": patch,
  };
  if (strategic) content["application/strategic-merge-patch+json"] = patch;
  return { content, required: true };
}

/** `CoreV1`, `AppsV1`, `NetworkingV1` — the operationId infix upstream uses. */
function groupVersionId(group: string, version: string): string {
  const g = group === "" ? "core" : group.replace(/\.k8s\.io$/, "").split(/[.-]/).map(capitalize).join("");
  return `${capitalize(g)}${capitalize(version)}`;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

interface OperationSpec {
  action: Action;
  verb: "get" | "post" | "put" | "patch" | "delete";
  operationId: string;
  description: string;
  gvk: GroupVersionKind;
  parameters: Json[];
  requestBody?: Json;
  responses: Json;
  tag: string;
}

function operation(spec: OperationSpec): Json {
  const op: Json = {
    description: spec.description,
    operationId: spec.operationId,
    parameters: spec.parameters,
  };
  if (spec.requestBody) op.requestBody = spec.requestBody;
  op.responses = spec.responses;
  op.tags = [spec.tag];
  op["x-kubernetes-action"] = spec.action;
  op["x-kubernetes-group-version-kind"] = { group: spec.gvk.group, kind: spec.gvk.kind, version: spec.gvk.version };
  return op;
}

function hasVerb(r: ResourceInfo, verb: string): boolean {
  return r.verbs.includes(verb);
}

function resourcePaths(r: ResourceInfo, schemaName: string, listName: string, paths: Json): void {
  const root = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const gv = groupVersionId(r.group, r.version);
  const ns = r.namespaced ? "Namespaced" : "";
  const tag = gv.charAt(0).toLowerCase() + gv.slice(1);
  const gvk: GroupVersionKind = { group: r.group, version: r.version, kind: r.kind };
  const strategic = builtinDefinitionName(gvk) !== undefined;
  const collection = r.namespaced ? `${root}/namespaces/{namespace}/${r.plural}` : `${root}/${r.plural}`;
  const item = `${collection}/{name}`;
  const nsParam = pathParam("namespace", "object name and auth scope, such as for teams and projects");
  const nameParam = (what: string) => pathParam("name", `name of the ${what}`);
  const common = r.namespaced ? [nsParam, params.pretty] : [params.pretty];
  const op = (s: Omit<OperationSpec, "tag">) => operation({ ...s, tag });

  const collectionOps: Json = {};
  if (hasVerb(r, "list")) {
    collectionOps.get = op({
      action: "list", verb: "get", operationId: `list${gv}${ns}${r.kind}`, gvk,
      description: `list or watch objects of kind ${r.kind}`, parameters: listParams, responses: respond(listName, ["200"]),
    });
  }
  if (hasVerb(r, "create")) {
    collectionOps.post = op({
      action: "post", verb: "post", operationId: `create${gv}${ns}${r.kind}`, gvk,
      description: `create a ${r.kind}`, parameters: writeParams, requestBody: body(schemaName),
      responses: respond(schemaName, ["200", "201", "202"]),
    });
  }
  if (hasVerb(r, "deletecollection")) {
    collectionOps.delete = op({
      action: "deletecollection", verb: "delete", operationId: `deleteCollection${gv}${ns}${r.kind}`, gvk,
      description: `delete collection of ${r.kind}`, parameters: [...listParams, ...deleteParams],
      requestBody: body(`${meta}.DeleteOptions`), responses: respond(`${meta}.Status`, ["200"]),
    });
  }
  if (Object.keys(collectionOps).length > 0) paths[collection] = { ...collectionOps, parameters: common };

  const itemOps: Json = {};
  if (hasVerb(r, "get")) {
    itemOps.get = op({
      action: "get", verb: "get", operationId: `read${gv}${ns}${r.kind}`, gvk,
      description: `read the specified ${r.kind}`, parameters: [], responses: respond(schemaName, ["200"]),
    });
  }
  if (hasVerb(r, "update")) {
    itemOps.put = op({
      action: "put", verb: "put", operationId: `replace${gv}${ns}${r.kind}`, gvk,
      description: `replace the specified ${r.kind}`, parameters: writeParams, requestBody: body(schemaName),
      responses: respond(schemaName, ["200", "201"]),
    });
  }
  if (hasVerb(r, "patch")) {
    itemOps.patch = op({
      action: "patch", verb: "patch", operationId: `patch${gv}${ns}${r.kind}`, gvk,
      description: `partially update the specified ${r.kind}`, parameters: [...writeParams, params.force],
      requestBody: patchBody(strategic), responses: respond(schemaName, ["200", "201"]),
    });
  }
  if (hasVerb(r, "delete")) {
    itemOps.delete = op({
      action: "delete", verb: "delete", operationId: `delete${gv}${ns}${r.kind}`, gvk,
      description: `delete a ${r.kind}`, parameters: deleteParams, requestBody: body(`${meta}.DeleteOptions`),
      responses: respond(`${meta}.Status`, ["200", "202"]),
    });
  }
  if (Object.keys(itemOps).length > 0) paths[item] = { ...itemOps, parameters: [nameParam(r.kind), ...common] };

  if (r.namespaced && hasVerb(r, "list")) {
    paths[`${root}/${r.plural}`] = {
      get: op({
        action: "list", verb: "get", operationId: `list${gv}${r.kind}ForAllNamespaces`, gvk,
        description: `list or watch objects of kind ${r.kind}`, parameters: listParams, responses: respond(listName, ["200"]),
      }),
      parameters: [params.pretty],
    };
  }

  const sub = (name: "status" | "scale", subSchema: string, subGvk: GroupVersionKind, idSuffix: string, what: string) => {
    paths[`${item}/${name}`] = {
      get: op({
        action: "get", verb: "get", operationId: `read${gv}${ns}${r.kind}${idSuffix}`, gvk: subGvk,
        description: `read ${what} of the specified ${r.kind}`, parameters: [], responses: respond(subSchema, ["200"]),
      }),
      patch: op({
        action: "patch", verb: "patch", operationId: `patch${gv}${ns}${r.kind}${idSuffix}`, gvk: subGvk,
        description: `partially update ${what} of the specified ${r.kind}`, parameters: [...writeParams, params.force],
        requestBody: patchBody(strategic), responses: respond(subSchema, ["200", "201"]),
      }),
      put: op({
        action: "put", verb: "put", operationId: `replace${gv}${ns}${r.kind}${idSuffix}`, gvk: subGvk,
        description: `replace ${what} of the specified ${r.kind}`, parameters: writeParams, requestBody: body(subSchema),
        responses: respond(subSchema, ["200", "201"]),
      }),
      parameters: [nameParam(r.kind === "Scale" ? "Scale" : r.kind), ...common],
    };
  };
  if (r.subresources.status) sub("status", schemaName, gvk, "Status", "status");
  if (r.subresources.scale) sub("scale", scaleDefinition, scaleGvk, "Scale", "scale");
}

/** Adds `name` and every definition it references (transitively) to `out`. */
function collect(name: string, pool: Record<string, unknown>, out: Record<string, unknown>): void {
  if (name in out) return;
  const schema = pool[name] ?? definitions[name];
  if (schema === undefined) return;
  out[name] = schema;
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === "object") {
      for (const [k, x] of Object.entries(v)) {
        if (k === "$ref" && typeof x === "string" && x.startsWith(refPrefix)) collect(x.slice(refPrefix.length), pool, out);
        else visit(x);
      }
    }
  };
  visit(schema);
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The `/openapi/v3/api/v1` or `/openapi/v3/apis/<group>/<version>` document.
 * `resources` are the resources of that group/version (others are skipped);
 * `extraSchemas` adds or overrides `components.schemas` entries, e.g. a
 * custom resource's `customResourceSchema(...)` under `definitionNameFor(gvk)`.
 * A resource with neither a built-in nor an extra schema gets an open one
 * (any fields preserved), so `explain` and field validation still find it.
 */
export function openApiV3Document(
  group: string,
  version: string,
  resources: ResourceInfo[],
  extraSchemas: Record<string, unknown> = {},
): object {
  const pool: Record<string, unknown> = { ...extraSchemas };
  const paths: Json = {};
  const roots: string[] = [`${meta}.Status`, `${meta}.DeleteOptions`, `${meta}.Patch`, `${meta}.APIResourceList`];
  const served = resources
    .filter((r) => r.group === group && r.version === version && !r.plural.includes("/"))
    .sort((a, b) => (a.plural < b.plural ? -1 : a.plural > b.plural ? 1 : 0));
  for (const r of served) {
    const gvk = { group: r.group, version: r.version, kind: r.kind };
    const name = definitionNameFor(gvk);
    if (!(name in pool) && !(name in definitions)) pool[name] = customResourceSchema(gvk, { "x-kubernetes-preserve-unknown-fields": true });
    const listGvk = { ...gvk, kind: r.listKind || `${r.kind}List` };
    const listName = builtinDefinitionName(listGvk) ?? `${name}List`;
    if (!(listName in pool) && !(listName in definitions)) pool[listName] = listSchema(gvk, name);
    roots.push(name, listName);
    if (r.subresources.scale) roots.push(scaleDefinition);
    resourcePaths(r, name, listName, paths);
  }
  const schemas: Record<string, unknown> = {};
  for (const root of roots) collect(root, pool, schemas);
  return {
    openapi: "3.0.0",
    info: { title: "Kubernetes", version: "unversioned" },
    paths: sortKeys(paths),
    components: {
      schemas: sortKeys(schemas),
      securitySchemes: { BearerToken: { description: "Bearer Token authentication", in: "header", name: "authorization", type: "apiKey" } },
    },
    security: [{ BearerToken: [] }],
  };
}

/** Upstream's content hash of a document: SHA-512 of its JSON, upper-case hex. */
export function openApiV3DocumentHash(document: object): string {
  return sha512Hex(JSON.stringify(document)).toUpperCase();
}

/** The discovery path of a group/version's document: `api/v1`, `apis/apps/v1`. */
export function openApiV3Path(gv: { group: string; version: string }): string {
  return gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
}

/**
 * The `/openapi/v3` index. Pass each group/version's `document` (as served)
 * so that the `hash` query changes exactly when the document does; clients
 * such as kubectl cache documents by that URL. Without a document, the hash
 * is taken over the path alone.
 */
export function openApiV3Index(groupVersions: Array<{ group: string; version: string; document?: object }>): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  const sorted = [...groupVersions].sort((a, b) => {
    const pa = openApiV3Path(a), pb = openApiV3Path(b);
    return pa < pb ? -1 : pa > pb ? 1 : 0;
  });
  for (const gv of sorted) {
    const path = openApiV3Path(gv);
    const hash = gv.document ? openApiV3DocumentHash(gv.document) : sha512Hex(path).toUpperCase();
    paths[path] = { serverRelativeURL: `/openapi/v3/${path}?hash=${hash}` };
  }
  return { paths };
}
