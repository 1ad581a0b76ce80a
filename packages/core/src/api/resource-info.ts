/**
 * What the API knows about one resource (one kind at one group/version):
 * everything discovery, routing and the CLI need. Built-in kinds are listed
 * in `builtin-resources.ts`; CRDs produce the same shape at run time.
 */
export interface ScaleSubresource {
  /** JSON path (dotted, e.g. `.spec.replicas`) of the desired replica count. */
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  listKind: string;
  /** Lower-case plural, the URL segment: `pods`, `deployments`. */
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: {
    status?: boolean;
    scale?: ScaleSubresource;
  };
}

export const standardVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
