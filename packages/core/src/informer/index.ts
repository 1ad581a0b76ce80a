export { Informer, type ObjectKey, type EventHandlers, type InformerOptions } from "./informer.js";
export { Cache, namespaceIndex, ownerUidIndex, type IndexFunction } from "./cache.js";
export type { ListWatcher } from "./list-watcher.js";
export { SharedInformerFactory } from "./shared-informer-factory.js";
