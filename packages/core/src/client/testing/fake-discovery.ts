/**
 * Legacy discovery documents for a handful of built-in kinds, to answer
 * `/api`, `/api/v1`, `/apis`, `/apis/apps/v1` from a `RecordingTransport`.
 */
import type { FakeReply } from "./recording-transport.js";

const verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

export const fakeDiscoveryDocuments: Record<string, unknown> = {
  "/api": { kind: "APIVersions", versions: ["v1"] },
  "/apis": {
    kind: "APIGroupList",
    apiVersion: "v1",
    groups: [
      {
        name: "apps",
        versions: [{ groupVersion: "apps/v1", version: "v1" }],
        preferredVersion: { groupVersion: "apps/v1", version: "v1" },
      },
    ],
  },
  "/api/v1": {
    kind: "APIResourceList",
    groupVersion: "v1",
    resources: [
      { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs, shortNames: ["po"], categories: ["all"] },
      { name: "pods/status", singularName: "", namespaced: true, kind: "Pod", verbs: ["get", "patch", "update"] },
      { name: "namespaces", singularName: "namespace", namespaced: false, kind: "Namespace", verbs, shortNames: ["ns"] },
      { name: "events", singularName: "event", namespaced: true, kind: "Event", verbs, shortNames: ["ev"] },
      { name: "configmaps", singularName: "configmap", namespaced: true, kind: "ConfigMap", verbs, shortNames: ["cm"] },
      { name: "services", singularName: "service", namespaced: true, kind: "Service", verbs, shortNames: ["svc"], categories: ["all"] },
    ],
  },
  "/apis/apps/v1": {
    kind: "APIResourceList",
    groupVersion: "apps/v1",
    resources: [
      { name: "deployments", singularName: "deployment", namespaced: true, kind: "Deployment", verbs, shortNames: ["deploy"], categories: ["all"] },
      { name: "deployments/scale", singularName: "", namespaced: true, kind: "Scale", group: "autoscaling", version: "v1", verbs: ["get", "patch", "update"] },
    ],
  },
};

/** A reply for a discovery path, or undefined for any other path. */
export function discoveryReply(path: string): FakeReply | undefined {
  const doc = fakeDiscoveryDocuments[path];
  return doc ? { status: 200, body: doc } : undefined;
}
