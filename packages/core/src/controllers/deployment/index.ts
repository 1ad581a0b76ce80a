export { DeploymentController, type DeploymentControllerOptions, type DeploymentObject } from "./deployment-controller.js";
export { computeHash, podTemplateHashLabel, templatesEqualIgnoringHash } from "./pod-template-hash.js";
export { resolveFenceposts, newReplicaSetReplicas, maxSurge, maxUnavailable } from "./rollout-math.js";
export {
  revisionAnnotation,
  revisionHistoryAnnotation,
  desiredReplicasAnnotation,
  maxReplicasAnnotation,
} from "./annotations.js";
