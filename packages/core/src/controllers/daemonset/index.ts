export {
  DaemonSetController,
  daemonSetsRef,
  deletionsKey,
  nodesRef,
  type DaemonSetControllerOptions,
  type DaemonSetObject,
  type NodeObject,
} from "./daemonset-controller.js";
export { daemonPodSpec, revisionHashLabel, targetNodeName } from "./daemon-pod.js";
export { daemonPodTolerations, matchesNodeSelection, nodeEligibility, toleratesTaint, type NodeEligibility } from "./node-eligibility.js";
export { isPodUpdated, oldPodsToDelete, resolveMaxUnavailable } from "./rolling-update.js";
