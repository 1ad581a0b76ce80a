/**
 * `metadata.managedFields` as a list of managers, each with its field set.
 *
 * A manager is identified, as upstream, by its name and operation, plus the
 * API version for `Update` entries (an applier keeps one entry whatever
 * version it applies with). Entries are written back sorted as upstream
 * sorts them: by operation (`Apply` first), time, manager, API version.
 */
import type { ManagedFieldsEntry } from "kubernetes-types/meta/v1.js";
import type { KubeObject } from "../../api/object.js";
import { FieldSet } from "./field-set.js";

export type ManagedOperation = "Apply" | "Update";

export interface ManagerEntry {
  manager: string;
  operation: ManagedOperation;
  apiVersion: string;
  time: string | undefined;
  subresource: string | undefined;
  set: FieldSet;
}

export function managerId(e: Pick<ManagerEntry, "manager" | "operation" | "apiVersion" | "subresource">): string {
  return JSON.stringify([e.manager, e.operation, e.operation === "Update" ? e.apiVersion : "", e.subresource ?? ""]);
}

/** How a manager is named in conflict messages: `"kubectl"`, `"kube-controller-manager" using apps/v1`. */
export function describeManager(e: ManagerEntry): string {
  let s = JSON.stringify(e.manager);
  if (e.subresource) s += ` with subresource ${JSON.stringify(e.subresource)}`;
  return e.operation === "Update" ? `${s} using ${e.apiVersion}` : s;
}

export function decodeManagedFields(entries: readonly ManagedFieldsEntry[] | undefined): ManagerEntry[] {
  const out: ManagerEntry[] = [];
  for (const e of entries ?? []) {
    if (!e.manager && !e.operation) continue;
    out.push({
      manager: e.manager ?? "",
      operation: e.operation === "Apply" ? "Apply" : "Update",
      apiVersion: e.apiVersion ?? "",
      time: e.time,
      subresource: e.subresource || undefined,
      set: FieldSet.fromFieldsV1(e.fieldsV1),
    });
  }
  return out;
}

export function encodeManagedFields(entries: readonly ManagerEntry[]): ManagedFieldsEntry[] {
  return entries
    .filter((e) => !e.set.isEmpty())
    .sort(
      (p, q) =>
        cmp(p.operation, q.operation) ||
        cmp(p.time ?? "", q.time ?? "") ||
        cmp(p.manager, q.manager) ||
        cmp(p.apiVersion, q.apiVersion) ||
        cmp(p.subresource ?? "", q.subresource ?? ""),
    )
    .map((e) => {
      const entry: ManagedFieldsEntry = { manager: e.manager, operation: e.operation, apiVersion: e.apiVersion };
      if (e.time) entry.time = e.time;
      entry.fieldsType = "FieldsV1";
      entry.fieldsV1 = e.set.toFieldsV1();
      if (e.subresource) entry.subresource = e.subresource;
      return entry;
    });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Writes the entries into the object (removing the field when none are left). */
export function setManagedFields(obj: KubeObject, entries: readonly ManagerEntry[]): void {
  const encoded = encodeManagedFields(entries);
  if (encoded.length) obj.metadata.managedFields = encoded;
  else delete obj.metadata.managedFields;
}
