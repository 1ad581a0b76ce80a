/**
 * Strategies for the custom resources a CRD defines, one per version: the
 * same generic behaviour as built-ins (generation, status kept on main
 * updates when the status subresource is on), columns from
 * `additionalPrinterColumns` (or Name, Age), field selectors from
 * `selectableFields`. Schema validation and defaults come from the version's
 * OpenAPI schema elsewhere.
 */
import type {
  CustomResourceColumnDefinition,
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
} from "kubernetes-types/apiextensions/v1.js";
import type { KubeObject } from "../../api/object.js";
import { standardVerbs, type ResourceInfo } from "../../api/resource-info.js";
import { createStrategy, nameColumn } from "./default-strategy.js";
import { timestampSince } from "../../util/human-duration.js";
import { evaluateJsonPath } from "./json-path.js";
import type { Strategy, TableColumn } from "./strategy.js";

export interface CustomResourceVersion {
  version: string;
  resource: ResourceInfo;
  strategy: Strategy;
  served: boolean;
  storage: boolean;
}

const columnTypes = ["string", "integer", "number", "boolean", "date"] as const;

/** Upstream's default column for CRs without printer columns. */
const defaultColumns: CustomResourceColumnDefinition[] = [
  {
    name: "Age",
    type: "date",
    jsonPath: ".metadata.creationTimestamp",
    description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  },
];

/** One cell: dates become ages, scalars keep their JSON type, the rest is JSON text, missing is null (`<none>`). */
export function columnCell(column: CustomResourceColumnDefinition, obj: Readonly<KubeObject>, now: number): unknown {
  const value = evaluateJsonPath(obj, column.jsonPath);
  if (value === undefined || value === null) return null;
  switch (column.type) {
    case "date":
      return typeof value === "string" ? timestampSince(value, now) : null;
    case "integer":
      return typeof value === "number" ? Math.trunc(value) : null;
    case "number":
      return typeof value === "number" ? value : null;
    case "boolean":
      return typeof value === "boolean" ? value : null;
    default:
      return typeof value === "string" ? value : JSON.stringify(value);
  }
}

export function resourceInfoFor(crd: CustomResourceDefinition, version: CustomResourceDefinitionVersion): ResourceInfo {
  const names = crd.spec.names;
  const subresources: ResourceInfo["subresources"] = {};
  if (version.subresources?.status) subresources.status = true;
  const scale = version.subresources?.scale;
  if (scale) {
    subresources.scale = { specReplicasPath: scale.specReplicasPath, statusReplicasPath: scale.statusReplicasPath };
    if (scale.labelSelectorPath) subresources.scale.labelSelectorPath = scale.labelSelectorPath;
  }
  return {
    group: crd.spec.group,
    version: version.name,
    kind: names.kind,
    listKind: names.listKind || `${names.kind}List`,
    plural: names.plural,
    singular: names.singular || names.kind.toLowerCase(),
    namespaced: crd.spec.scope === "Namespaced",
    shortNames: [...(names.shortNames ?? [])],
    categories: [...(names.categories ?? [])],
    verbs: [...standardVerbs],
    subresources,
  };
}

function strategyFor(resource: ResourceInfo, version: CustomResourceDefinitionVersion): Strategy {
  const printerColumns = version.additionalPrinterColumns?.length ? version.additionalPrinterColumns : defaultColumns;
  const columns: TableColumn[] = [
    nameColumn,
    ...printerColumns.map((c) => {
      const col: TableColumn = {
        name: c.name,
        type: (columnTypes as readonly string[]).includes(c.type) ? (c.type as TableColumn["type"]) : "string",
        description: c.description ?? "",
        priority: c.priority ?? 0,
      };
      if (c.format) col.format = c.format;
      return col;
    }),
  ];
  const selectable = (version.selectableFields ?? []).map((f) => f.jsonPath);
  return createStrategy(resource, {
    columns,
    row: (obj, now) => [obj.metadata?.name ?? "", ...printerColumns.map((c) => columnCell(c, obj, now))],
    selectableFields(obj) {
      const fields: Record<string, string> = {};
      for (const path of selectable) {
        const value = evaluateJsonPath(obj, path);
        const key = path.replace(/^\./, "");
        fields[key] = value === undefined || value === null ? "" : String(value);
      }
      return fields;
    },
  });
}

/** One entry per served version of the CRD; unserved versions are left out. */
export function crdStrategies(crd: CustomResourceDefinition): CustomResourceVersion[] {
  return (crd.spec?.versions ?? [])
    .filter((v) => v.served)
    .map((v) => {
      const resource = resourceInfoFor(crd, v);
      return { version: v.name, resource, strategy: strategyFor(resource, v), served: v.served, storage: v.storage };
    });
}
