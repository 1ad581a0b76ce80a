/**
 * Validates a decoded request body against a resolved `SchemaNode`, the way
 * the API server's decoding and CRD validation do, with field paths in
 * Kubernetes notation (`spec.containers[0].ports[0].containerPort`,
 * `metadata.labels[app]`) and messages shaped like upstream's
 * (`spec.replicas in body must be of type integer: "string"`).
 *
 * Unknown fields (not in `properties`, where no `additionalProperties` and no
 * `x-kubernetes-preserve-unknown-fields` allow them) follow `unknownFields`:
 * Strict → one `UnknownField` error each, Warn → one warning each, Ignore →
 * nothing. With `prune` they are also removed from the object, in place (the
 * CRD pruning rule); nothing else is ever changed.
 *
 * Built-in kinds are decoded into Go structs upstream, so inside a built-in
 * definition (a node carrying `x-skiff-definition`, and everything below it)
 * a `null` means "unset", and `required` is not checked under the root
 * `status`, which the server owns and resets. Custom resource schemas get
 * the strict OpenAPI behaviour: `null` only where `nullable`.
 */
import { field, type FieldError } from "./errors.js";
import type { SchemaNode } from "./schema.js";
import { isQuantity, quantityFormatMessage } from "./quantity.js";

export type UnknownFieldPolicy = "Strict" | "Warn" | "Ignore";

export interface SchemaValidationOptions {
  unknownFields: UnknownFieldPolicy;
  /** Remove unknown fields from the object (in place). */
  prune?: boolean;
}

export interface SchemaValidationResult {
  errors: FieldError[];
  warnings: string[];
}

/** Fields every object may carry at its root and at embedded resources. */
const typeMetaFields = ["apiVersion", "kind", "metadata"];

const dateTime = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

interface Walk {
  options: SchemaValidationOptions;
  result: SchemaValidationResult;
}

export function validateAgainstSchema(
  obj: unknown,
  schema: SchemaNode,
  options: SchemaValidationOptions,
): SchemaValidationResult {
  const walk: Walk = { options, result: { errors: [], warnings: [] } };
  validateNode(walk, obj, schema, "", { builtIn: false, root: true, underStatus: false });
  return walk.result;
}

interface Context {
  /** Inside a built-in (Go-typed) definition. */
  builtIn: boolean;
  root: boolean;
  /** Below the root `status` of a built-in kind. */
  underStatus: boolean;
}

