/**
 * Turns one Kubernetes protobuf message into the JSON object that the same Go
 * value would marshal to, driven by the schema in `k8s-subset-proto.ts`.
 *
 * What the Go side does, and so what this mirrors:
 * - Kubernetes protos are proto2 generated with gogo-protobuf. Non-pointer
 *   Go fields are always written, even when zero (an unset name goes out as
 *   an empty string); pointer fields are written only when set. So a zero
 *   scalar is dropped unless the schema marks the field `(pointer)`, where it
 *   was set on purpose (`replicas: 0`).
 * - Nested structs are kept even when empty (`resources: {}`), as Go's JSON
 *   does; `metav1.Time` with no content is the zero time and is dropped (Go
 *   writes `null`); a zero non-pointer IntOrString is dropped, which every
 *   defaulting rule treats the same as absent.
 * - `(inline)` fields are Go embedded structs: their fields join the parent.
 * - bytes become base64 strings, int64 become numbers, Quantity its string,
 *   IntOrString a number or a string, Time an RFC 3339 string.
 *
 * A field the schema does not know is refused with BadRequest naming the
 * message and field number: silently losing part of a user's object is worse
 * than asking for JSON.
 */
import protobuf from "protobufjs";
import { errors } from "../../api/errors.js";

type Json = unknown;

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

const TIME = ".k8s.io.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME = ".k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime";
const QUANTITY = ".k8s.io.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING = ".k8s.io.apimachinery.pkg.util.intstr.IntOrString";

/** Decodes `bytes` as `type`. `path` names the place in the object, for error messages. */
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array, path: string): Record<string, Json> {
  const reader = protobuf.Reader.create(bytes);
  const out: Record<string, Json> = {};
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    const field = type.fieldsById[id];
    if (!field) {
      throw errors.badRequest(
        `protobuf body: ${path} (${shortName(type)}) has field number ${id}, which Skiff does not decode; send this object as JSON or YAML`,
      );
    }
    const fieldPath = `${path}.${field.name}`;
    if (field instanceof protobuf.MapField) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, fieldPath);
      const [key, value] = readMapEntry(field, reader.bytes(), fieldPath);
      const map = (out[field.name] ??= {}) as Record<string, Json>;
      map[key] = value;
    } else if (field.repeated) {
      const list = (out[field.name] ??= []) as Json[];
      if (wire === WIRE_LENGTH_DELIMITED && isPackable(field)) {
        // Packed encoding of a repeated number: one length-delimited run.
        const run = protobuf.Reader.create(reader.bytes());
        while (run.pos < run.len) list.push(readScalar(field, run));
      } else {
        list.push(readElement(field, wire, reader, `${fieldPath}[${list.length}]`));
      }
    } else {
      const value = readSingular(field, wire, reader, fieldPath);
      if (value === undefined) {
        delete out[field.name];
      } else if (field.options?.["(inline)"] === true) {
        Object.assign(out, value);
      } else {
        out[field.name] = value;
      }
    }
  }
  return out;
}

/** A singular field's JSON value, or undefined where Go's JSON would leave it out. */
function readSingular(field: protobuf.Field, wire: number, reader: protobuf.Reader, path: string): Json | undefined {
  const pointer = field.options?.["(pointer)"] === true;
  if (field.resolvedType instanceof protobuf.Type) {
    expectWire(wire, WIRE_LENGTH_DELIMITED, path);
    const bytes = reader.bytes();
    const name = field.resolvedType.fullName;
    if (name === TIME || name === MICRO_TIME) return bytes.length === 0 ? undefined : readTime(field.resolvedType, bytes, name, path);
    if (name === INT_OR_STRING) {
      const value = readIntOrString(field.resolvedType, bytes, path);
      return !pointer && (value === 0 || value === "") ? undefined : value;
    }
    if (name === QUANTITY) {
      const value = readQuantity(field.resolvedType, bytes, path);
      return !pointer && value === "" ? undefined : value || "0";
    }
    return decodeMessage(field.resolvedType, bytes, path);
  }
  expectWire(wire, wireTypeOf(field), path);
  const value = readScalar(field, reader);
  if (pointer) return value;
  return value === "" || value === 0 || value === false ? undefined : value;
}

/** One element of a repeated field: kept even when zero, as Go keeps slice entries. */
function readElement(field: protobuf.Field, wire: number, reader: protobuf.Reader, path: string): Json {
  if (field.resolvedType instanceof protobuf.Type) {
    expectWire(wire, WIRE_LENGTH_DELIMITED, path);
    return readMessageValue(field.resolvedType, reader.bytes(), path);
  }
  expectWire(wire, wireTypeOf(field), path);
  return readScalar(field, reader);
}

