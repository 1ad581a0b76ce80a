/**
 * CustomResourceDefinitions: `<plural>.<group>` names, exactly one storage
 * version, a known scope, unique served versions. Skiff has no separate
 * naming controller, so the strategy accepts the names itself: on create
 * and on every update `status.acceptedNames` mirrors `spec.names` and the
 * NamesAccepted and Established conditions are True. Table `Created At`, as
 * upstream's default table for kinds without printers.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionCondition,
  CustomResourceDefinitionNames,
  CustomResourceDefinitionStatus,
} from "kubernetes-types/apiextensions/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { isDns1035Label, isDns1123Label, isDns1123Subdomain } from "../../../api/validation/names.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { createdAtColumn, createStrategy, nameColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { rfc3339 } from "../table-cells.js";

const asCrd = (obj: Readonly<KubeObject>) => obj as unknown as CustomResourceDefinition;
const scopes = ["Cluster", "Namespaced"];

/** `spec.names` with singular and listKind defaulted, as the naming controller accepts them. */
export function acceptedNames(names: CustomResourceDefinitionNames): CustomResourceDefinitionNames {
  return {
    ...structuredClone(names),
    singular: names.singular || names.kind.toLowerCase(),
    listKind: names.listKind || `${names.kind}List`,
  };
}

function condition(type: string, reason: string, message: string, now: string, old?: CustomResourceDefinitionCondition[]) {
  const previous = (old ?? []).find((c) => c.type === type && c.status === "True");
  return { type, status: "True", reason, message, lastTransitionTime: previous?.lastTransitionTime ?? now };
}

/** Fills `status` the way the naming and establishing controllers would, once names are accepted. */
function acceptNames(obj: KubeObject, now: string): void {
  const crd = obj as unknown as CustomResourceDefinition;
  if (!crd.spec?.names?.kind) return;
  const old = (obj.status as CustomResourceDefinitionStatus | undefined) ?? {};
  const storage = crd.spec.versions?.find((v) => v.storage)?.name;
  const stored = new Set(old.storedVersions ?? []);
  if (storage) stored.add(storage);
  const keep = (old.conditions ?? []).filter((c) => c.type !== "NamesAccepted" && c.type !== "Established");
  const status: CustomResourceDefinitionStatus = {
    acceptedNames: acceptedNames(crd.spec.names),
    storedVersions: [...stored],
    conditions: [
      condition("NamesAccepted", "NoConflicts", "no conflicts found", now, old.conditions),
      condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now, old.conditions),
      ...keep,
    ],
  };
  obj.status = status;
}

function validateNames(names: CustomResourceDefinitionNames | undefined): FieldError[] {
  if (!names) return [field.required("spec.names")];
  const errs: FieldError[] = [];
  const checkLabel = (value: string | undefined, path: string, required: boolean) => {
    if (!value) {
      if (required) errs.push(field.required(path));
      return;
    }
    for (const msg of isDns1035Label(value)) errs.push(field.invalid(path, value, msg));
  };
  checkLabel(names.plural, "spec.names.plural", true);
  checkLabel(names.singular, "spec.names.singular", false);
  (names.shortNames ?? []).forEach((s, i) => checkLabel(s, `spec.names.shortNames[${i}]`, true));
  if (!names.kind) errs.push(field.required("spec.names.kind"));
  else if (names.kind === names.listKind) errs.push(field.invalid("spec.names.listKind", names.listKind, "kind and listKind may not be the same"));
  (names.categories ?? []).forEach((c, i) => checkLabel(c, `spec.names.categories[${i}]`, true));
  return errs;
}

function validateCrd(obj: Readonly<KubeObject>): FieldError[] {
  const crd = asCrd(obj);
  const spec = crd.spec;
  if (!spec) return [field.required("spec")];
  const errs: FieldError[] = [];
  const expected = `${spec.names?.plural ?? ""}.${spec.group ?? ""}`;
  if (crd.metadata?.name !== expected) {
    errs.push(field.invalid("metadata.name", crd.metadata?.name ?? "", 'must be spec.names.plural+"."+spec.group'));
  }
  if (!spec.group) errs.push(field.required("spec.group"));
  else {
    for (const msg of isDns1123Subdomain(spec.group)) errs.push(field.invalid("spec.group", spec.group, msg));
    if (spec.group.split(".").length < 2) errs.push(field.invalid("spec.group", spec.group, "should be a domain with at least one dot"));
  }
  if (!scopes.includes(spec.scope)) errs.push(field.notSupported("spec.scope", spec.scope, scopes));
  errs.push(...validateNames(spec.names));
  const versions = spec.versions ?? [];
  if (versions.length === 0) errs.push(field.required("spec.versions"));
  const seen = new Set<string>();
  versions.forEach((v, i) => {
    const path = `spec.versions[${i}].name`;
    for (const msg of isDns1123Label(v.name ?? "")) errs.push(field.invalid(path, v.name, msg));
    if (seen.has(v.name)) errs.push(field.duplicate(path, v.name));
    seen.add(v.name);
    const scale = v.subresources?.scale;
    if (scale) {
      if (!scale.specReplicasPath?.startsWith(".spec.")) {
        errs.push(field.invalid(`spec.versions[${i}].subresources.scale.specReplicasPath`, scale.specReplicasPath, "should be a json path under .spec"));
      }
      if (!scale.statusReplicasPath?.startsWith(".status.")) {
        errs.push(field.invalid(`spec.versions[${i}].subresources.scale.statusReplicasPath`, scale.statusReplicasPath, "should be a json path under .status"));
      }
    }
  });
  if (versions.length > 0) {
    const storage = versions.filter((v) => v.storage).length;
    if (storage !== 1) errs.push(field.invalid("spec.versions", versions, "must have exactly one version marked as storage version"));
    if (!versions.some((v) => v.served)) errs.push(field.invalid("spec.versions", versions, "must have at least one served version"));
  }
  return errs;
}

function validateCrdUpdate(obj: Readonly<KubeObject>, old: Readonly<KubeObject>): FieldError[] {
  return [
    ...validateImmutableField(asCrd(obj).spec?.group, asCrd(old).spec?.group, "spec.group"),
    ...validateImmutableField(asCrd(obj).spec?.scope, asCrd(old).spec?.scope, "spec.scope"),
  ];
}

/** `clock` returns the current time in ms; injected so tests can pin condition timestamps. */
export function customResourceDefinitionStrategy(resource: ResourceInfo, clock: () => number = Date.now): Strategy {
  const stamp = () => rfc3339(new Date(clock()).toISOString());
  return createStrategy(resource, {
    prepareForCreate: (obj) => acceptNames(obj, stamp()),
    prepareForUpdate: (obj) => acceptNames(obj, stamp()),
    validate: validateCrd,
    validateUpdate: validateCrdUpdate,
    columns: [nameColumn, createdAtColumn],
    row: (obj) => [obj.metadata?.name ?? "", rfc3339(obj.metadata?.creationTimestamp)],
  });
}
