export {
  GarbageCollector,
  collectableResources,
  orphanFinalizer,
  foregroundFinalizer,
  type GarbageCollectorOptions,
} from "./garbage-collector.js";
export { formatObjectRef, parseObjectRef, type ObjectRef } from "./object-ref.js";
