/**
 * Legacy JSON discovery (`/api`, `/api/v1`, `/apis`, `/apis/<g>/<v>`) and
 * the mapping from what a user types to a resource, the way kubectl maps
 * it: `po`, `pod`, `pods`, `Pod`, `deploy`, `deployments.apps`,
 * `deployments.v1.apps`. The core group wins over other groups, and a
 * group's preferred version over its others.
 *
 * The result is fetched once and kept; a word that matches nothing causes
 * one refetch (a CRD may just have been created) before giving up.
 */
import { ApiError, type ResourceInfo, type GroupVersionKind } from "../api/index.js";
import type { RestClient } from "./rest-client.js";

interface ApiResource {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface ApiResourceList {
  groupVersion: string;
  resources: ApiResource[];
}

interface ApiGroupList {
  groups: { name: string; versions: { groupVersion: string; version: string }[]; preferredVersion?: { version: string } }[];
}

/** The word names no resource the server serves. kubectl prints it as `error: …`, not as a server error. */
export class UnknownResourceTypeError extends ApiError {
  constructor(
    readonly word: string,
    message = `the server doesn't have a resource type "${word}"`,
  ) {
    super("NotFound", message);
    this.name = "UnknownResourceTypeError";
  }
}

export class Discovery {
  private resources: ResourceInfo[] | undefined;
  private loading: Promise<ResourceInfo[]> | undefined;

  constructor(private readonly client: RestClient) {}

  /** Every resource, core group first, preferred versions before others. Subresources are folded into their parent. */
  async serverResources(): Promise<ResourceInfo[]> {
    if (this.resources) return this.resources;
    this.loading ??= this.fetchAll().then(
      (r) => {
        this.resources = r;
        this.loading = undefined;
        return r;
      },
      (err) => {
        this.loading = undefined;
        throw err;
      },
    );
    return this.loading;
  }

  /** Forgets what was fetched; the next call asks the server again. */
  invalidate(): void {
    this.resources = undefined;
  }

  /** Resolves a user's word for a resource type; throws `UnknownResourceTypeError`. */
  async resolve(word: string): Promise<ResourceInfo> {
    const hadCache = this.resources !== undefined;
    const found = matchResource(await this.serverResources(), word);
    if (found) return found;
    if (hadCache) {
      this.invalidate();
      const retry = matchResource(await this.serverResources(), word);
      if (retry) return retry;
    }
    throw new UnknownResourceTypeError(word);
  }

  /** The resource serving a kind at a group/version (e.g. from a manifest's apiVersion and kind). */
  async resourceFor(gvk: GroupVersionKind): Promise<ResourceInfo> {
    const find = (all: ResourceInfo[]) =>
      all.find((r) => r.group === gvk.group && r.version === gvk.version && r.kind === gvk.kind);
    const hadCache = this.resources !== undefined;
    let found = find(await this.serverResources());
    if (!found && hadCache) {
      this.invalidate();
      found = find(await this.serverResources());
    }
    if (!found) {
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      throw new UnknownResourceTypeError(
        gvk.kind,
        `resource mapping not found for kind "${gvk.kind}" in version "${apiVersion}"; ensure CRDs are installed first`,
      );
    }
    return found;
  }

  private async fetchAll(): Promise<ResourceInfo[]> {
    const [core, groups] = await Promise.all([
      this.client.send<{ versions?: string[] }>({ method: "GET", path: "/api" }).then((r) => r.body),
      this.client.send<ApiGroupList>({ method: "GET", path: "/apis" }).then((r) => r.body),
    ]);
    const versions: { group: string; version: string; path: string }[] = [];
    for (const v of core?.versions ?? []) versions.push({ group: "", version: v, path: `/api/${v}` });
    for (const g of groups?.groups ?? []) {
      const preferred = g.preferredVersion?.version;
      const ordered = [...g.versions].sort((a, b) => Number(b.version === preferred) - Number(a.version === preferred));
      for (const v of ordered) versions.push({ group: g.name, version: v.version, path: `/apis/${v.groupVersion}` });
    }
    const lists = await Promise.all(
      versions.map((v) =>
        this.client
          .send<ApiResourceList>({ method: "GET", path: v.path })
          .then((r) => ({ ...v, list: r.body }))
          // One unavailable group (an aggregated API that is down) must not hide the others.
          .catch(() => ({ ...v, list: undefined })),
      ),
    );
    const out: ResourceInfo[] = [];
    for (const { group, version, list } of lists) out.push(...toResourceInfos(group, version, list?.resources ?? []));
    return out;
  }
}

export function toResourceInfos(group: string, version: string, resources: ApiResource[]): ResourceInfo[] {
  const subresources = new Map<string, string[]>();
  for (const r of resources) {
    const slash = r.name.indexOf("/");
    if (slash > 0) {
      const parent = r.name.slice(0, slash);
      subresources.set(parent, [...(subresources.get(parent) ?? []), r.name.slice(slash + 1)]);
    }
  }
  return resources
    .filter((r) => !r.name.includes("/"))
    .map((r) => {
      const subs = subresources.get(r.name) ?? [];
      const info: ResourceInfo = {
        group,
        version,
        kind: r.kind,
        listKind: `${r.kind}List`,
        plural: r.name,
        singular: r.singularName || r.kind.toLowerCase(),
        namespaced: r.namespaced,
        shortNames: r.shortNames ?? [],
        categories: r.categories ?? [],
        verbs: r.verbs ?? [],
        subresources: {},
      };
      if (subs.includes("status")) info.subresources.status = true;
      if (subs.includes("scale")) {
        info.subresources.scale = { specReplicasPath: ".spec.replicas", statusReplicasPath: ".status.replicas" };
      }
      return info;
    });
}

/**
 * kubectl's matching order: the exact plural, singular or short name, or
 * the Kind (case-insensitive), in any group (first in discovery order);
 * then `<resource>.<group>` and `<resource>.<version>.<group>`.
 */
export function matchResource(all: ResourceInfo[], word: string): ResourceInfo | undefined {
  const w = word.trim();
  const lower = w.toLowerCase();
  const names = (r: ResourceInfo) => [r.plural, r.singular, ...r.shortNames, r.kind.toLowerCase()];
  const direct = all.find((r) => names(r).includes(lower));
  if (direct) return direct;
  const dot = lower.indexOf(".");
  if (dot <= 0) return undefined;
  const resource = lower.slice(0, dot);
  const rest = lower.slice(dot + 1);
  return all.find(
    (r) => names(r).includes(resource) && (r.group === rest || `${r.version}.${r.group}` === rest || (r.group === "" && rest === r.version)),
  );
}
