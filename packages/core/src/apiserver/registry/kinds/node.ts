/**
 * Nodes: cluster-scoped; the kubelet registers with its status, so status
 * is kept on create. Table `Status Roles Age Version | Internal-IP
 * External-IP OS-Image Kernel-Version Container-Runtime`.
 */
import { isIP } from "node:net";
import type { Node } from "kubernetes-types/core/v1.js";
import { field, type FieldError } from "../../../api/errors.js";
import type { KubeObject } from "../../../api/object.js";
import type { ResourceInfo } from "../../../api/resource-info.js";
import { age, column, createStrategy, nameColumn, ageColumn } from "../default-strategy.js";
import type { Strategy } from "../strategy.js";

const asNode = (obj: Readonly<KubeObject>) => obj as unknown as Node;

const rolePrefix = "node-role.kubernetes.io/";

/** Upstream `findNodeRoles`: sorted, from `node-role.kubernetes.io/<role>` and `kubernetes.io/role`. */
export function nodeRoles(node: Node): string[] {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata?.labels ?? {})) {
    if (k.startsWith(rolePrefix)) {
      const role = k.slice(rolePrefix.length);
      if (role) roles.add(role);
    } else if (k === "kubernetes.io/role" && v) roles.add(v);
  }
  return [...roles].sort();
}

/** `Ready`, `NotReady`, `Unknown`, each followed by `,SchedulingDisabled` when cordoned. */
export function nodeStatus(node: Node): string {
  const status: string[] = [];
  const ready = (node.status?.conditions ?? []).find((c) => c.type === "Ready");
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  if (status.length === 0) status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

function address(node: Node, type: string): string {
  return (node.status?.addresses ?? []).find((a) => a.type === type)?.address ?? "<none>";
}

function validateNode(obj: Readonly<KubeObject>): FieldError[] {
  const errs: FieldError[] = [];
  const spec = asNode(obj).spec;
  const cidrs = spec?.podCIDRs ?? (spec?.podCIDR ? [spec.podCIDR] : []);
  cidrs.forEach((cidr, i) => {
    const [ip, bits] = cidr.split("/");
    const family = isIP(ip ?? "");
    const max = family === 6 ? 128 : 32;
    if (family === 0 || bits === undefined || !/^\d+$/.test(bits) || Number(bits) > max) {
      errs.push(field.invalid(`spec.podCIDRs[${i}]`, cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
    }
  });
  return errs;
}

export function nodeStrategy(resource: ResourceInfo): Strategy {
  return createStrategy(resource, {
    keepStatusOnCreate: true,
    validate: validateNode,
    columns: [
      nameColumn,
      column("Status", "string", "The status of the node"),
      column("Roles", "string", "The roles of the node"),
      ageColumn,
      column("Version", "string", "Kubelet Version reported by the node."),
      column("Internal-IP", "string", "List of addresses reachable to the node.", 1),
      column("External-IP", "string", "List of addresses reachable to the node.", 1),
      column("OS-Image", "string", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
      column("Kernel-Version", "string", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
      column("Container-Runtime", "string", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ],
    row(obj, now) {
      const node = asNode(obj);
      const info = node.status?.nodeInfo;
      return [
        node.metadata?.name ?? "",
        nodeStatus(node),
        nodeRoles(node).join(",") || "<none>",
        age(obj, now),
        info?.kubeletVersion ?? "",
        address(node, "InternalIP"),
        address(node, "ExternalIP"),
        info?.osImage || "<unknown>",
        info?.kernelVersion || "<unknown>",
        info?.containerRuntimeVersion || "<unknown>",
      ];
    },
    selectableFields: (obj) => ({ "spec.unschedulable": String(asNode(obj).spec?.unschedulable ?? false) }),
  });
}
