/** ServiceAccounts: table `Secrets Age`. */
import type { ServiceAccount } from "kubernetes-types/core/v1.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

export function serviceAccountStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    columns: [nameColumn, column("Secrets", "string", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."), ageColumn],
    row: (obj, now) => [obj.metadata?.name ?? "", ((obj as unknown as ServiceAccount).secrets ?? []).length, age(obj, now)],
  });
}
