/**
 * The hollow-nodes role: `count` simulated nodes in this process, against
 * any API server the client reaches, for studying the control plane at
 * scale (`skiff dev hollow`). They register, keep their Leases renewed,
 * post Ready status, and report the pods bound to them Running without
 * containers; see `kubelet/hollow/README.md`.
 *
 * The client needs the rights of a kubelet (nodes, nodes/status, leases in
 * `kube-node-lease`, pods/status, pod delete); the admin's are plenty.
 */
import type { RestClient } from "../client/index.js";
import { HollowNodeFleet, type HollowNodeOptions } from "../kubelet/hollow/index.js";
import { logger } from "../util/index.js";

const log = logger("hollow-nodes");

export interface HollowNodesOptions {
  /** How many nodes. */
  count: number;
  /** Nodes are named `<namePrefix>0`, `<namePrefix>1`, … @default "hollow-" */
  namePrefix?: string;
  /** Extra labels on every node (the standard `kubernetes.io/*` ones win). @default {} */
  labels?: Record<string, string>;
  /** Capacity (= allocatable) of every node; merged over the default. @default { cpu: "4", memory: "16Gi", pods: "110", "ephemeral-storage": "100Gi" } */
  capacity?: Record<string, string>;
  /** Cadences, start delay, clock: see `HollowNodeOptions` for each default. */
  node?: Omit<HollowNodeOptions, "labels" | "capacity">;
  /** Pod status writes in flight at once for the whole fleet. @default 16 */
  workers?: number;
}

export interface HollowNodes {
  /** The node names, in index order. */
  readonly nodeNames: string[];
  /** Resolves once every node has registered (its Node and Lease exist). */
  readonly ready: Promise<void>;
  /** Stops heartbeats and pod handling. The Node objects stay; their leases expire. */
  stop(): Promise<void>;
}

export function startHollowNodes(client: RestClient, options: HollowNodesOptions): HollowNodes {
  const fleet = new HollowNodeFleet(client, {
    ...(options.node ?? {}),
    count: options.count,
    ...(options.namePrefix !== undefined ? { namePrefix: options.namePrefix } : {}),
    ...(options.labels ? { labels: options.labels } : {}),
    ...(options.capacity ? { capacity: options.capacity } : {}),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  const ready = fleet.start();
  ready.catch((err: unknown) => log.error({ err }, "hollow nodes failed to start"));
  log.info({ count: options.count, prefix: options.namePrefix ?? "hollow-" }, "hollow nodes starting");
  return {
    nodeNames: fleet.nodeNames,
    ready,
    stop: () => fleet.stop(),
  };
}
