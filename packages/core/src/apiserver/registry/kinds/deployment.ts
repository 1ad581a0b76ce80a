/**
 * Deployments: selector/template consistency, an immutable selector
 * (apps/v1), non-negative replicas, a usable rolling-update strategy; table
 * `Ready Up-to-date Available Age | Containers Images Selector`.
 */
import type { Deployment } from "kubernetes-types/apps/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { containerCells, formatSelector } from "../table-cells.js";
import { validateNonNegative, validateSelectorAndTemplate } from "./pod-spec.js";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.js";

const asDeployment = (obj: Readonly<KubeObject>) => obj as unknown as Deployment;

/** `0`, `"0"` and `"0%"` all mean zero for maxSurge/maxUnavailable. */
function isZero(v: number | string | undefined): boolean {
  return v === 0 || v === "0" || v === "0%";
}

function validateDeployment(obj: Readonly<KubeObject>): FieldError[] {
  const spec = asDeployment(obj).spec;
  if (!spec) return [field.required("spec")];
  const errs = [
    ...validateNonNegative(spec.replicas, "spec.replicas"),
    ...validateSelectorAndTemplate(spec.selector, spec.template, "spec", "deployment", ["Always"]),
    ...validateNonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
    ...validateNonNegative(spec.revisionHistoryLimit, "spec.revisionHistoryLimit"),
  ];
  const strategy = spec.strategy;
  if (strategy?.type !== undefined && strategy.type !== "Recreate" && strategy.type !== "RollingUpdate") {
    errs.push(field.notSupported("spec.strategy.type", strategy.type, ["Recreate", "RollingUpdate"]));
  }
  if (strategy?.type === "Recreate" && strategy.rollingUpdate) {
    errs.push(field.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'"));
  }
  const ru = strategy?.rollingUpdate;
  if (ru && isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(field.invalid("spec.strategy.rollingUpdate.maxUnavailable", ru.maxUnavailable, "may not be 0 when `maxSurge` is 0"));
  }
  return errs;
}

export function deploymentStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: validateDeployment,
    validateUpdate: (obj, old) =>
      validateImmutableField(asDeployment(obj).spec?.selector, asDeployment(old).spec?.selector, "spec.selector"),
    columns: [
      nameColumn,
      column("Ready", "string", "Number of the pod with ready state"),
      column("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
      column("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn,
    ],
    row(obj, now) {
      const d = asDeployment(obj);
      const [containers, images] = containerCells(d.spec?.template?.spec?.containers);
      return [
        d.metadata?.name ?? "",
        `${d.status?.readyReplicas ?? 0}/${d.spec?.replicas ?? 0}`,
        d.status?.updatedReplicas ?? 0,
        d.status?.availableReplicas ?? 0,
        age(obj, now),
        containers,
        images,
        formatSelector(d.spec?.selector),
      ];
    },
  });
}
