/**
 * The API objects a hollow node writes about itself, as pure functions of
 * its name, address, options and the time: its Node (labels, capacity,
 * conditions, node info, addresses) and its Lease in `kube-node-lease`.
 *
 * The addresses are documentation ranges (RFC 5737 TEST-NET-1, then the
 * RFC 2544 benchmarking block for fleets over 254 nodes): values in a
 * status, never contacted. No `daemonEndpoints` is reported, so nothing
 * is told where a kubelet port would be.
 */
import type { Lease, Node, NodeCondition, NodeStatus } from "../../api/index.js";
import type { ResolvedHollowNodeOptions } from "./hollow-node-options.js";

/** `node.kubernetes.io/instance-type` of every hollow node. */
export const hollowInstanceType = "hollow";
export const nodeLeaseNamespace = "kube-node-lease";
export const hollowContainerRuntimeVersion = "hollow://1.0";

/** The InternalIP of the `index`-th node (0-based) of a fleet. */
export function hollowNodeAddress(index: number): string {
  if (!Number.isInteger(index) || index < 0) throw new Error(`node index must be a non-negative integer, got ${index}`);
  if (index < 254) return `192.0.2.${index + 1}`;
  // 198.18.0.0/15: 131072 addresses, skipping .0 of each /24 for readability.
  const n = index - 254;
  const third = Math.floor(n / 255);
  const octet = 18 + Math.floor(third / 256);
  if (octet > 19) throw new Error(`no hollow node address for index ${index}`);
  return `198.${octet}.${third % 256}.${(n % 255) + 1}`;
}

export function hollowNodeLabels(name: string, options: Pick<ResolvedHollowNodeOptions, "labels">): Record<string, string> {
  return {
    ...options.labels,
    "kubernetes.io/hostname": name,
    "kubernetes.io/os": "linux",
    "kubernetes.io/arch": "amd64",
    "node.kubernetes.io/instance-type": hollowInstanceType,
    "beta.kubernetes.io/os": "linux",
    "beta.kubernetes.io/arch": "amd64",
  };
}

export interface StatusTimes {
  /** Milliseconds: the heartbeat written now. */
  now: number;
  /** Milliseconds: when the conditions took their current values (registration). */
  since: number;
}

/** The node's status: all pressure conditions False, Ready True. */
export function hollowNodeStatus(
  name: string,
  internalIP: string,
  options: Pick<ResolvedHollowNodeOptions, "capacity" | "kubeletVersion">,
  times: StatusTimes,
): NodeStatus {
  const heartbeat = rfc3339(times.now);
  const transition = rfc3339(times.since);
  const condition = (type: string, status: "True" | "False", reason: string, message: string): NodeCondition => ({
    type,
    status,
    reason,
    message,
    lastHeartbeatTime: heartbeat,
    lastTransitionTime: transition,
  });
  return {
    capacity: { ...options.capacity },
    allocatable: { ...options.capacity },
    conditions: [
      condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
      condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
      condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
      condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ],
    addresses: [
      { type: "InternalIP", address: internalIP },
      { type: "Hostname", address: name },
    ],
    nodeInfo: {
      machineID: `hollow-${name}`,
      systemUUID: `hollow-${name}`,
      bootID: `hollow-${name}`,
      kernelVersion: "0.0.0-hollow",
      osImage: "Skiff Hollow Node",
      containerRuntimeVersion: hollowContainerRuntimeVersion,
      kubeletVersion: options.kubeletVersion,
      kubeProxyVersion: "",
      operatingSystem: "linux",
      architecture: "amd64",
    },
  };
}

/** The Node a hollow node registers. */
export function hollowNode(
  name: string,
  internalIP: string,
  options: Pick<ResolvedHollowNodeOptions, "labels" | "capacity" | "kubeletVersion">,
  times: StatusTimes,
): Node {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      labels: hollowNodeLabels(name, options),
      annotations: { "node.alpha.kubernetes.io/ttl": "0" },
    },
    spec: {},
    status: hollowNodeStatus(name, internalIP, options, times),
  };
}

/** The node's Lease, owned by its Node so that deleting the Node deletes it. */
export function hollowLease(
  name: string,
  nodeUid: string | undefined,
  options: Pick<ResolvedHollowNodeOptions, "leaseDurationSeconds">,
  now: number,
): Lease {
  return {
    apiVersion: "coordination.k8s.io/v1",
    kind: "Lease",
    metadata: {
      name,
      namespace: nodeLeaseNamespace,
      ...(nodeUid ? { ownerReferences: [{ apiVersion: "v1", kind: "Node", name, uid: nodeUid }] } : {}),
    },
    spec: { holderIdentity: name, leaseDurationSeconds: options.leaseDurationSeconds, renewTime: microTime(now) },
  };
}

/** RFC 3339 with second precision, as `metav1.Time` is written. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** RFC 3339 with microseconds, as `metav1.MicroTime` (a Lease's renewTime) is written. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
}