/** The JSON type name upstream prints for a value. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  return typeof value;
}

function child(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function typeError(path: string, value: unknown, expected: string): FieldError {
  const actual = jsonType(value);
  return field.typeInvalid(path, actual, `${path} in body must be of type ${expected}: ${JSON.stringify(actual)}`);
}

function validateNode(walk: Walk, value: unknown, node: SchemaNode, path: string, outer: Context): void {
  const ctx: Context = { ...outer, builtIn: outer.builtIn || node["x-skiff-definition"] !== undefined };
  const errs = walk.result.errors;

  if (value === null || value === undefined) {
    if (value === null && !node.nullable && !ctx.builtIn && (node.type || node["x-kubernetes-int-or-string"])) {
      errs.push(typeError(path, value, node["x-kubernetes-int-or-string"] ? "integer,string" : node.type!));
    }
    return;
  }

  if (node["x-kubernetes-int-or-string"]) {
    const ok =
      typeof value === "string" ||
      (typeof value === "number" && (Number.isInteger(value) || node.format === "quantity"));
    if (!ok) errs.push(typeError(path, value, "integer,string"));
    else if (node.format === "quantity" && !isQuantity(value)) errs.push(field.invalid(path, value, quantityFormatMessage));
    else checkEnum(walk, value, node, path);
    return;
  }

  switch (node.type) {
    case "string":
      if (typeof value !== "string") return void errs.push(typeError(path, value, "string"));
      checkString(walk, value, node, path);
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return void errs.push(typeError(path, value, "integer"));
      checkNumber(walk, value, node, path);
      break;
    case "number":
      if (typeof value !== "number") return void errs.push(typeError(path, value, "number"));
      checkNumber(walk, value, node, path);
      break;
    case "boolean":
      if (typeof value !== "boolean") return void errs.push(typeError(path, value, "boolean"));
      break;
    case "array":
      if (!Array.isArray(value)) return void errs.push(typeError(path, value, "array"));
      checkArray(walk, value, node, path, ctx);
      break;
    case "object":
      if (typeof value !== "object" || Array.isArray(value)) return void errs.push(typeError(path, value, "object"));
      checkObject(walk, value as Record<string, unknown>, node, path, ctx);
      break;
    default:
      // No type: anything goes, but an object still gets its known properties checked.
      if (typeof value === "object" && !Array.isArray(value) && (node.properties || node.additionalProperties)) {
        checkObject(walk, value as Record<string, unknown>, node, path, ctx);
      } else if (Array.isArray(value) && node.items) {
        checkArray(walk, value, node, path, ctx);
      }
  }
  checkEnum(walk, value, node, path);
}

function checkEnum(walk: Walk, value: unknown, node: SchemaNode, path: string): void {
  if (!node.enum || node.enum.length === 0) return;
  const wanted = JSON.stringify(value);
  if (node.enum.some((e) => JSON.stringify(e) === wanted)) return;
  walk.result.errors.push(
    field.notSupported(
      path,
      value,
      node.enum.map((e) => (typeof e === "string" ? e : JSON.stringify(e))),
    ),
  );
}

function checkString(walk: Walk, value: string, node: SchemaNode, path: string): void {
  const errs = walk.result.errors;
  const length = [...value].length;
  if (node.minLength !== undefined && length < node.minLength) {
    errs.push(field.invalid(path, value, `${path} in body should be at least ${node.minLength} chars long`));
  }
  if (node.maxLength !== undefined && length > node.maxLength) {
    errs.push(field.invalid(path, value, `${path} in body should be at most ${node.maxLength} chars long`));
  }
  if (node.pattern !== undefined) {
    let re: RegExp | undefined;
    try {
      re = new RegExp(node.pattern, "u");
    } catch {
      re = undefined; // An unparsable pattern was rejected when the CRD was accepted; do not fail objects for it.
    }
    if (re && !re.test(value)) errs.push(field.invalid(path, value, `${path} in body should match '${node.pattern}'`));
  }
  if (node.format === "date-time" && !dateTime.test(value)) {
    errs.push(field.invalid(path, value, `${path} in body must be of type date-time: ${JSON.stringify(value)}`));
  }
}

function checkNumber(walk: Walk, value: number, node: SchemaNode, path: string): void {
  const errs = walk.result.errors;
  if (node.minimum !== undefined && value < node.minimum) {
    errs.push(field.invalid(path, value, `${path} in body should be greater than or equal to ${node.minimum}`));
  }
  if (node.maximum !== undefined && value > node.maximum) {
    errs.push(field.invalid(path, value, `${path} in body should be less than or equal to ${node.maximum}`));
  }
}

function checkArray(walk: Walk, value: unknown[], node: SchemaNode, path: string, ctx: Context): void {
  const errs = walk.result.errors;
  if (node.minItems !== undefined && value.length < node.minItems) {
    errs.push(field.invalid(path, value.length, `${path} in body should have at least ${node.minItems} items`));
  }
  if (node.maxItems !== undefined && value.length > node.maxItems) {
    errs.push(field.invalid(path, value.length, `${path} in body should have at most ${node.maxItems} items`));
  }
  if (!node.items) return;
  const itemCtx: Context = { ...ctx, root: false };
  value.forEach((item, i) => validateNode(walk, item, node.items!, `${path}[${i}]`, itemCtx));
}

function reportUnknown(walk: Walk, obj: Record<string, unknown>, key: string, path: string): void {
  const { options, result } = walk;
  switch (options.unknownFields) {
    case "Strict":
      result.errors.push(field.unknown(path, `unknown field ${JSON.stringify(path)}`));
      break;
    case "Warn":
      result.warnings.push(`unknown field ${JSON.stringify(path)}`);
      break;
    case "Ignore":
      break;
  }
  if (options.prune) delete obj[key];
}

function checkObject(walk: Walk, obj: Record<string, unknown>, node: SchemaNode, path: string, ctx: Context): void {
  const errs = walk.result.errors;
  const properties = node.properties ?? {};
  const embedded = node["x-kubernetes-embedded-resource"] === true;
  const allowsTypeMeta = ctx.root || embedded;

  if (!(ctx.builtIn && ctx.underStatus)) {
    for (const name of node.required ?? []) {
      const v = obj[name];
      if (v === undefined || (v === null && ctx.builtIn)) errs.push(field.required(child(path, name)));
    }
  }
  if (embedded) {
    for (const name of ["apiVersion", "kind"]) {
      if (typeof obj[name] !== "string" || obj[name] === "") errs.push(field.required(child(path, name)));
    }
  }

  const additional = node.additionalProperties;
  const preserve = node["x-kubernetes-preserve-unknown-fields"] === true;
  for (const key of Object.keys(obj)) {
    const keyPath = child(path, key);
    const prop = Object.hasOwn(properties, key) ? properties[key] : undefined;
    if (prop) {
      const underStatus = ctx.underStatus || (ctx.root && key === "status");
      validateNode(walk, obj[key], prop, keyPath, { builtIn: ctx.builtIn, root: false, underStatus });
      continue;
    }
    if (typeof additional === "object") {
      validateNode(walk, obj[key], additional, `${path}[${key}]`, { ...ctx, root: false });
      continue;
    }
    if (additional === true || preserve) continue;
    if (allowsTypeMeta && typeMetaFields.includes(key)) continue;
    reportUnknown(walk, obj, key, keyPath);
  }
}
