/**
 * JSON patch (RFC 6902), the `application/json-patch+json` patch type, as
 * sent by `kubectl patch --type=json` and many controllers.
 *
 * Malformed operations are a 400 BadRequest; an operation that cannot be
 * applied to this document (a failed `test`, a path that does not exist) is
 * a 422 Invalid, as on a real API server, so that clients can tell "you sent
 * nonsense" from "your precondition did not hold".
 */
import jsonpatch from "fast-json-patch";
import type { Operation } from "fast-json-patch";
import { ApiError, errors } from "../../api/errors.js";
import { isPlainObject } from "./json-value.js";

const opNames = new Set(["add", "remove", "replace", "move", "copy", "test"]);

/** Returns the patched document; `doc` is not changed. */
export function applyJsonPatch(doc: unknown, operations: unknown): object {
  const ops = validateOperations(operations);
  let result: unknown;
  try {
    result = jsonpatch.applyPatch(structuredClone(doc), ops, true, true, true).newDocument;
  } catch (err) {
    throw invalidPatch(err);
  }
  if (!isPlainObject(result)) {
    throw new ApiError("Invalid", "the JSON patch must leave an object at the document root");
  }
  return result;
}

function validateOperations(operations: unknown): Operation[] {
  if (!Array.isArray(operations)) {
    throw errors.badRequest("a JSON patch must be a JSON array of operations");
  }
  operations.forEach((op: unknown, index) => {
    const where = `JSON patch operation ${index}`;
    if (!isPlainObject(op)) throw errors.badRequest(`${where} is not an object`);
    if (typeof op.op !== "string" || !opNames.has(op.op)) {
      throw errors.badRequest(`${where}: unknown or missing "op" ${JSON.stringify(op.op)}`);
    }
    if (typeof op.path !== "string" || (op.path !== "" && !op.path.startsWith("/"))) {
      throw errors.badRequest(`${where} (${op.op}): "path" must be a JSON pointer string`);
    }
    if ((op.op === "move" || op.op === "copy") && (typeof op.from !== "string" || (op.from !== "" && !op.from.startsWith("/")))) {
      throw errors.badRequest(`${where} (${op.op}): "from" must be a JSON pointer string`);
    }
    if ((op.op === "add" || op.op === "replace" || op.op === "test") && !("value" in op)) {
      throw errors.badRequest(`${where} (${op.op}): missing "value"`);
    }
  });
  return operations as Operation[];
}

function invalidPatch(err: unknown): ApiError {
  if (err instanceof jsonpatch.JsonPatchError) {
    const op = err.operation as Partial<Operation> | undefined;
    const at = op ? ` (${op.op} ${op.path})` : "";
    let why: string;
    switch (err.name) {
      case "TEST_OPERATION_FAILED":
        why = "test operation failed: the value at the path does not match";
        break;
      case "OPERATION_PATH_UNRESOLVABLE":
      case "OPERATION_FROM_UNRESOLVABLE":
        why = "the path does not exist in the object";
        break;
      case "OPERATION_PATH_ILLEGAL_ARRAY_INDEX":
      case "OPERATION_VALUE_OUT_OF_BOUNDS":
        why = "invalid array index";
        break;
      case "OPERATION_PATH_CANNOT_ADD":
        why = "cannot add at this path";
        break;
      default:
        return errors.badRequest(`invalid JSON patch${at}: ${err.message.split("\n")[0]}`);
    }
    return new ApiError("Invalid", `the JSON patch could not be applied${at}: ${why}`);
  }
  return errors.badRequest(`invalid JSON patch: ${err instanceof Error ? err.message : String(err)}`);
}
