export * from "./store.js";
export {
  openStore,
  parseStoreUrl,
  redactStoreUrl,
  storeSchemes,
  type OpenStoreOptions,
  type StoreLocation,
} from "./open-store.js";
export { SqliteStore } from "./sqlite/sqlite-store.js";
export { resolveSqliteStoreOptions, type SqliteStoreOptions, type ResolvedSqliteStoreOptions } from "./sqlite/sqlite-store-options.js";
export { EtcdStore } from "./etcd/etcd-store.js";
export { resolveEtcdStoreOptions, type EtcdStoreOptions, type ResolvedEtcdStoreOptions } from "./etcd/etcd-store-options.js";
