/**
 * The set of resources this server serves right now: the built-in kinds
 * (fixed) plus one entry per served version of every CustomResourceDefinition
 * (added and removed as CRDs change). Discovery, routing, OpenAPI and the
 * generic handler all read from here, so a CRD is served exactly like a
 * built-in kind.
 */
import { createHash } from "node:crypto";
import type { ResourceInfo } from "../api/resource-info.js";
import type { SchemaNode } from "../api/schema.js";
import type { KubeObject } from "../api/object.js";
import { schemaFor, resolveSchema } from "../api/openapi/index.js";
import { builtinStrategies, crdStrategies } from "./registry/index.js";
import type { Strategy } from "./registry/strategy.js";

export interface ServedResource {
  info: ResourceInfo;
  strategy: Strategy;
  /** The kind's structural schema (undefined only if none is known). */
  schema: SchemaNode | undefined;
  /** Set for custom resources: the owning CRD's name. */
  crdName?: string;
  /** For custom resources: the raw openAPIV3Schema, for the OpenAPI document. */
  rawSchema?: unknown;
  /** For custom resources: whether this is the storage version. */
  storage?: boolean;
}

export interface GroupVersion {
  group: string;
  version: string;
}

export class ResourceCatalog {
  private readonly byPath = new Map<string, ServedResource>();
  private readonly crdEntries = new Map<string, string[]>();
  private generation = 0;
  private listeners: (() => void)[] = [];

  constructor() {
    for (const strategy of builtinStrategies().values()) {
      const info = strategy.resource;
      this.byPath.set(pathKey(info.group, info.version, info.plural), {
        info,
        strategy,
        schema: schemaFor({ group: info.group, version: info.version, kind: info.kind }),
      });
    }
  }

  /** The resource served at /apis/{group}/{version}/{plural}, if any. */
  lookup(group: string, version: string, plural: string): ServedResource | undefined {
    return this.byPath.get(pathKey(group, version, plural));
  }

  /** Any served version of group/plural (used for storage-level work such as CRD cleanup). */
  versionsOf(group: string, plural: string): ServedResource[] {
    return [...this.byPath.values()].filter((r) => r.info.group === group && r.info.plural === plural);
  }

  /** Finds a resource by kind within a group/version. */
  lookupKind(group: string, version: string, kind: string): ServedResource | undefined {
    for (const r of this.byPath.values()) {
      if (r.info.group === group && r.info.version === version && r.info.kind === kind) return r;
    }
    return undefined;
  }

  all(): ServedResource[] {
    return [...this.byPath.values()];
  }

  /** Group/versions in discovery order: core first, then groups by name, built-ins before CRD groups. */
  groupVersions(): GroupVersion[] {
    const seen = new Map<string, GroupVersion>();
    for (const r of this.byPath.values()) {
      const k = `${r.info.group}/${r.info.version}`;
      if (!seen.has(k)) seen.set(k, { group: r.info.group, version: r.info.version });
    }
    return [...seen.values()].sort((a, b) =>
      a.group === b.group ? compareVersions(b.version, a.version) : a.group === "" ? -1 : b.group === "" ? 1 : a.group.localeCompare(b.group),
    );
  }

  resourcesIn(group: string, version: string): ServedResource[] {
    return [...this.byPath.values()]
      .filter((r) => r.info.group === group && r.info.version === version)
      .sort((a, b) => a.info.plural.localeCompare(b.info.plural));
  }

  /** Changes whenever the set of served resources changes (for OpenAPI hashes and caches). */
  fingerprint(): string {
    return createHash("sha256").update(String(this.generation)).digest("hex").slice(0, 16);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** Serves (or re-serves) the versions of a CRD; established CRDs only. */
  setCrd(crd: KubeObject): void {
    const name = crd.metadata.name!;
    this.removeCrd(name, false);
    const added: string[] = [];
    for (const v of crdStrategies(crd as never)) {
      if (!v.served) continue;
      const raw = findVersionSchema(crd, v.version);
      const key = pathKey(v.resource.group, v.resource.version, v.resource.plural);
      // A CRD never shadows a built-in kind.
      if (this.byPath.has(key) && !this.byPath.get(key)!.crdName) continue;
      this.byPath.set(key, {
        info: v.resource,
        strategy: v.strategy,
        schema: raw ? resolveSchema(raw) : undefined,
        rawSchema: raw,
        crdName: name,
        storage: v.storage,
      });
      added.push(key);
    }
    this.crdEntries.set(name, added);
    this.changed();
  }

  removeCrd(name: string, notify = true): void {
    const keys = this.crdEntries.get(name);
    if (!keys) return;
    for (const k of keys) this.byPath.delete(k);
    this.crdEntries.delete(name);
    if (notify) this.changed();
  }

  private changed(): void {
    this.generation++;
    for (const l of this.listeners) l();
  }
}

function pathKey(group: string, version: string, plural: string): string {
  return `${group}/${version}/${plural}`;
}

function findVersionSchema(crd: KubeObject, version: string): unknown {
  const spec = crd["spec"] as { versions?: { name: string; schema?: { openAPIV3Schema?: unknown } }[] } | undefined;
  return spec?.versions?.find((v) => v.name === version)?.schema?.openAPIV3Schema;
}

/** Kubernetes version priority: v2 > v1 > v1beta2 > v1beta1 > v1alpha1. Returns <0 if a sorts before b. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [0, 0, 0];
    const stage = m[2] === "alpha" ? 1 : m[2] === "beta" ? 2 : 3;
    return [Number(m[1]), stage, Number(m[3] ?? 0)];
  };
  const [a1, a2, a3] = parse(a);
  const [b1, b2, b3] = parse(b);
  return a2 !== b2 ? a2! - b2! : a1 !== b1 ? a1! - b1! : a3! - b3!;
}
