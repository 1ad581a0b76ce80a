/**
 * The scheduler's public surface: the component (`startScheduler`), its
 * options, and the pure framework for those who want a decision without
 * the wiring (`schedule` over a `ClusterSnapshot` with a `Profile`).
 */
export { Scheduler, startScheduler, podsRef, nodesRef, eventsRef } from "./scheduler.js";
export { resolveSchedulerOptions, defaultSchedulerName, type SchedulerOptions, type ResolvedSchedulerOptions } from "./scheduler-options.js";
export { schedule, unschedulableMessage, type ScheduleResult, type ScheduleOptions } from "./schedule.js";
export { ClusterSnapshot } from "./cluster-snapshot.js";
export { newNodeInfo, type NodeInfo } from "./node-info.js";
export {
  CycleState,
  fits,
  unfit,
  maxNodeScore,
  normalizeToMax,
  type FilterPlugin,
  type FilterResult,
  type ScorePlugin,
  type Profile,
} from "./framework.js";
export { profiles, filterPlugins, scorePlugins, buildProfile, isProfileName, type ProfileName, type ProfileConfig } from "./registry.js";
export { SchedulingQueue, type QueuedPod, type SchedulingQueueOptions } from "./scheduling-queue.js";
export { podRequests, type Resources } from "./resources.js";
