/**
 * PersistentVolumes and claims: access modes and capacity present, a claim
 * spec frozen after creation except its storage request; the tables of
 * `kubectl get pv` / `pvc`.
 */
import type { PersistentVolume, PersistentVolumeClaim } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import { deepEqual } from "../deep-equal.js";
import type { Strategy } from "../strategy.js";
import { accessModesString } from "../table-cells.js";

const accessModes = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];
const reclaimPolicies = ["Delete", "Recycle", "Retain"];

function validateAccessModes(modes: string[] | undefined, path: string): FieldError[] {
  if (!modes || modes.length === 0) return [field.required(path, "at least 1 access mode is required")];
  const errs: FieldError[] = [];
  for (const m of modes) if (!accessModes.includes(m)) errs.push(field.notSupported(path, m, accessModes));
  return errs;
}

function storageClassOf(obj: { metadata?: { annotations?: Record<string, string> }; spec?: { storageClassName?: string } }): string {
  return obj.spec?.storageClassName ?? obj.metadata?.annotations?.["volume.beta.kubernetes.io/storage-class"] ?? "";
}

export function persistentVolumeStrategy(resource: ResourceInfo): Strategy {
  const asPv = (obj: Readonly<KubeObject>) => obj as unknown as PersistentVolume;
  return createStrategy(resource, {
    prepareForCreate(obj) {
      obj.status = { phase: "Pending" };
    },
    validate(obj) {
      const spec = asPv(obj).spec;
      if (!spec) return [field.required("spec")];
      const errs = validateAccessModes(spec.accessModes, "spec.accessModes");
      if (!spec.capacity?.storage) errs.push(field.required("spec.capacity"));
      const policy = spec.persistentVolumeReclaimPolicy;
      if (policy !== undefined && !reclaimPolicies.includes(policy)) {
        errs.push(field.notSupported("spec.persistentVolumeReclaimPolicy", policy, reclaimPolicies));
      }
      return errs;
    },
    columns: [
      nameColumn,
      column("Capacity", "string", "capacity is the description of the persistent volume's resources and capacity."),
      column("Access Modes", "string", "accessModes contains all ways the volume can be mounted."),
      column("Reclaim Policy", "string", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
      column("Status", "string", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
      column("Claim", "string", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
      column("StorageClass", "string", "StorageClass of the pv"),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pv"),
      column("Reason", "string", "reason is a brief CamelCase string that describes any failure."),
      ageColumn,
      column("VolumeMode", "string", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.", 1),
    ],
    row(obj, now) {
      const pv = asPv(obj);
      const claim = pv.spec?.claimRef ? `${pv.spec.claimRef.namespace ?? ""}/${pv.spec.claimRef.name ?? ""}` : "";
      const phase = pv.metadata?.deletionTimestamp ? "Terminating" : (pv.status?.phase ?? "");
      return [
        pv.metadata?.name ?? "",
        String(pv.spec?.capacity?.storage ?? "0"),
        accessModesString(pv.spec?.accessModes),
        pv.spec?.persistentVolumeReclaimPolicy ?? "",
        phase,
        claim,
        storageClassOf(pv),
        pv.spec?.volumeAttributesClassName || "<unset>",
        pv.status?.reason ?? "",
        age(obj, now),
        pv.spec?.volumeMode ?? "<unset>",
      ];
    },
  });
}

export function persistentVolumeClaimStrategy(resource: ResourceInfo): Strategy {
  const asPvc = (obj: Readonly<KubeObject>) => obj as unknown as PersistentVolumeClaim;
  return createStrategy(resource, {
    prepareForCreate(obj) {
      obj.status = { phase: "Pending" };
    },
    validate(obj) {
      const spec = asPvc(obj).spec;
      if (!spec) return [field.required("spec")];
      const errs = validateAccessModes(spec.accessModes, "spec.accessModes");
      if (!spec.resources?.requests?.storage) errs.push(field.required("spec.resources[storage]"));
      return errs;
    },
    validateUpdate(obj, old) {
      const next = structuredClone(asPvc(obj).spec ?? {}) as Record<string, unknown>;
      const prev = (asPvc(old).spec ?? {}) as Record<string, unknown>;
      // The binder sets volumeName once; requests may grow; the attributes class may change.
      for (const k of ["resources", "volumeAttributesClassName"]) next[k] = prev[k];
      if (!prev.volumeName) next.volumeName = prev.volumeName;
      if (deepEqual(next, prev)) return [];
      return [field.forbidden("spec", "spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims")];
    },
    columns: [
      nameColumn,
      column("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
      column("Volume", "string", "volumeName is the binding reference to the PersistentVolume backing this claim."),
      column("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
      column("Access Modes", "string", "accessModes contains the desired access modes the volume should have."),
      column("StorageClass", "string", "StorageClass of the pvc"),
      column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
      ageColumn,
      column("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", 1),
    ],
    row(obj, now) {
      const pvc = asPvc(obj);
      const phase = pvc.metadata?.deletionTimestamp ? "Terminating" : (pvc.status?.phase ?? "");
      const bound = !!pvc.spec?.volumeName;
      return [
        pvc.metadata?.name ?? "",
        phase,
        pvc.spec?.volumeName ?? "",
        bound ? String(pvc.status?.capacity?.storage ?? "0") : "",
        bound ? accessModesString(pvc.status?.accessModes) : "",
        storageClassOf(pvc),
        pvc.spec?.volumeAttributesClassName || "<unset>",
        age(obj, now),
        pvc.spec?.volumeMode ?? "<unset>",
      ];
    },
  });
}
