/**
 * How fast the node lifecycle controller notices a silent node and evicts
 * its pods. Two profiles:
 *
 * - `default`: upstream's kube-controller-manager and DefaultTolerationSeconds
 *   admission defaults. A node is declared Unknown 40 s after its last
 *   heartbeat and its pods are evicted 300 s after that: right for clusters
 *   where a short network blip must not reschedule half the workload.
 * - `fast`: for small clusters (a laptop, a few machines) where a dead node
 *   should be noticed in seconds. Unknown after 8 s, evicted 10 s later.
 *   It assumes the kubelet renews its Lease at least every 2 s (the grace
 *   period should cover about four missed renewals, as upstream's 40 s does
 *   for the kubelet's 10 s renewals).
 */
import type { KubeObject } from "../../api/index.js";
import type { ResourceRef } from "../../client/index.js";
import type { Informer } from "../../informer/index.js";
import type { Clock } from "../../util/index.js";
import type { EventRecorder } from "../shared/index.js";

export interface NodeLifecycleTimings {
  /**
   * A node whose Lease and Ready heartbeat have not moved for this long
   * (milliseconds, on the controller's clock) gets its conditions set to
   * Unknown. Upstream `--node-monitor-grace-period`.
   * @default 40_000 (fast: 8_000)
   */
  nodeMonitorGracePeriodMs: number;
  /**
   * The grace period of a node that never posted a Ready condition,
   * counted from its creation. Upstream `--node-startup-grace-period`.
   * @default 60_000 (fast: 15_000)
   */
  nodeStartupGracePeriodMs: number;
  /**
   * How often every node is checked again without any event. Upstream
   * `--node-monitor-period`.
   * @default 5_000 (fast: 1_000)
   */
  nodeMonitorPeriodMs: number;
  /**
   * How long a pod without a toleration of its own for
   * `node.kubernetes.io/not-ready` / `unreachable` stays on a node carrying
   * that NoExecute taint before it is evicted: the `tolerationSeconds` that
   * upstream's DefaultTolerationSeconds admission plugin adds to every pod
   * (`--default-not-ready-toleration-seconds`,
   * `--default-unreachable-toleration-seconds`), in milliseconds.
   * @default 300_000 (fast: 10_000)
   */
  podEvictionTimeoutMs: number;
}

export type NodeLifecycleProfileName = "default" | "fast";

export const nodeLifecycleProfiles: Readonly<Record<NodeLifecycleProfileName, Readonly<NodeLifecycleTimings>>> = {
  default: {
    nodeMonitorGracePeriodMs: 40_000,
    nodeStartupGracePeriodMs: 60_000,
    nodeMonitorPeriodMs: 5_000,
    podEvictionTimeoutMs: 300_000,
  },
  fast: {
    nodeMonitorGracePeriodMs: 8_000,
    nodeStartupGracePeriodMs: 15_000,
    nodeMonitorPeriodMs: 1_000,
    podEvictionTimeoutMs: 10_000,
  },
};

export interface NodeLifecycleOptions extends Partial<NodeLifecycleTimings> {
  /** Fills the timings not given here. @default "default" */
  profile?: NodeLifecycleProfileName;
  /** @default realClock */
  clock?: Clock;
  /**
   * Builds (or shares) the informers for nodes, pods and leases.
   * @default an `Informer` over the client: all nodes, all pods, leases in `kube-node-lease`
   */
  newInformer?: (ref: ResourceRef) => Informer<KubeObject>;
  /** @default an `EventRecorder` posting as `node-controller` */
  recorder?: EventRecorder;
}

/** The timings of `options`, each taken from the options or else from the profile. */
export function resolveNodeLifecycleTimings(options: NodeLifecycleOptions = {}): NodeLifecycleTimings {
  const profile = nodeLifecycleProfiles[options.profile ?? "default"];
  return {
    nodeMonitorGracePeriodMs: options.nodeMonitorGracePeriodMs ?? profile.nodeMonitorGracePeriodMs,
    nodeStartupGracePeriodMs: options.nodeStartupGracePeriodMs ?? profile.nodeStartupGracePeriodMs,
    nodeMonitorPeriodMs: options.nodeMonitorPeriodMs ?? profile.nodeMonitorPeriodMs,
    podEvictionTimeoutMs: options.podEvictionTimeoutMs ?? profile.podEvictionTimeoutMs,
  };
}
