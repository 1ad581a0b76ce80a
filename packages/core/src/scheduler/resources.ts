/**
 * Resource arithmetic for scheduling: what a pod requests and what a node
 * offers, as plain numbers keyed by resource name.
 *
 * Units: `cpu` in millicores, `pods` as a count, everything else (memory,
 * ephemeral-storage, extended resources such as `nvidia.com/gpu`) in whole
 * base units (bytes, devices), as upstream's `Resource` struct keeps them.
 */
import type { Pod, Node } from "../api/types.js";
import { milliValue, quantityValue } from "../api/quantity.js";

export type Resources = Record<string, number>;

type ResourceList = Readonly<Record<string, string | number>> | undefined;

/** Requests assumed for a container that asks for nothing, when scoring only (upstream's non-zero defaults). */
export const defaultMilliCpuRequest = 100;
export const defaultMemoryRequest = 200 * 1024 * 1024;

/** One resource list as numbers (cpu in millicores). */
export function toResources(list: ResourceList): Resources {
  const out: Resources = {};
  for (const [name, q] of Object.entries(list ?? {})) {
    out[name] = name === "cpu" ? milliValue(q) : quantityValue(q);
  }
  return out;
}

export function addResources(into: Resources, add: Readonly<Resources>): Resources {
  for (const [name, v] of Object.entries(add)) into[name] = (into[name] ?? 0) + v;
  return into;
}

function maxResources(into: Resources, other: Readonly<Resources>): Resources {
  for (const [name, v] of Object.entries(other)) into[name] = Math.max(into[name] ?? 0, v);
  return into;
}

/**
 * The effective requests of a pod, upstream's rule:
 *   max(sum(app containers) + sum(sidecars), max over init containers of
 *       (that init container + the sidecars started before it)) + overhead
 * where a sidecar is an init container with `restartPolicy: Always` (it keeps
 * running beside the app containers). `pods` is always 1.
 *
 * `nonZero` substitutes 100m cpu / 200Mi memory for a container that requests
 * neither, so that scoring spreads request-less pods instead of piling them
 * up on one node; filters use the real requests.
 */
export function podRequests(pod: Readonly<Pod>, options: { nonZero?: boolean } = {}): Resources {
  const spec = pod.spec;
  const containerRequests = (c: { resources?: { requests?: ResourceList; limits?: ResourceList } }): Resources => {
    // Upstream defaults requests to limits when only limits are set (done by API defaulting there).
    const r = toResources(c.resources?.requests ?? c.resources?.limits);
    if (options.nonZero) {
      if (r["cpu"] === undefined || r["cpu"] === 0) r["cpu"] = defaultMilliCpuRequest;
      if (r["memory"] === undefined || r["memory"] === 0) r["memory"] = defaultMemoryRequest;
    }
    return r;
  };
  const app: Resources = {};
  for (const c of spec?.containers ?? []) addResources(app, containerRequests(c));
  const sidecars: Resources = {};
  const initPeak: Resources = {};
  for (const c of spec?.initContainers ?? []) {
    const r = containerRequests(c);
    if (c.restartPolicy === "Always") {
      addResources(sidecars, r);
      maxResources(initPeak, sidecars);
    } else {
      maxResources(initPeak, addResources({ ...sidecars }, r));
    }
  }
  const total = maxResources(addResources(app, sidecars), initPeak);
  addResources(total, toResources(spec?.overhead));
  total["pods"] = 1;
  return total;
}

/** `status.allocatable`, falling back to `status.capacity` (a node that reports only capacity). */
export function nodeAllocatable(node: Readonly<Node>): Resources {
  return toResources(node.status?.allocatable ?? node.status?.capacity);
}
