/**
 * What every hollow node of a fleet shares: capacity, labels, heartbeat
 * cadences and the simulated pod start delay. Resolved once per fleet and
 * shared by reference, so a node costs only its own name, address and a few
 * timestamps.
 */
import { realClock, type Clock } from "../../util/index.js";

export interface HollowNodeOptions {
  /** Extra node labels; the standard ones (`kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch`, `node.kubernetes.io/instance-type`) win over these. @default {} */
  labels?: Record<string, string>;
  /**
   * `status.capacity`, also reported as `status.allocatable` (a hollow node
   * reserves nothing for itself). Quantities as the API writes them; keys
   * given here replace or extend the defaults.
   * @default { cpu: "4", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi" }
   */
  capacity?: Record<string, string>;
  /** Lease duration written into the node's Lease; the lease is renewed every quarter of it, as the kubelet does. In seconds. @default 40 */
  leaseDurationSeconds?: number;
  /** How often the node checks its status and posts it if it changed (or the API shows it otherwise), in milliseconds. @default 10_000 */
  nodeStatusUpdateFrequencyMs?: number;
  /** How often the node posts its full status even when nothing changed (the Ready heartbeat), in milliseconds. @default 60_000 */
  nodeStatusReportFrequencyMs?: number;
  /** A newly bound pod turns Running after a uniformly random delay in [min, max], in milliseconds. @default { minMs: 0, maxMs: 200 } */
  podStartDelay?: { minMs: number; maxMs: number };
  /** `status.nodeInfo.kubeletVersion`. @default "v1.32.0-skiff-hollow" */
  kubeletVersion?: string;
  /** @default realClock */
  clock?: Clock;
  /** Source of jitter, in [0, 1). Tests pass a fixed sequence. @default Math.random */
  random?: () => number;
}

export interface ResolvedHollowNodeOptions {
  labels: Readonly<Record<string, string>>;
  capacity: Readonly<Record<string, string>>;
  leaseDurationSeconds: number;
  /** A quarter of the lease duration, in milliseconds. */
  leaseRenewIntervalMs: number;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  podStartDelay: { minMs: number; maxMs: number };
  kubeletVersion: string;
  clock: Clock;
  random: () => number;
}

export const defaultHollowCapacity: Readonly<Record<string, string>> = {
  cpu: "4",
  memory: "16Gi",
  pods: "110",
  "ephemeral-storage": "100Gi",
};

export function resolveHollowNodeOptions(options: HollowNodeOptions = {}): ResolvedHollowNodeOptions {
  const leaseDurationSeconds = options.leaseDurationSeconds ?? 40;
  if (!(leaseDurationSeconds > 0)) throw new Error(`leaseDurationSeconds must be positive, got ${leaseDurationSeconds}`);
  const delay = options.podStartDelay ?? { minMs: 0, maxMs: 200 };
  if (!(delay.minMs >= 0 && delay.maxMs >= delay.minMs)) {
    throw new Error(`podStartDelay needs 0 <= minMs <= maxMs, got ${JSON.stringify(delay)}`);
  }
  return {
    labels: { ...(options.labels ?? {}) },
    capacity: { ...defaultHollowCapacity, ...(options.capacity ?? {}) },
    leaseDurationSeconds,
    leaseRenewIntervalMs: (leaseDurationSeconds * 1000) / 4,
    nodeStatusUpdateFrequencyMs: options.nodeStatusUpdateFrequencyMs ?? 10_000,
    nodeStatusReportFrequencyMs: options.nodeStatusReportFrequencyMs ?? 60_000,
    podStartDelay: { ...delay },
    kubeletVersion: options.kubeletVersion ?? "v1.32.0-skiff-hollow",
    clock: options.clock ?? realClock,
    random: options.random ?? Math.random,
  };
}
