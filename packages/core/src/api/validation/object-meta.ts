/**
 * Semantic checks of `metadata` shared by every kind, after Kubernetes'
 * `apimachinery/pkg/api/validation/objectmeta.go`: same rules, same field
 * paths (labels, annotations and ownerReferences report the container path,
 * not the key, exactly like upstream), same messages.
 */
import { field, type FieldError } from "../errors.js";
import type { ObjectMeta } from "../object.js";
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
} from "./names.js";

/** Which syntax a kind's names must follow (`label` for namespaces, `subdomain` for most kinds). */
export type NameValidator = "label" | "subdomain" | "path-segment" | "dns1035-label";

export interface ObjectMetaRules {
  namespaced: boolean;
  nameValidator: NameValidator;
}

/** Upstream `TotalAnnotationSizeLimitB`: the sum of key and value lengths. */
export const totalAnnotationSizeLimit = 256 * 1024;

const finalizerOrphanDependents = "orphan";
const finalizerDeleteDependents = "foregroundDeletion";

/**
 * Checks a name; with `prefix` true the value is a `generateName`, whose
 * trailing `-` is allowed because random characters follow it.
 */
export function validateName(validator: NameValidator, value: string, prefix = false): string[] {
  const v = prefix && value.length > 1 && value.endsWith("-") ? value.slice(0, -1) + "a" : value;
  switch (validator) {
    case "label":
      return isDns1123Label(v);
    case "subdomain":
      return isDns1123Subdomain(v);
    case "dns1035-label":
      return isDns1035Label(v);
    case "path-segment":
      return isValidPathSegmentName(v);
  }
}

export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errs.push(field.invalid(path, k, msg));
    for (const msg of isValidLabelValue(String(v))) errs.push(field.invalid(path, v, msg));
  }
  return errs;
}

export function validateAnnotations(annotations: Record<string, string> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of Object.entries(annotations ?? {})) {
    // Annotation keys are qualified names where case does not matter.
    for (const msg of isQualifiedName(k.toLowerCase())) errs.push(field.invalid(path, k, msg));
    size += k.length + String(v ?? "").length;
  }
  if (size > totalAnnotationSizeLimit) {
    errs.push({ type: "FieldValueTooLong", field: path, value: "", detail: `must have at most ${totalAnnotationSizeLimit} bytes` });
  }
  return errs;
}

export function validateOwnerReferences(refs: ObjectMeta["ownerReferences"], path: string): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const ref of refs ?? []) {
    const apiVersion = ref.apiVersion ?? "";
    const version = apiVersion.includes("/") ? apiVersion.slice(apiVersion.indexOf("/") + 1) : apiVersion;
    if (!version) errs.push(field.invalid(`${path}.apiVersion`, ref.apiVersion ?? "", "version must not be empty"));
    if (!ref.kind) errs.push(field.invalid(`${path}.kind`, ref.kind ?? "", "kind must not be empty"));
    if (!ref.name) errs.push(field.invalid(`${path}.name`, ref.name ?? "", "name must not be empty"));
    if (!ref.uid) errs.push(field.invalid(`${path}.uid`, ref.uid ?? "", "uid must not be empty"));
    if (ref.controller === true) {
      const current = `${ref.kind}/${ref.name}`;
      if (firstController) {
        errs.push(
          field.invalid(
            path,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${current}`,
          ),
        );
      } else {
        firstController = current;
      }
    }
  }
  return errs;
}

export function validateFinalizers(finalizers: string[] | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers ?? []) for (const msg of isQualifiedName(f)) errs.push(field.invalid(path, f, msg));
  const list = finalizers ?? [];
  if (list.includes(finalizerOrphanDependents) && list.includes(finalizerDeleteDependents)) {
    errs.push(
      field.invalid(path, finalizers, `finalizer ${finalizerOrphanDependents} and ${finalizerDeleteDependents} cannot be both set`),
    );
  }
  return errs;
}

/**
 * Validates `metadata` of an object being created or updated. A missing name
 * is accepted when `generateName` is set: the handler fills the name in.
 */
export function validateObjectMeta(meta: Readonly<ObjectMeta> | undefined, rules: ObjectMetaRules): FieldError[] {
  const m: ObjectMeta = meta ?? {};
  const errs: FieldError[] = [];
  if (m.generateName) {
    for (const msg of validateName(rules.nameValidator, m.generateName, true)) {
      errs.push(field.invalid("metadata.generateName", m.generateName, msg));
    }
  }
  if (!m.name) {
    if (!m.generateName) errs.push(field.required("metadata.name", "name or generateName is required"));
  } else {
    for (const msg of validateName(rules.nameValidator, m.name)) errs.push(field.invalid("metadata.name", m.name, msg));
  }
  if (rules.namespaced) {
    if (!m.namespace) errs.push(field.required("metadata.namespace"));
    else for (const msg of isDns1123Label(m.namespace)) errs.push(field.invalid("metadata.namespace", m.namespace, msg));
  } else if (m.namespace) {
    errs.push(field.forbidden("metadata.namespace", "not allowed on this type"));
  }
  if (m.generation !== undefined && m.generation < 0) {
    errs.push(field.invalid("metadata.generation", m.generation, "must be greater than or equal to 0"));
  }
  errs.push(...validateLabels(m.labels, "metadata.labels"));
  errs.push(...validateAnnotations(m.annotations, "metadata.annotations"));
  errs.push(...validateOwnerReferences(m.ownerReferences, "metadata.ownerReferences"));
  errs.push(...validateFinalizers(m.finalizers, "metadata.finalizers"));
  return errs;
}

/** `field is immutable` when `next` differs from `prev` (compared as JSON). */
export function validateImmutableField(next: unknown, prev: unknown, path: string): FieldError[] {
  return JSON.stringify(next ?? null) === JSON.stringify(prev ?? null) ? [] : [field.invalid(path, next, "field is immutable")];
}

/**
 * Checks an update of `metadata` against the stored object: identity and
 * system-set fields may not change, finalizers may not be added once deletion
 * started, generation never goes down.
 */
export function validateObjectMetaUpdate(next: Readonly<ObjectMeta> | undefined, prev: Readonly<ObjectMeta> | undefined): FieldError[] {
  const n: ObjectMeta = next ?? {};
  const o: ObjectMeta = prev ?? {};
  const errs: FieldError[] = [];
  if (o.deletionTimestamp) {
    const old = new Set(o.finalizers ?? []);
    const added = [...new Set((n.finalizers ?? []).filter((f) => !old.has(f)))].sort();
    if (added.length > 0) {
      errs.push(
        field.forbidden(
          "metadata.finalizers",
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(", ")}}`,
        ),
      );
    }
  }
  if ((n.generation ?? 0) < (o.generation ?? 0)) {
    errs.push(field.invalid("metadata.generation", n.generation ?? 0, "must not be decremented"));
  }
  errs.push(...validateImmutableField(n.name ?? "", o.name ?? "", "metadata.name"));
  errs.push(...validateImmutableField(n.namespace ?? "", o.namespace ?? "", "metadata.namespace"));
  errs.push(...validateImmutableField(n.uid ?? "", o.uid ?? "", "metadata.uid"));
  errs.push(...validateImmutableField(n.creationTimestamp, o.creationTimestamp, "metadata.creationTimestamp"));
  errs.push(...validateImmutableField(n.deletionTimestamp, o.deletionTimestamp, "metadata.deletionTimestamp"));
  errs.push(...validateImmutableField(n.deletionGracePeriodSeconds, o.deletionGracePeriodSeconds, "metadata.deletionGracePeriodSeconds"));
  return errs;
}
