export { HollowNode } from "./hollow-node.js";
export { HollowNodeFleet, type HollowNodeFleetOptions } from "./hollow-node-fleet.js";
export { HollowPodController, type HollowPodControllerDeps } from "./hollow-pod-controller.js";
export {
  resolveHollowNodeOptions,
  defaultHollowCapacity,
  type HollowNodeOptions,
  type ResolvedHollowNodeOptions,
} from "./hollow-node-options.js";
export { hollowNode, hollowNodeStatus, hollowNodeLabels, hollowLease, hollowNodeAddress, hollowInstanceType, nodeLeaseNamespace } from "./node-object.js";
export { runSecondsAnnotation, exitCodeAnnotation, nextPodAction, runningPodStatus, finishedPodStatus, type HollowPodAction } from "./pod-status.js";
