/**
 * Discovery documents, legacy and aggregated, built from the catalog.
 *
 * kubectl 1.32 asks `/api` and `/apis` for the aggregated
 * `APIGroupDiscoveryList` and only believes it when the response carries the
 * exact content type `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`.
 * Without that Accept we answer the legacy documents.
 */
import type { ResourceCatalog, ServedResource } from "./resource-catalog.js";
import { compareVersions } from "./resource-catalog.js";

const scaleKind = { group: "autoscaling", version: "v1", kind: "Scale" };

/** Subresources discovery lists for a resource, beyond status and scale. */
function extraSubresources(r: ServedResource): { name: string; kind: string; verbs: string[]; group?: string; version?: string }[] {
  if (r.info.group === "" && r.info.plural === "pods") {
    return [
      { name: "binding", kind: "Binding", verbs: ["create"] },
      { name: "log", kind: "Pod", verbs: ["get"] },
      { name: "exec", kind: "PodExecOptions", verbs: ["create", "get"] },
      { name: "attach", kind: "PodAttachOptions", verbs: ["create", "get"] },
      { name: "portforward", kind: "PodPortForwardOptions", verbs: ["create", "get"] },
      { name: "eviction", kind: "Eviction", verbs: ["create"], group: "policy", version: "v1" },
    ];
  }
  if (r.info.group === "" && r.info.plural === "namespaces") {
    return [{ name: "finalize", kind: "Namespace", verbs: ["update"] }];
  }
  return [];
}

export function legacyApiVersions(serverAddress: string): unknown {
  return {
    kind: "APIVersions",
    versions: ["v1"],
    serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress }],
  };
}

function groupsOf(catalog: ResourceCatalog): { name: string; versions: string[] }[] {
  const groups = new Map<string, Set<string>>();
  for (const gv of catalog.groupVersions()) {
    if (gv.group === "") continue;
    if (!groups.has(gv.group)) groups.set(gv.group, new Set());
    groups.get(gv.group)!.add(gv.version);
  }
  return [...groups.entries()].map(([name, versions]) => ({
    name,
    versions: [...versions].sort((a, b) => compareVersions(b, a)),
  }));
}

export function legacyApiGroupList(catalog: ResourceCatalog): unknown {
  return {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: groupsOf(catalog).map((g) => ({
      name: g.name,
      versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
    })),
  };
}

export function legacyApiGroup(catalog: ResourceCatalog, group: string): unknown | undefined {
  const g = groupsOf(catalog).find((x) => x.name === group);
  if (!g) return undefined;
  return {
    kind: "APIGroup",
    apiVersion: "v1",
    name: g.name,
    versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
  };
}

export function legacyResourceList(catalog: ResourceCatalog, group: string, version: string): unknown | undefined {
  const resources = catalog.resourcesIn(group, version);
  if (resources.length === 0) return undefined;
  const out: unknown[] = [];
  for (const r of resources) {
    const i = r.info;
    out.push({
      name: i.plural,
      singularName: i.singular,
      namespaced: i.namespaced,
      kind: i.kind,
      verbs: i.verbs,
      ...(i.shortNames.length ? { shortNames: i.shortNames } : {}),
      ...(i.categories.length ? { categories: i.categories } : {}),
      storageVersionHash: "",
    });
    if (i.subresources.status) {
      out.push({ name: `${i.plural}/status`, singularName: "", namespaced: i.namespaced, kind: i.kind, verbs: ["get", "patch", "update"] });
    }
    if (i.subresources.scale) {
      out.push({ name: `${i.plural}/scale`, singularName: "", namespaced: i.namespaced, ...scaleKind, verbs: ["get", "patch", "update"] });
    }
    for (const s of extraSubresources(r)) {
      out.push({
        name: `${i.plural}/${s.name}`,
        singularName: "",
        namespaced: i.namespaced,
        kind: s.kind,
        verbs: s.verbs,
        ...(s.group ? { group: s.group, version: s.version } : {}),
      });
    }
  }
  return { kind: "APIResourceList", apiVersion: "v1", groupVersion: group ? `${group}/${version}` : version, resources: out };
}

function aggregatedResource(r: ServedResource): unknown {
  const i = r.info;
  const subresources: unknown[] = [];
  if (i.subresources.status) {
    subresources.push({ subresource: "status", responseKind: { group: i.group, version: i.version, kind: i.kind }, verbs: ["get", "patch", "update"] });
  }
  if (i.subresources.scale) {
    subresources.push({ subresource: "scale", responseKind: scaleKind, verbs: ["get", "patch", "update"] });
  }
  for (const s of extraSubresources(r)) {
    subresources.push({
      subresource: s.name,
      responseKind: { group: s.group ?? i.group, version: s.version ?? i.version, kind: s.kind },
      verbs: s.verbs,
    });
  }
  return {
    resource: i.plural,
    responseKind: { group: i.group, version: i.version, kind: i.kind },
    scope: i.namespaced ? "Namespaced" : "Cluster",
    singularResource: i.singular,
    verbs: i.verbs,
    ...(i.shortNames.length ? { shortNames: i.shortNames } : {}),
    ...(i.categories.length ? { categories: i.categories } : {}),
    ...(subresources.length ? { subresources } : {}),
  };
}

/** The aggregated document for `/api` (core) or `/apis` (all named groups). */
export function aggregatedDiscovery(catalog: ResourceCatalog, core: boolean, version: "v2" | "v2beta1"): unknown {
  const items = core
    ? [
        {
          metadata: { creationTimestamp: null },
          versions: [{ version: "v1", resources: catalog.resourcesIn("", "v1").map(aggregatedResource), freshness: "Current" }],
        },
      ]
    : groupsOf(catalog).map((g) => ({
        metadata: { name: g.name, creationTimestamp: null },
        versions: g.versions.map((v) => ({
          version: v,
          resources: catalog.resourcesIn(g.name, v).map(aggregatedResource),
          freshness: "Current",
        })),
      }));
  return { kind: "APIGroupDiscoveryList", apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export function aggregatedContentType(version: "v2" | "v2beta1"): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
