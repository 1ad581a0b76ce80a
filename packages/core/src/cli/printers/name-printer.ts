/** `-o name`: `pod/web`, `deployment.apps/web` — the kind in lower case, qualified by a non-core group. */
import { parseApiVersion, type KubeObject } from "../../api/index.js";

export function resourceTypeName(kind: string, group: string): string {
  return group ? `${kind.toLowerCase()}.${group}` : kind.toLowerCase();
}

export function printName(obj: KubeObject, fallback?: { kind: string; group: string }): string {
  const group = obj.apiVersion ? parseApiVersion(obj.apiVersion).group : (fallback?.group ?? "");
  const kind = obj.kind ?? fallback?.kind ?? "";
  return `${resourceTypeName(kind, group)}/${obj.metadata?.name ?? ""}\n`;
}
