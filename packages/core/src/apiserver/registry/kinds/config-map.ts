/** ConfigMaps: valid keys, size limit, `immutable`; table `Data Age`. */
import type { ConfigMap } from "kubernetes-types/core/v1.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";
import { validateDataKeys, validateImmutablePayload } from "./config-data.js";

const asConfigMap = (obj: Readonly<KubeObject>) => obj as unknown as ConfigMap;

export function configMapStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    validate: (obj) => validateDataKeys(asConfigMap(obj).data, asConfigMap(obj).binaryData, "binaryData"),
    validateUpdate: (obj, old) => validateImmutablePayload(asConfigMap(obj), asConfigMap(old)),
    columns: [nameColumn, column("Data", "string", "Data contains the configuration data."), ageColumn],
    row(obj, now) {
      const cm = asConfigMap(obj);
      return [cm.metadata?.name ?? "", Object.keys(cm.data ?? {}).length + Object.keys(cm.binaryData ?? {}).length, age(obj, now)];
    },
  });
}
