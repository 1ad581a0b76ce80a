/**
 * Server-side defaulting: fills the fields upstream's defaulters fill, for
 * the built-in kinds Skiff serves, in place. Dispatches on apiVersion+kind;
 * unknown kinds (custom resources) are left alone. Idempotent: defaulting a
 * defaulted object changes nothing.
 */
import type { KubeObject } from "../object.js";
import {
  defaultEndpoints,
  defaultNamespace,
  defaultNode,
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultPod,
  defaultSecret,
  defaultService,
} from "./core.js";
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet } from "./apps.js";
import { defaultJob } from "./batch.js";
import { defaultHorizontalPodAutoscaler } from "./autoscaling.js";
import { defaultCustomResourceDefinition, defaultEndpointSlice, defaultRoleBinding, defaultStorageClass } from "./others.js";

// kubernetes-types describe the same JSON; each defaulter narrows the generic object to its kind.
type Defaulter = (obj: never) => void;

const defaulters: Record<string, Defaulter> = {
  "v1/Pod": defaultPod,
  "v1/Service": defaultService,
  "v1/Endpoints": defaultEndpoints,
  "v1/Secret": defaultSecret,
  "v1/Namespace": defaultNamespace,
  "v1/Node": defaultNode,
  "v1/PersistentVolume": defaultPersistentVolume,
  "v1/PersistentVolumeClaim": defaultPersistentVolumeClaim,
  "apps/v1/ReplicaSet": defaultReplicaSet,
  "apps/v1/Deployment": defaultDeployment,
  "apps/v1/DaemonSet": defaultDaemonSet,
  "batch/v1/Job": defaultJob,
  "autoscaling/v2/HorizontalPodAutoscaler": defaultHorizontalPodAutoscaler,
  "storage.k8s.io/v1/StorageClass": defaultStorageClass,
  "discovery.k8s.io/v1/EndpointSlice": defaultEndpointSlice,
  "rbac.authorization.k8s.io/v1/RoleBinding": defaultRoleBinding,
  "rbac.authorization.k8s.io/v1/ClusterRoleBinding": defaultRoleBinding,
  "apiextensions.k8s.io/v1/CustomResourceDefinition": defaultCustomResourceDefinition,
};

export function applyDefaults(obj: KubeObject): void {
  const defaulter = defaulters[`${obj.apiVersion ?? ""}/${obj.kind ?? ""}`];
  if (defaulter) (defaulter as (o: KubeObject) => void)(obj);
}

/** True when Skiff has upstream defaults for this apiVersion/kind. */
export function hasDefaults(apiVersion: string, kind: string): boolean {
  return `${apiVersion}/${kind}` in defaulters;
}

export { defaultImagePullPolicy, defaultPodSpec } from "./core.js";
export { scaleUpRules, scaleDownRules } from "./autoscaling.js";
