/** The resources a hollow node reads and writes, and their object types as informers and the client hold them. */
import type { KubeObject, Lease, Node, Pod } from "../../api/index.js";
import type { ResourceRef } from "../../client/index.js";

export const nodesRef: ResourceRef = { group: "", version: "v1", plural: "nodes", namespaced: false, kind: "Node" };
export const podsRef: ResourceRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };
export const leasesRef: ResourceRef = { group: "coordination.k8s.io", version: "v1", plural: "leases", namespaced: true, kind: "Lease" };

export type PodObject = Pod & KubeObject;
export type NodeObject = Node & KubeObject;
export type LeaseObject = Lease & KubeObject;
