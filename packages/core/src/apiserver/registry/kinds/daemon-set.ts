/**
 * DaemonSets: workload rules (selector, template with restartPolicy
 * Always, immutable selector); table `Desired Current Ready Up-to-date
 * Available Node Selector Age | Containers Images Selector`.
 */
import type { DaemonSet } from "kubernetes-types/apps/v1.js";
import { field } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { validateImmutableField } from "../../../api/validation/object-meta.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { containerCells, formatLabels, formatSelector } from "../table-cells.js";
import { validateNonNegative, validateSelectorAndTemplate } from "./pod-spec.js";
import { containersColumn, imagesColumn, selectorColumn } from "./workload-columns.js";

const asDaemonSet = (obj: Readonly<KubeObject>) => obj as unknown as DaemonSet;

export function daemonSetStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate(obj) {
      const spec = asDaemonSet(obj).spec;
      if (!spec) return [field.required("spec")];
      const errs = [
        ...validateNonNegative(spec.minReadySeconds, "spec.minReadySeconds"),
        ...validateSelectorAndTemplate(spec.selector, spec.template, "spec", "daemonset", ["Always"]),
      ];
      const type = spec.updateStrategy?.type;
      if (type !== undefined && type !== "RollingUpdate" && type !== "OnDelete") {
        errs.push(field.notSupported("spec.updateStrategy.type", type, ["OnDelete", "RollingUpdate"]));
      }
      return errs;
    },
    validateUpdate: (obj, old) =>
      validateImmutableField(asDaemonSet(obj).spec?.selector, asDaemonSet(old).spec?.selector, "spec.selector"),
    columns: [
      nameColumn,
      column("Desired", "integer", "The total number of nodes that should be running the daemon pod."),
      column("Current", "integer", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
      column("Ready", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
      column("Up-to-date", "integer", "The total number of nodes that are running updated daemon pod"),
      column("Available", "integer", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
      column("Node Selector", "string", "NodeSelector is a selector which must be true for the pod to fit on a node."),
      ageColumn,
      containersColumn,
      imagesColumn,
      selectorColumn,
    ],
    row(obj, now) {
      const ds = asDaemonSet(obj);
      const [containers, images] = containerCells(ds.spec?.template?.spec?.containers);
      return [
        ds.metadata?.name ?? "",
        ds.status?.desiredNumberScheduled ?? 0,
        ds.status?.currentNumberScheduled ?? 0,
        ds.status?.numberReady ?? 0,
        ds.status?.updatedNumberScheduled ?? 0,
        ds.status?.numberAvailable ?? 0,
        formatLabels(ds.spec?.template?.spec?.nodeSelector),
        age(obj, now),
        containers,
        images,
        formatSelector(ds.spec?.selector),
      ];
    },
  });
}
