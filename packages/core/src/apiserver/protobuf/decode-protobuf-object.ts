/**
 * Decodes a Kubernetes protobuf request body into the JSON object the rest of
 * the server works with. kubectl 1.32+ sends its typed generator commands
 * (`create namespace|configmap|secret|service|deployment|job|…`) this way,
 * with no JSON fallback.
 *
 * Wire format: the 4 magic bytes `k8s\0`, then a `runtime.Unknown` message
 * whose `typeMeta` names the object's apiVersion and kind and whose `raw`
 * holds the object's own message (apimachinery's protobuf serializer).
 */
import { ApiError, errors } from "../../api/errors.js";
import { decodeMessage } from "./decode-message.js";
import { messageTypeFor, supportedKinds, unknownEnvelopeType } from "./protobuf-schema.js";

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]); // "k8s\0"

/**
 * The object in `body` as Kubernetes JSON (`apiVersion`, `kind`, then the
 * object's fields). Throws BadRequest for a body that is not a Kubernetes
 * protobuf envelope, for a kind Skiff does not decode, and for fields it does
 * not know.
 */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw errors.badRequest('protobuf body: missing the "k8s\\0" prefix of a Kubernetes protobuf message');
  }
  try {
    const envelope = decodeMessage(unknownEnvelopeType(), body.subarray(MAGIC.length), "Unknown");
    const typeMeta = (envelope.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
    const apiVersion = typeMeta.apiVersion ?? "";
    const kind = typeMeta.kind ?? "";
    if (envelope.contentEncoding) {
      throw errors.badRequest(`protobuf body: content encoding ${JSON.stringify(envelope.contentEncoding)} is not supported`);
    }
    if (envelope.contentType && envelope.contentType !== "application/vnd.kubernetes.protobuf") {
      throw errors.badRequest(`protobuf body: nested content type ${JSON.stringify(envelope.contentType)} is not supported`);
    }
    const type = messageTypeFor(apiVersion, kind);
    if (!type) {
      const what = kind ? `${kind}${apiVersion ? ` (${apiVersion})` : ""}` : "objects without a kind";
      throw errors.badRequest(`protobuf bodies are accepted for ${supportedKinds}; send JSON or YAML for ${what}`);
    }
    const raw = Buffer.from(String(envelope.raw ?? ""), "base64");
    return { apiVersion, kind, ...decodeMessage(type, raw, kind) };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    // protobufjs throws RangeError/Error for truncated or corrupt input.
    throw errors.badRequest(`protobuf body is malformed: ${(err as Error).message}`);
  }
}
