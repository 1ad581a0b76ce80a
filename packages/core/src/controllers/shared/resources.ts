/** The resources the workload controllers read and write. */
import type { ResourceRef } from "../../client/index.js";

export const podsRef: ResourceRef = { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" };
export const eventsRef: ResourceRef = { group: "", version: "v1", plural: "events", namespaced: true, kind: "Event" };
export const replicaSetsRef: ResourceRef = { group: "apps", version: "v1", plural: "replicasets", namespaced: true, kind: "ReplicaSet" };
export const deploymentsRef: ResourceRef = { group: "apps", version: "v1", plural: "deployments", namespaced: true, kind: "Deployment" };
