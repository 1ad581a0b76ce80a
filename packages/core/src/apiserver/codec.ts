/**
 * Request bodies in, response bodies out. JSON and YAML are accepted for
 * objects, and Kubernetes protobuf for the kinds kubectl's generator
 * commands send (`kubectl create deployment|namespace|configmap|…`);
 * patches by their patch media type. Responses are always JSON.
 */
import type { IncomingMessage } from "node:http";
import { parse as parseYaml } from "yaml";
import { errors, ApiError } from "../api/errors.js";
import { decodeProtobufObject, isProtobufMediaType } from "./protobuf/index.js";

export type BodyFormat = "json" | "yaml";

/** Reads the whole body, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? "0");
  if (declared > limit) throw errors.tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw errors.tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The media type without parameters, lower-cased; missing means JSON (kubectl's `scale --current-replicas`). */
export function mediaType(contentType: string | undefined): string {
  if (!contentType) return "application/json";
  return contentType.split(";")[0]!.trim().toLowerCase();
}

/** Decodes an object body (create/update) as JSON or YAML; anything else is 415. */
export function decodeObject(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (type === "application/json" || type === "*/*") return parseJson(body);
  if (type === "application/yaml" || type === "application/x-yaml" || type === "text/yaml") return parseYamlBody(body);
  if (isProtobufMediaType(type)) return decodeProtobufObject(body);
  throw errors.unsupportedMediaType(contentType ?? "");
}

export function parseJson(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw errors.badRequest("the request body is empty");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.badRequest(`the request body is not valid JSON: ${(err as Error).message}`);
  }
}

export function parseYamlBody(body: Buffer): unknown {
  const text = body.toString("utf8");
  if (text.trim() === "") throw errors.badRequest("the request body is empty");
  try {
    return parseYaml(text, { uniqueKeys: true, maxAliasCount: 100 });
  } catch (err) {
    throw errors.badRequest(`the request body is not valid YAML: ${(err as Error).message}`);
  }
}

/** Checks that a decoded body is a JSON object (not an array, string, null…). */
export function requireObject(value: unknown, what = "request body"): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new ApiError("BadRequest", `the ${what} must be a JSON object`);
  }
  return value as Record<string, unknown>;
}

/** What the client asked to get back, from the Accept header. */
export interface Accept {
  /** `Table` for server-side printing, `PartialObjectMetadata(List)` for metadata only, or plain objects. */
  as: "Table" | "PartialObjectMetadata" | "PartialObjectMetadataList" | undefined;
  tableVersion?: string;
  /** Aggregated discovery (`as=APIGroupDiscoveryList`), with its version. */
  discovery?: "v2" | "v2beta1";
}

export function parseAccept(header: string | undefined): Accept {
  const result: Accept = { as: undefined };
  if (!header) return result;
  // The first acceptable entry wins, as clients list their preference first.
  for (const entry of header.split(",")) {
    const [type, ...params] = entry.split(";").map((s) => s.trim());
    const p = new Map(params.map((kv) => kv.split("=").map((s) => s.trim()) as [string, string]));
    if (type !== "application/json" && type !== "*/*") continue;
    const as = p.get("as");
    const g = p.get("g");
    if (as === "Table" && g === "meta.k8s.io" && (p.get("v") === "v1" || p.get("v") === "v1beta1")) {
      result.as = "Table";
      result.tableVersion = p.get("v");
      return result;
    }
    if ((as === "PartialObjectMetadata" || as === "PartialObjectMetadataList") && g === "meta.k8s.io") {
      result.as = as;
      return result;
    }
    if (as === "APIGroupDiscoveryList" && g === "apidiscovery.k8s.io") {
      const v = p.get("v");
      if (v === "v2" || v === "v2beta1") {
        result.discovery = v;
        return result;
      }
      continue;
    }
    if (!as) return result;
  }
  return result;
}
