/**
 * ReplicaSets: the workload rules of Deployments without a strategy; table
 * `Desired Current Ready Age | Containers Images Selector`.
 */
import type { ReplicaSet } from "kubernetes-types/apps/v1.js";
import { field } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { containerCells, formatSelector } from "../table-cells.js";
import { validateNonNegative, validateSelectorAndTemplate } from "./pod-spec.js";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.js";

const asReplicaSet = (obj: Readonly<KubeObject>) => obj as unknown as ReplicaSet;

export function replicaSetStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate(obj) {
      const spec = asReplicaSet(obj).spec;
      if (!spec) return [field.required("spec")];
      return [
        ...validateNonNegative(spec.replicas, "spec.replicas"),
        ...validateNonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
        ...validateSelectorAndTemplate(spec.selector, spec.template, "spec", "replicaset", ["Always"]),
      ];
    },
    validateUpdate: (obj, old) =>
      validateImmutableField(asReplicaSet(obj).spec?.selector, asReplicaSet(old).spec?.selector, "spec.selector"),
    columns: [
      nameColumn,
      column("Desired", "integer", "Replicas is the number of desired replicas."),
      column("Current", "integer", "Replicas is the most recently observed number of replicas."),
      column("Ready", "integer", "The number of ready replicas for this replica set."),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn,
    ],
    row(obj, now) {
      const rs = asReplicaSet(obj);
      const [containers, images] = containerCells(rs.spec?.template?.spec?.containers);
      return [
        rs.metadata?.name ?? "",
        rs.spec?.replicas ?? 0,
        rs.status?.replicas ?? 0,
        rs.status?.readyReplicas ?? 0,
        age(obj, now),
        containers,
        images,
        formatSelector(rs.spec?.selector),
      ];
    },
    selectableFields: (obj) => ({ "status.replicas": String(asReplicaSet(obj).status?.replicas ?? 0) }),
  });
}
