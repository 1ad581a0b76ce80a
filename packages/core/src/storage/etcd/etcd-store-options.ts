export interface EtcdStoreOptions {
  /** Client URLs of the etcd members, e.g. `http://127.0.0.1:2379`. */
  endpoints: string[];
  /**
   * Prepended to every key in etcd, so several clusters (or tests) can share
   * one etcd. Keys handed to and returned by the store never include it.
   * @default "" (keys are stored as given)
   */
  prefix?: string;
  /** TLS material (PEM) for `https` endpoints. @default none (plain text) */
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
  /**
   * How long to wait for a connection to a member, in milliseconds.
   * @default 5000
   */
  dialTimeoutMs?: number;
}

export type ResolvedEtcdStoreOptions = Required<Omit<EtcdStoreOptions, "tls">> & Pick<EtcdStoreOptions, "tls">;

export function resolveEtcdStoreOptions(options: EtcdStoreOptions): ResolvedEtcdStoreOptions {
  if (options.endpoints.length === 0) throw new Error("etcd store: at least one endpoint is required");
  return {
    endpoints: options.endpoints,
    prefix: options.prefix ?? "",
    tls: options.tls,
    dialTimeoutMs: options.dialTimeoutMs ?? 5000,
  };
}
