/**
 * Reading manifests for `apply -f` and `delete -f`: files, directories (in
 * name order, recursive with -R, only .yaml/.yml/.json inside them), or `-`
 * for stdin; multi-document YAML and JSON; `kind: List` (and `*List`)
 * expanded into its items. Empty documents are skipped.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import type { KubeObject } from "../api/index.js";

export interface Manifest {
  object: KubeObject;
  /** File name (or `STDIN`) the object came from, for messages. */
  source: string;
}

/** A user error in the input; printed as `error: <message>`. */
export class ManifestError extends Error {
  override readonly name = "ManifestError";
}

const manifestExtensions = /\.(ya?ml|json)$/i;

/** Splits one file's text into objects. JSON (one value) and YAML streams are both accepted. */
export function splitDocuments(text: string, source: string): KubeObject[] {
  const out: KubeObject[] = [];
  const trimmed = text.trim();
  let values: unknown[];
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    try {
      values = [JSON.parse(trimmed)];
    } catch {
      values = parseYaml(text, source);
    }
  } else {
    values = parseYaml(text, source);
  }
  for (const value of values) expand(value, out, source);
  return out;
}

function parseYaml(text: string, source: string): unknown[] {
  const docs = parseAllDocuments(text);
  const values: unknown[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    if (doc.errors.length) throw new ManifestError(`error parsing ${source}: ${doc.errors[0]!.message}`);
    values.push(doc.toJS());
  }
  return values;
}

function expand(value: unknown, out: KubeObject[], source: string): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) expand(v, out, source);
    return;
  }
  if (typeof value !== "object") throw new ManifestError(`error parsing ${source}: a document is not an object`);
  const obj = value as KubeObject & { items?: unknown[] };
  if (Object.keys(obj).length === 0) return;
  if (typeof obj.kind === "string" && obj.kind.endsWith("List") && Array.isArray(obj.items)) {
    for (const item of obj.items) expand(item, out, source);
    return;
  }
  const missing = [!obj.apiVersion && "apiVersion not set", !obj.kind && "kind not set"].filter(Boolean);
  if (missing.length) throw new ManifestError(`error validating "${source}": error validating data: [${missing.join(", ")}]`);
  obj.metadata ??= {};
  out.push(obj);
}

export interface ReadOptions {
  recursive?: boolean;
  readStdin?: () => Promise<string>;
}

/** Reads every `-f` argument in order. */
export async function readManifests(paths: string[], options: ReadOptions = {}): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const path of paths) {
    if (path === "-") {
      if (!options.readStdin) throw new ManifestError("reading from stdin is not available");
      for (const object of splitDocuments(await options.readStdin(), "STDIN")) out.push({ object, source: "STDIN" });
      continue;
    }
    for (const file of await expandPath(path, options.recursive ?? false, true)) {
      const text = await readFile(file, "utf8");
      for (const object of splitDocuments(text, file)) out.push({ object, source: file });
    }
  }
  return out;
}

async function expandPath(path: string, recursive: boolean, top: boolean): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new ManifestError(`the path "${path}" does not exist`);
  }
  if (!info.isDirectory()) return [path];
  if (!top && !recursive) return [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const e of entries) {
    const full = join(path, e.name);
    if (e.isDirectory()) {
      if (recursive) files.push(...(await expandPath(full, recursive, false)));
    } else if (manifestExtensions.test(e.name)) {
      files.push(full);
    }
  }
  return files;
}
