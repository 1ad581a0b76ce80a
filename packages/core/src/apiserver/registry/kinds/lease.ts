/** Leases: positive durations; table `Holder Age`. */
import type { Lease } from "kubernetes-types/coordination/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

const asLease = (obj: Readonly<KubeObject>) => obj as unknown as Lease;

export function leaseStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate(obj) {
      const spec = asLease(obj).spec;
      const errs: FieldError[] = [];
      if (spec?.leaseDurationSeconds !== undefined && spec.leaseDurationSeconds <= 0) {
        errs.push(field.invalid("spec.leaseDurationSeconds", spec.leaseDurationSeconds, "must be greater than 0"));
      }
      if (spec?.leaseTransitions !== undefined && spec.leaseTransitions < 0) {
        errs.push(field.invalid("spec.leaseTransitions", spec.leaseTransitions, "must be greater than or equal to 0"));
      }
      return errs;
    },
    columns: [nameColumn, column("Holder", "string", "holderIdentity contains the identity of the holder of a current lease."), ageColumn],
    row: (obj, now) => [obj.metadata?.name ?? "", asLease(obj).spec?.holderIdentity ?? "", age(obj, now)],
  });
}
