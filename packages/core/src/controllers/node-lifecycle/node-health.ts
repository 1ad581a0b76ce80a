/**
 * Whether a node is still heard from (upstream `tryUpdateNodeHealth`).
 *
 * A node is heard from when its Lease in `kube-node-lease` is renewed or
 * its Ready condition's `lastHeartbeatTime` changes. Either counts at the
 * moment the controller *sees* it change, on the controller's own clock,
 * never by the timestamps the node wrote: node and control-plane clocks
 * need not agree. The price, as upstream: a controller that starts (or
 * becomes leader) gives every node a fresh grace period.
 *
 * When nothing moved for the grace period, Ready, MemoryPressure,
 * DiskPressure and PIDPressure become Unknown. NetworkUnavailable is left
 * alone: it belongs to the network plugin, not to the kubelet.
 */
import type { Lease, Node, NodeCondition } from "../../api/index.js";
import { formatTime } from "../shared/index.js";

/** What the controller last saw of a node, kept in memory per node. */
export interface NodeHealth {
  /** Controller time (ms) of the last sign of life. */
  probeTimestamp: number;
  /** `lastHeartbeatTime` of the Ready condition when last seen; undefined while there is none. */
  readyHeartbeat: string | undefined;
  hasReady: boolean;
  /** The Lease's `spec.renewTime` (ms) when last seen. */
  leaseRenewTime: number | undefined;
}

/** Conditions the controller sets to Unknown when a node falls silent. */
export const kubeletConditionTypes = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"] as const;

export function readyCondition(node: Readonly<Node>): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === "Ready");
}

/** The health record after looking at `node` and its `lease` at controller time `now`. */
export function observeNodeHealth(previous: NodeHealth | undefined, node: Readonly<Node>, lease: Readonly<Lease> | undefined, now: number): NodeHealth {
  const ready = readyCondition(node);
  let next: NodeHealth;
  if (!previous) {
    // Never seen: a node that never posted Ready is timed from its creation (startup grace period), any other from now.
    const created = Date.parse(node.metadata?.creationTimestamp ?? "");
    const probeTimestamp = ready || Number.isNaN(created) ? now : Math.min(created, now);
    next = { probeTimestamp, readyHeartbeat: ready?.lastHeartbeatTime, hasReady: ready !== undefined, leaseRenewTime: undefined };
  } else if (previous.hasReady !== (ready !== undefined) || (ready !== undefined && ready.lastHeartbeatTime !== previous.readyHeartbeat)) {
    next = { ...previous, probeTimestamp: now, readyHeartbeat: ready?.lastHeartbeatTime, hasReady: ready !== undefined };
  } else {
    next = { ...previous };
  }
  // A renewed lease counts as a heartbeat even if the kubelet never posted status (upstream does the same).
  const renewTime = parseTime(lease?.spec?.renewTime);
  if (renewTime !== undefined && (previous?.leaseRenewTime === undefined || renewTime > previous.leaseRenewTime)) {
    next.leaseRenewTime = renewTime;
    next.probeTimestamp = now;
  }
  return next;
}

/** True when the node has been silent longer than its grace period. */
export function isSilent(health: NodeHealth, now: number, gracePeriodMs: number, startupGracePeriodMs: number): boolean {
  return now > health.probeTimestamp + (health.hasReady ? gracePeriodMs : startupGracePeriodMs);
}

/**
 * The node's conditions with the kubelet's ones set to Unknown, or
 * undefined when they already are. A condition the kubelet never posted is
 * added as `NodeStatusNeverUpdated`; one it posted becomes
 * `NodeStatusUnknown` with a new transition time. Heartbeat times are kept:
 * they are the kubelet's, and changing them would look like a heartbeat.
 */
export function unknownConditions(node: Readonly<Node>, now: number): NodeCondition[] | undefined {
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  const at = formatTime(now);
  let changed = false;
  for (const type of kubeletConditionTypes) {
    const current = conditions.find((c) => c.type === type);
    if (!current) {
      conditions.push({
        type,
        status: "Unknown",
        reason: "NodeStatusNeverUpdated",
        message: "Kubelet never posted node status.",
        ...(node.metadata?.creationTimestamp ? { lastHeartbeatTime: node.metadata.creationTimestamp } : {}),
        lastTransitionTime: at,
      });
      changed = true;
    } else if (current.status !== "Unknown") {
      current.status = "Unknown";
      current.reason = "NodeStatusUnknown";
      current.message = "Kubelet stopped posting node status.";
      current.lastTransitionTime = at;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

function parseTime(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
