export { ControllerExpectations, expectationsTimeoutMs } from "./expectations.js";
export {
  ControllerRefManager,
  candidatesOf,
  controllerOf,
  controllerUidIndex,
  controllerUidIndexName,
  isControlledBy,
  newControllerRef,
  orphanIndexValue,
  recheckOwner,
  type ControllerRefManagerOptions,
} from "./controller-ref.js";
export { EventRecorder, formatTime, involvedObject, type EventType } from "./events.js";
export { isPodActive, isPodAvailable, isPodReady, podReadyCondition } from "./pod-state.js";
export { deploymentsRef, eventsRef, podsRef, replicaSetsRef } from "./resources.js";
