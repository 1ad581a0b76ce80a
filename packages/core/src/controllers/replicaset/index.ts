export { ReplicaSetController, type ReplicaSetControllerOptions, type ReplicaSetObject, type PodObject } from "./replicaset-controller.js";
export { compareForDeletion, podsToDelete } from "./active-pods.js";
export { slowStartBatch } from "./slow-start.js";
