/**
 * Namespaces: DNS-label names, `status.phase: Active` and the `kubernetes`
 * finalizer on create; `spec.finalizers` change only through `/finalize`
 * (so a plain update keeps the stored ones). Table `Status Age`.
 */
import type { Namespace } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

const asNamespace = (obj: Readonly<KubeObject>) => obj as unknown as Namespace;

/** The finalizer the namespace controller removes once the namespace is empty. */
export const namespaceFinalizer = "kubernetes";

export function namespaceStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    nameValidator: "label",
    prepareForCreate(obj) {
      obj.status = { phase: "Active" };
      const spec = ((obj.spec as { finalizers?: string[] } | undefined) ??= {});
      obj.spec = spec;
      spec.finalizers ??= [];
      if (!spec.finalizers.includes(namespaceFinalizer)) spec.finalizers.push(namespaceFinalizer);
    },
    prepareForUpdate(obj, old) {
      const finalizers = asNamespace(old).spec?.finalizers;
      const spec = ((obj.spec as { finalizers?: string[] } | undefined) ?? {});
      if (finalizers) spec.finalizers = structuredClone(finalizers);
      else delete spec.finalizers;
      obj.spec = spec;
    },
    columns: [nameColumn, column("Status", "string", "The status of the namespace"), ageColumn],
    row: (obj, now) => [obj.metadata?.name ?? "", asNamespace(obj).status?.phase ?? "", age(obj, now)],
    selectableFields: (obj) => ({ "status.phase": asNamespace(obj).status?.phase ?? "" }),
  });
}
