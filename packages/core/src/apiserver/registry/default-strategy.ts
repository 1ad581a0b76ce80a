/**
 * The generic behaviour every kind shares, after the Kubernetes generic
 * registry (`rest.BeforeCreate`/`BeforeUpdate` plus a typical strategy). A
 * kind file passes only what differs; its hooks run after the generic step,
 * so they see (and may change) the already-prepared object.
 *
 * Generic rules:
 * - create: drop `status` for kinds with a status subresource (it belongs to
 *   controllers), set `metadata.generation = 1`;
 * - update: keep the server-owned metadata (uid, creationTimestamp,
 *   deletionTimestamp, deletionGracePeriodSeconds, generation) from the stored
 *   object, keep the old status for status-subresource kinds, then bump
 *   generation once when anything outside `metadata`/`status` changed;
 * - status update: keep everything but `status` (and the caller's
 *   resourceVersion/managedFields) from the stored object, like
 *   `ResetObjectMetaForStatus`;
 * - validate: `validateObjectMeta` then the kind's rules; validateUpdate:
 *   `validateObjectMetaUpdate` then the kind's immutables;
 * - table: Name, Age; field selectors: metadata.name (+ metadata.namespace).
 */
import type { FieldError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resource-info.js";
import { validateObjectMeta, validateObjectMetaUpdate, type NameValidator } from "../../api/validation/object-meta.js";
import { deepEqual } from "./deep-equal.js";
import { timestampSince } from "../../util/human-duration.js";
import type { Strategy, TableColumn } from "./strategy.js";

export interface StrategyOptions {
  /** Syntax of `metadata.name`. @default "subdomain" */
  nameValidator?: NameValidator;
  /** Keep a client-supplied status on create (Node: the kubelet registers with its status). @default false */
  keepStatusOnCreate?: boolean;
  prepareForCreate?(obj: KubeObject): void;
  prepareForUpdate?(obj: KubeObject, old: Readonly<KubeObject>): void;
  prepareForStatusUpdate?(obj: KubeObject, old: Readonly<KubeObject>): void;
  /** Kind rules only; object-meta checks are added by the generic strategy. */
  validate?(obj: Readonly<KubeObject>): FieldError[];
  /** Kind immutables only; object-meta checks are added by the generic strategy. */
  validateUpdate?(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[];
  /** @default [nameColumn, ageColumn] */
  columns?: TableColumn[];
  /** Cells matching `columns`. @default [name, age] */
  row?(obj: Readonly<KubeObject>, now: number): unknown[];
  /** Kind fields for field selectors; metadata.name/namespace are added. */
  selectableFields?(obj: Readonly<KubeObject>): Record<string, string>;
}

export const nameColumn: TableColumn = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
};

export const ageColumn: TableColumn = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
};

/** Upstream's default for kinds without printers (and for CRDs themselves): an RFC 3339 date. */
export const createdAtColumn: TableColumn = {
  name: "Created At",
  type: "date",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
};

/** A column definition; `priority` 1 means "only with -o wide". */
export function column(name: string, type: TableColumn["type"], description: string, priority = 0): TableColumn {
  return { name, type, description, priority };
}

/** The object's age cell, relative to `now` (ms since the epoch). */
export function age(obj: Readonly<KubeObject>, now: number): string {
  return timestampSince(obj.metadata?.creationTimestamp, now);
}

/** Server-owned metadata a client may omit from a PUT without meaning to clear it. */
const carriedMetadata = ["uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds"] as const;

/** Fields that never count as a spec change for generation. */
const notSpec = new Set(["apiVersion", "kind", "metadata", "status"]);

/** True when anything but apiVersion/kind/metadata/status differs. */
export function specChanged(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): boolean {
  const keys = new Set([...Object.keys(obj), ...Object.keys(old)]);
  for (const k of keys) {
    if (notSpec.has(k)) continue;
    if (!deepEqual(obj[k], old[k])) return true;
  }
  return false;
}

export function createStrategy(resource: ResourceInfo, options: StrategyOptions = {}): Strategy {
  const hasStatus = resource.subresources.status === true;
  const nameValidator = options.nameValidator ?? "subdomain";
  const columns = options.columns ?? [nameColumn, ageColumn];
  return {
    resource,
    prepareForCreate(obj) {
      if (hasStatus && !options.keepStatusOnCreate) delete obj.status;
      obj.metadata ??= {};
      obj.metadata.generation = 1;
      options.prepareForCreate?.(obj);
    },
    prepareForUpdate(obj, old) {
      obj.metadata ??= {};
      const meta = obj.metadata as Record<string, unknown>;
      const oldMeta = (old.metadata ?? {}) as Record<string, unknown>;
      for (const key of carriedMetadata) {
        if (meta[key] === undefined && oldMeta[key] !== undefined) meta[key] = structuredClone(oldMeta[key]);
      }
      if (hasStatus) {
        if (old.status === undefined) delete obj.status;
        else obj.status = structuredClone(old.status);
      }
      options.prepareForUpdate?.(obj, old);
      const generation = old.metadata?.generation ?? 0;
      obj.metadata.generation = specChanged(obj, old) ? generation + 1 : generation;
    },
    prepareForStatusUpdate(obj, old) {
      const status = obj.status;
      const resourceVersion = obj.metadata?.resourceVersion;
      const managedFields = obj.metadata?.managedFields;
      for (const k of Object.keys(obj)) delete obj[k];
      Object.assign(obj, structuredClone(old));
      if (status === undefined) delete obj.status;
      else obj.status = status;
      obj.metadata ??= {};
      if (resourceVersion !== undefined) obj.metadata.resourceVersion = resourceVersion;
      if (managedFields !== undefined) obj.metadata.managedFields = managedFields;
      options.prepareForStatusUpdate?.(obj, old);
    },
    validate(obj) {
      return [
        ...validateObjectMeta(obj.metadata, { namespaced: resource.namespaced, nameValidator }),
        ...(options.validate?.(obj) ?? []),
      ];
    },
    validateUpdate(obj, old) {
      return [...validateObjectMetaUpdate(obj.metadata, old.metadata), ...(options.validateUpdate?.(obj, old) ?? [])];
    },
    columns,
    row(obj, now) {
      if (options.row) return options.row(obj, now);
      return [obj.metadata?.name ?? "", age(obj, now)];
    },
    selectableFields(obj) {
      const fields: Record<string, string> = { "metadata.name": obj.metadata?.name ?? "" };
      if (resource.namespaced) fields["metadata.namespace"] = obj.metadata?.namespace ?? "";
      return { ...fields, ...(options.selectableFields?.(obj) ?? {}) };
    },
  };
}
