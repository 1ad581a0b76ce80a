/**
 * Builders of nodes, pods and snapshots for scheduler tests: the fields the
 * plugins read, nothing else.
 */
import type { Node, Pod, Taint, Toleration } from "../../api/types.js";
import type { Affinity, TopologySpreadConstraint } from "kubernetes-types/core/v1.js";
import { ClusterSnapshot } from "../cluster-snapshot.js";
import { CycleState } from "../framework.js";
import { newNodeInfo, type NodeInfo } from "../node-info.js";

export interface NodeFixture {
  cpu?: string;
  memory?: string;
  pods?: string;
  extra?: Record<string, string>;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
  /** The Ready condition's status; undefined leaves the condition out. @default "True" */
  ready?: "True" | "False" | "Unknown" | undefined;
}

export function makeNode(name: string, f: NodeFixture = {}): Node {
  const ready = "ready" in f ? f.ready : "True";
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(f.labels ?? {}) } },
    spec: { ...(f.taints ? { taints: f.taints } : {}), ...(f.unschedulable ? { unschedulable: true } : {}) },
    status: {
      allocatable: { cpu: f.cpu ?? "4", memory: f.memory ?? "8Gi", pods: f.pods ?? "110", ...(f.extra ?? {}) },
      conditions: ready === undefined ? [] : [{ type: "Ready", status: ready }],
    },
  };
}

export interface PodFixture {
  namespace?: string;
  cpu?: string;
  memory?: string;
  extra?: Record<string, string>;
  nodeName?: string;
  labels?: Record<string, string>;
  tolerations?: Toleration[];
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  topologySpreadConstraints?: TopologySpreadConstraint[];
  /** A controller owner's uid. */
  owner?: string;
  hostPort?: number;
  priority?: number;
  created?: string;
  phase?: string;
}

export function makePod(name: string, f: PodFixture = {}): Pod {
  const requests: Record<string, string> = { ...(f.extra ?? {}) };
  if (f.cpu) requests["cpu"] = f.cpu;
  if (f.memory) requests["memory"] = f.memory;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name,
      namespace: f.namespace ?? "default",
      uid: `uid-${name}`,
      ...(f.labels ? { labels: f.labels } : {}),
      ...(f.owner ? { ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: f.owner, uid: f.owner, controller: true }] } : {}),
      ...(f.created ? { creationTimestamp: f.created } : {}),
    },
    spec: {
      containers: [
        {
          name: "main",
          image: "busybox",
          ...(Object.keys(requests).length > 0 ? { resources: { requests } } : {}),
          ...(f.hostPort ? { ports: [{ containerPort: 80, hostPort: f.hostPort }] } : {}),
        },
      ],
      ...(f.nodeName ? { nodeName: f.nodeName } : {}),
      ...(f.tolerations ? { tolerations: f.tolerations } : {}),
      ...(f.nodeSelector ? { nodeSelector: f.nodeSelector } : {}),
      ...(f.affinity ? { affinity: f.affinity } : {}),
      ...(f.topologySpreadConstraints ? { topologySpreadConstraints: f.topologySpreadConstraints } : {}),
      ...(f.priority !== undefined ? { priority: f.priority } : {}),
    },
    ...(f.phase ? { status: { phase: f.phase } } : {}),
  };
}

/** A NodeInfo and a cycle state over a snapshot of just that node (plus `others`), for one plugin call. */
export function oneNode(node: Node, pods: Pod[] = [], others: Node[] = []): { nodeInfo: NodeInfo; state: CycleState } {
  const snapshot = ClusterSnapshot.build([node, ...others], pods);
  return { nodeInfo: snapshot.get(node.metadata!.name!) ?? newNodeInfo(node), state: new CycleState(snapshot) };
}
