export { NodeLifecycleController, podNodeNameIndexName, type NodeObject, type PodObject, type LeaseObject } from "./node-lifecycle-controller.js";
export {
  nodeLifecycleProfiles,
  resolveNodeLifecycleTimings,
  type NodeLifecycleOptions,
  type NodeLifecycleTimings,
  type NodeLifecycleProfileName,
} from "./node-lifecycle-options.js";
export { observeNodeHealth, isSilent, unknownConditions, kubeletConditionTypes, type NodeHealth } from "./node-health.js";
export { reconcileTaints, wantedTaints, noExecuteTaints, notReadyTaintKey, unreachableTaintKey, unschedulableTaintKey } from "./node-taints.js";
export { evictionDecision, toleratesTaint, tolerationsWithDefaults, type EvictionDecision } from "./taint-eviction.js";
export { nodesRef, leasesRef, nodeLeaseNamespace } from "./resources.js";
