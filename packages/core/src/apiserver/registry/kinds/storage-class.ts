/**
 * StorageClasses: a provisioner and policies from their enums, frozen
 * provisioner and parameters; table `Provisioner ReclaimPolicy
 * VolumeBindingMode AllowVolumeExpansion Age`, the default class marked.
 */
import type { StorageClass } from "kubernetes-types/storage/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import { deepEqual } from "../deep-equal.js";
import type { Strategy } from "../strategy.js";

const asClass = (obj: Readonly<KubeObject>) => obj as unknown as StorageClass;
const reclaimPolicies = ["Delete", "Retain"];
const bindingModes = ["Immediate", "WaitForFirstConsumer"];

export function isDefaultStorageClass(sc: StorageClass): boolean {
  const a = sc.metadata?.annotations ?? {};
  return a["storageclass.kubernetes.io/is-default-class"] === "true" || a["storageclass.beta.kubernetes.io/is-default-class"] === "true";
}

function validateClass(obj: Readonly<KubeObject>): FieldError[] {
  const sc = asClass(obj);
  const errs: FieldError[] = [];
  if (!sc.provisioner) errs.push(field.required("provisioner"));
  if (sc.reclaimPolicy !== undefined && !reclaimPolicies.includes(sc.reclaimPolicy)) {
    errs.push(field.notSupported("reclaimPolicy", sc.reclaimPolicy, reclaimPolicies));
  }
  if (sc.volumeBindingMode !== undefined && !bindingModes.includes(sc.volumeBindingMode)) {
    errs.push(field.notSupported("volumeBindingMode", sc.volumeBindingMode, bindingModes));
  }
  return errs;
}

export function storageClassStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateClass,
    validateUpdate(obj, old) {
      const errs: FieldError[] = [];
      if (!deepEqual(asClass(obj).parameters ?? {}, asClass(old).parameters ?? {})) {
        errs.push(field.forbidden("parameters", "updates to parameters are forbidden."));
      }
      if (asClass(obj).provisioner !== asClass(old).provisioner) {
        errs.push(field.forbidden("provisioner", "updates to provisioner are forbidden."));
      }
      if ((asClass(obj).reclaimPolicy ?? "Delete") !== (asClass(old).reclaimPolicy ?? "Delete")) {
        errs.push(field.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden."));
      }
      return errs;
    },
    columns: [
      nameColumn,
      column("Provisioner", "string", "provisioner indicates the type of the provisioner."),
      column("ReclaimPolicy", "string", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
      column("VolumeBindingMode", "string", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
      column("AllowVolumeExpansion", "string", "allowVolumeExpansion shows whether the storage class allow volume expand."),
      ageColumn,
    ],
    row(obj, now) {
      const sc = asClass(obj);
      const name = (sc.metadata?.name ?? "") + (isDefaultStorageClass(sc) ? " (default)" : "");
      return [
        name,
        sc.provisioner,
        sc.reclaimPolicy ?? "Delete",
        sc.volumeBindingMode ?? "Immediate",
        String(sc.allowVolumeExpansion ?? false),
        age(obj, now),
      ];
    },
  });
}
