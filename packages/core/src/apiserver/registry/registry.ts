/**
 * The strategy of every built-in resource, keyed `<group>/<plural>` (core
 * group: `/pods`). Kinds with nothing special get the generic strategy.
 */
import { builtinResources } from "../../api/builtin-resources.js";
import type { ResourceInfo } from "../../api/resource-info.js";
import { createStrategy } from "./default-strategy.js";
import { configMapStrategy } from "./kinds/config-map.js";
import { customResourceDefinitionStrategy } from "./kinds/custom-resource-definition.js";
import { daemonSetStrategy } from "./kinds/daemon-set.js";
import { deploymentStrategy } from "./kinds/deployment.js";
import { endpointSliceStrategy } from "./kinds/endpoint-slice.js";
import { endpointsStrategy } from "./kinds/endpoints.js";
import { eventStrategy } from "./kinds/event.js";
import { horizontalPodAutoscalerStrategy } from "./kinds/horizontal-pod-autoscaler.js";
import { ingressClassStrategy, ingressStrategy } from "./kinds/ingress.js";
import { jobStrategy } from "./kinds/job.js";
import { leaseStrategy } from "./kinds/lease.js";
import { namespaceStrategy } from "./kinds/namespace.js";
import { nodeStrategy } from "./kinds/node.js";
import { persistentVolumeClaimStrategy, persistentVolumeStrategy } from "./kinds/persistent-volume.js";
import { podStrategy } from "./kinds/pod.js";
import { clusterRoleBindingStrategy, clusterRoleStrategy, roleBindingStrategy, roleStrategy } from "./kinds/rbac.js";
import { replicaSetStrategy } from "./kinds/replica-set.js";
import { secretStrategy } from "./kinds/secret.js";
import { serviceAccountStrategy } from "./kinds/service-account.js";
import { serviceStrategy } from "./kinds/service.js";
import { storageClassStrategy } from "./kinds/storage-class.js";
import type { Strategy } from "./strategy.js";

type StrategyFactory = (resource: ResourceInfo) => Strategy;

const factories: Record<string, StrategyFactory> = {
  "/namespaces": namespaceStrategy,
  "/nodes": nodeStrategy,
  "/pods": podStrategy,
  "/services": serviceStrategy,
  "/endpoints": endpointsStrategy,
  "/configmaps": configMapStrategy,
  "/secrets": secretStrategy,
  "/events": eventStrategy,
  "/serviceaccounts": serviceAccountStrategy,
  "/persistentvolumes": persistentVolumeStrategy,
  "/persistentvolumeclaims": persistentVolumeClaimStrategy,
  "apps/replicasets": replicaSetStrategy,
  "apps/deployments": deploymentStrategy,
  "apps/daemonsets": daemonSetStrategy,
  "batch/jobs": jobStrategy,
  "autoscaling/horizontalpodautoscalers": horizontalPodAutoscalerStrategy,
  "networking.k8s.io/ingresses": ingressStrategy,
  "networking.k8s.io/ingressclasses": ingressClassStrategy,
  "discovery.k8s.io/endpointslices": endpointSliceStrategy,
  "coordination.k8s.io/leases": leaseStrategy,
  "storage.k8s.io/storageclasses": storageClassStrategy,
  "rbac.authorization.k8s.io/roles": roleStrategy,
  "rbac.authorization.k8s.io/clusterroles": clusterRoleStrategy,
  "rbac.authorization.k8s.io/rolebindings": roleBindingStrategy,
  "rbac.authorization.k8s.io/clusterrolebindings": clusterRoleBindingStrategy,
  "apiextensions.k8s.io/customresourcedefinitions": (r) => customResourceDefinitionStrategy(r),
};

export const strategyKey = (group: string, plural: string) => `${group}/${plural}`;

/** A fresh map of every built-in strategy (strategies hold no state, so sharing one map is fine too). */
export function builtinStrategies(): Map<string, Strategy> {
  const map = new Map<string, Strategy>();
  for (const resource of builtinResources) {
    const key = strategyKey(resource.group, resource.plural);
    map.set(key, (factories[key] ?? ((r: ResourceInfo) => createStrategy(r)))(resource));
  }
  return map;
}

let shared: Map<string, Strategy> | undefined;

/** The strategy of a built-in resource, or undefined (custom resources come from `crdStrategies`). */
export function strategyFor(group: string, plural: string): Strategy | undefined {
  shared ??= builtinStrategies();
  return shared.get(strategyKey(group, plural));
}
