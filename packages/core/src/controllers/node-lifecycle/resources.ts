/** The resources the node lifecycle controller reads and writes. */
import type { ResourceRef } from "../../client/index.js";

export const nodesRef: ResourceRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };
export const leasesRef: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true, kind: "Lease" };

/** Where kubelets keep their heartbeat Leases, one named after each node. */
export const nodeLeaseNamespace = "kube-node-lease";
