/**
 * A strategy is everything that differs between kinds on the server side.
 * The one generic handler (`apiserver/handler`) calls these hooks; a kind
 * that needs nothing special uses `createStrategy(resource)` (default-strategy.ts)
 * unchanged.
 *
 * Order of calls on create: decode → schema validation (unknown fields per
 * fieldValidation) → `prepareForCreate` → defaults (api/) → `validate` →
 * admission → store. On update: … → `prepareForUpdate(new, old)` →
 * defaults → `validate` + `validateUpdate` (immutable fields) → store.
 */
import type { FieldError } from "../../api/errors.js";
import type { KubeObject } from "../../api/object.js";
import type { ResourceInfo } from "../../api/resource-info.js";

/** A `meta.k8s.io/v1` TableColumnDefinition. */
export interface TableColumn {
  name: string;
  type: "string" | "integer" | "number" | "boolean" | "date";
  format?: string;
  description?: string;
  /** 0 = always shown, 1 = only with `-o wide`. */
  priority: number;
}

export interface Strategy {
  readonly resource: ResourceInfo;
  /**
   * Called on create, after the object is decoded: clear status for kinds with
   * a status subresource, set generation 1, fill server-chosen fields. The
   * handler sets `metadata.uid`, `creationTimestamp` and the name generated
   * from `generateName` before this call (the Job selector is built from the
   * uid and name).
   */
  prepareForCreate(obj: KubeObject): void;
  /**
   * Called on update of the main resource: keep the old status when the kind
   * has a status subresource, bump generation when spec changed.
   */
  prepareForUpdate(obj: KubeObject, old: Readonly<KubeObject>): void;
  /** Called on update through `/status`: keep everything but status from old. */
  prepareForStatusUpdate(obj: KubeObject, old: Readonly<KubeObject>): void;
  /** Semantic validation (beyond the schema) of a whole object. */
  validate(obj: Readonly<KubeObject>): FieldError[];
  /** Extra checks on update (immutable fields). */
  validateUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[];
  /** Columns for `kubectl get`, complete (Name and Age included), in upstream order and case. */
  readonly columns: TableColumn[];
  /**
   * One table row's cells, matching `columns` one to one (Name first for every
   * kind except Events, whose Name column is last, as upstream prints them).
   * `now` is milliseconds since the epoch, for Age-like cells.
   */
  row(obj: Readonly<KubeObject>, now: number): unknown[];
  /** Field-selector values this kind supports (metadata.name and metadata.namespace always). */
  selectableFields(obj: Readonly<KubeObject>): Record<string, string>;
}
