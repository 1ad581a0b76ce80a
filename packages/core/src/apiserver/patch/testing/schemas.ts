/**
 * Small hand-built schemas for the patch engines' tests: a Pod-like and a
 * Deployment-like kind carrying the same patch metadata as the real types
 * (containers/env by name, ports by containerPort, finalizers as a merged
 * set, tolerations atomic, the deployment strategy with retainKeys).
 */
import type { SchemaNode } from "../../../api/schema.js";

const str: SchemaNode = { type: "string" };
const int: SchemaNode = { type: "integer" };
const stringMap: SchemaNode = { type: "object", additionalProperties: str };

export const objectMetaSchema: SchemaNode = {
  type: "object",
  properties: {
    name: str,
    namespace: str,
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: str,
    deletionTimestamp: str,
    labels: stringMap,
    annotations: stringMap,
    finalizers: { type: "array", items: str, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-list-type": "set" },
    managedFields: { type: "array", items: { type: "object", "x-kubernetes-preserve-unknown-fields": true }, "x-kubernetes-list-type": "atomic" },
    ownerReferences: {
      type: "array",
      items: { type: "object", properties: { uid: str, name: str, kind: str, apiVersion: str } },
      "x-kubernetes-patch-strategy": "merge",
      "x-kubernetes-patch-merge-key": "uid",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["uid"],
    },
  },
};

const envVar: SchemaNode = { type: "object", properties: { name: str, value: str } };
const containerPort: SchemaNode = { type: "object", properties: { name: str, containerPort: int, protocol: str } };

export const containerSchema: SchemaNode = {
  type: "object",
  properties: {
    name: str,
    image: str,
    args: { type: "array", items: str, "x-kubernetes-list-type": "atomic" },
    env: { type: "array", items: envVar, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
    ports: {
      type: "array",
      items: containerPort,
      "x-kubernetes-patch-strategy": "merge",
      "x-kubernetes-patch-merge-key": "containerPort",
      "x-kubernetes-list-type": "map",
      "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
    },
    resources: { type: "object", properties: { limits: stringMap, requests: stringMap } },
  },
};

export const podSpecSchema: SchemaNode = {
  type: "object",
  properties: {
    containers: { type: "array", items: containerSchema, "x-kubernetes-patch-strategy": "merge", "x-kubernetes-patch-merge-key": "name", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"] },
    tolerations: { type: "array", items: { type: "object", properties: { key: str, operator: str, effect: str } }, "x-kubernetes-list-type": "atomic" },
    nodeSelector: { ...stringMap, "x-kubernetes-map-type": "atomic" },
    nodeName: str,
    restartPolicy: str,
    extra: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
  },
};

export const podSchema: SchemaNode = {
  type: "object",
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMetaSchema,
    spec: podSpecSchema,
    status: { type: "object", properties: { phase: str } },
  },
};

export const deploymentSchema: SchemaNode = {
  type: "object",
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMetaSchema,
    spec: {
      type: "object",
      properties: {
        replicas: int,
        selector: { type: "object", properties: { matchLabels: stringMap }, "x-kubernetes-map-type": "atomic" },
        strategy: {
          type: "object",
          "x-kubernetes-patch-strategy": "retainKeys",
          properties: {
            type: str,
            rollingUpdate: { type: "object", properties: { maxSurge: str, maxUnavailable: str } },
          },
        },
        template: { type: "object", properties: { metadata: objectMetaSchema, spec: podSpecSchema } },
      },
    },
    status: { type: "object", properties: { replicas: int } },
  },
};
