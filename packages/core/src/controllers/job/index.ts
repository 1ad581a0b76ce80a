export {
  JobController,
  finishedConditionOf,
  jobsRef,
  jobNameLabels,
  controllerUidLabels,
  type JobControllerOptions,
  type JobObject,
} from "./job-controller.js";
export { backoffDelayMs, backoffRecord, podFinishTime, remainingBackoffMs, podFailureBackoffBaseMs, podFailureBackoffMaxMs, type BackoffRecord } from "./pod-failure-backoff.js";
export { completionIndexKey, completionIndexOf, formatIndexes } from "./completion-index.js";
