/**
 * Options of the API server. Resolved once by `resolveApiServerOptions`;
 * only `bin/` turns flags and the environment into these.
 */
export interface ApiServerOptions {
  /** Address to listen on. @default "0.0.0.0" */
  host?: string;
  /** TCP port. 0 picks a free port (tests). @default 6443 */
  port?: number;
  /**
   * Serve HTTPS with the cluster's certificate. Plain HTTP is an explicit
   * opt-in for local debugging only. @default true
   */
  tls?: boolean;
  /** Largest accepted request body, in bytes (kube-apiserver's limit). @default 3145728 (3 MiB) */
  maxBodyBytes?: number;
  /** Interval between watch bookmarks when a client asks for them, in ms. @default 60000 */
  bookmarkIntervalMs?: number;
  /** Compact store history older than this many revisions behind the head, every compactIntervalMs. @default 10000 */
  compactRetainRevisions?: number;
  /** How often to compact, in ms; 0 disables. @default 300000 (5 min, like kube-apiserver) */
  compactIntervalMs?: number;
}

export type ResolvedApiServerOptions = Required<ApiServerOptions>;

export function resolveApiServerOptions(o: ApiServerOptions = {}): ResolvedApiServerOptions {
  return {
    host: o.host ?? "0.0.0.0",
    port: o.port ?? 6443,
    tls: o.tls ?? true,
    maxBodyBytes: o.maxBodyBytes ?? 3 * 1024 * 1024,
    bookmarkIntervalMs: o.bookmarkIntervalMs ?? 60_000,
    compactRetainRevisions: o.compactRetainRevisions ?? 10_000,
    compactIntervalMs: o.compactIntervalMs ?? 300_000,
  };
}
