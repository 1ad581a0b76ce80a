export type { Controller, RunOptions } from "./controller.js";
export { runController } from "./run-controller.js";
export { enqueueObject, enqueueOwner, controllerOf } from "./enqueue.js";
export { runWithLeaderElection, type LeaderElectionOptions } from "./leader-election.js";