/** A message used as a value (list element or map value), special types converted. */
function readMessageValue(type: protobuf.Type, bytes: Uint8Array, path: string): Json {
  const name = type.fullName;
  if (name === TIME || name === MICRO_TIME) return bytes.length === 0 ? null : readTime(type, bytes, name, path);
  if (name === INT_OR_STRING) return readIntOrString(type, bytes, path);
  if (name === QUANTITY) return readQuantity(type, bytes, path) || "0";
  return decodeMessage(type, bytes, path);
}

function readMapEntry(field: protobuf.MapField, bytes: Uint8Array, path: string): [string, Json] {
  const reader = protobuf.Reader.create(bytes);
  let key = "";
  let value: Json = undefined;
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const id = tag >>> 3;
    const wire = tag & 7;
    if (id === 1) {
      expectWire(wire, WIRE_LENGTH_DELIMITED, path);
      key = reader.string();
    } else if (id === 2) {
      if (field.resolvedType instanceof protobuf.Type) {
        expectWire(wire, WIRE_LENGTH_DELIMITED, path);
        value = readMessageValue(field.resolvedType, reader.bytes(), `${path}[${JSON.stringify(key)}]`);
      } else {
        expectWire(wire, wireTypeOf(field), path);
        value = readScalar(field, reader);
      }
    } else {
      reader.skipType(wire);
    }
  }
  if (value === undefined) {
    // An absent value is the type's zero value.
    value = field.resolvedType instanceof protobuf.Type ? readMessageValue(field.resolvedType, new Uint8Array(0), path) : zeroOf(field.type);
  }
  return [key, value];
}

function readScalar(field: protobuf.FieldBase, reader: protobuf.Reader): Json {
  switch (field.type) {
    case "string":
      return reader.string();
    case "bytes":
      return Buffer.from(reader.bytes()).toString("base64");
    case "bool":
      return reader.bool();
    case "int32":
      return reader.int32();
    case "uint32":
      return reader.uint32();
    case "sint32":
      return reader.sint32();
    case "int64":
      return longToNumber(reader.int64());
    case "uint64":
      return longToNumber(reader.uint64());
    case "sint64":
      return longToNumber(reader.sint64());
    case "double":
      return reader.double();
    case "float":
      return reader.float();
    default:
      throw errors.badRequest(`protobuf body: unsupported scalar type ${field.type}`);
  }
}

function zeroOf(type: string): Json {
  if (type === "string" || type === "bytes") return "";
  if (type === "bool") return false;
  return 0;
}

function wireTypeOf(field: protobuf.FieldBase): number {
  switch (field.type) {
    case "string":
    case "bytes":
      return WIRE_LENGTH_DELIMITED;
    case "double":
      return WIRE_FIXED64;
    case "float":
      return WIRE_FIXED32;
    default:
      return WIRE_VARINT;
  }
}

function isPackable(field: protobuf.Field): boolean {
  return !(field.resolvedType instanceof protobuf.Type) && field.type !== "string" && field.type !== "bytes";
}

function expectWire(actual: number, expected: number, path: string): void {
  if (actual !== expected) {
    throw errors.badRequest(`protobuf body: ${path} has wire type ${actual}, expected ${expected}`);
  }
}

function longToNumber(value: number | protobuf.Long): number {
  return typeof value === "number" ? value : protobuf.util.LongBits.from(value).toNumber();
}

function readTime(type: protobuf.Type, bytes: Uint8Array, name: string, path: string): string {
  const fields = decodeMessage(type, bytes, path);
  const seconds = Number(fields.seconds ?? 0);
  const nanos = Number(fields.nanos ?? 0);
  const iso = new Date(seconds * 1000).toISOString(); // 2006-01-02T15:04:05.000Z
  if (name === TIME) return `${iso.slice(0, 19)}Z`; // metav1.Time: RFC 3339, whole seconds
  return `${iso.slice(0, 19)}.${String(Math.floor(nanos / 1000)).padStart(6, "0")}Z`; // MicroTime
}

function readIntOrString(type: protobuf.Type, bytes: Uint8Array, path: string): number | string {
  const fields = decodeMessage(type, bytes, path);
  return fields.type === 1 ? String(fields.strVal ?? "") : Number(fields.intVal ?? 0);
}

function readQuantity(type: protobuf.Type, bytes: Uint8Array, path: string): string {
  return String(decodeMessage(type, bytes, path).string ?? "");
}

function shortName(type: protobuf.Type): string {
  return type.name;
}
