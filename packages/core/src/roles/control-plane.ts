/**
 * The control-plane role: store + API server, with the cluster's PKI,
 * admin token and admin kubeconfig under the data directory. Later issues
 * add the controller-manager and scheduler here, started after the API
 * server is ready and stopped before it.
 *
 * Data directory layout:
 *   <data-dir>/pki/            cluster CA and serving certificate (0700)
 *   <data-dir>/tokens.json     bearer tokens (0600)
 *   <data-dir>/state.db        the embedded SQLite store (default store)
 *   <data-dir>/admin.kubeconfig  the admin's kubeconfig (0600)
 */
import { mkdir, writeFile, chmod, rename } from "node:fs/promises";
import { join } from "node:path";
import { openStore, type Store } from "../storage/index.js";
import { ApiServer } from "../apiserver/server.js";
import { ensurePki } from "../apiserver/pki/index.js";
import { TokenFile } from "../apiserver/authn/index.js";
import type { ApiServerOptions } from "../apiserver/options.js";
import { buildKubeconfig, RestClient } from "../client/index.js";
import { NodeTransport } from "../client/node.js";
import { startControllerManager, type ControllerManager, type ControllerManagerOptions } from "./controller-manager.js";
import { startScheduler, type SchedulerOptions } from "../scheduler/index.js";
import { logger } from "../util/logger.js";

const log = logger("control-plane");

export interface ControlPlaneOptions {
  /** Where state, PKI and kubeconfig live. */
  dataDir: string;
  /** Store URL: `sqlite:///path/state.db` or `etcd://host:port`. @default sqlite://<dataDir>/state.db */
  storeUrl?: string;
  apiServer?: ApiServerOptions;
  /** Extra names/IPs for the serving certificate. */
  certHosts?: string[];
  certIps?: string[];
  /** Host written into the admin kubeconfig. @default "127.0.0.1" */
  advertiseHost?: string;
  /** Run the controllers in this process. @default true */
  controllers?: boolean;
  controllerManager?: ControllerManagerOptions;
  /** Run the scheduler in this process. @default true */
  scheduler?: boolean;
  schedulerOptions?: SchedulerOptions;
}

export interface ControlPlane {
  port: number;
  url: string;
  kubeconfigPath: string;
  apiServer: ApiServer;
  stop(): Promise<void>;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const dataDir = options.dataDir;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tls = options.apiServer?.tls ?? true;
  const pki = tls
    ? await ensurePki(join(dataDir, "pki"), { hosts: options.certHosts ?? [], ips: options.certIps ?? [] })
    : undefined;
  const tokens = await TokenFile.load(dataDir);
  const adminToken = await tokens.ensureAdminToken();
  const storeUrl = options.storeUrl ?? `sqlite://${join(dataDir, "state.db")}`;
  // The API server owns compaction (as kube-apiserver compacts etcd), for every backend alike.
  const store: Store = await openStore(storeUrl, { sqlite: { compactionIntervalMs: 0 } });
  const apiServer = new ApiServer({ store, pki, tokens }, options.apiServer);
  let port: number;
  try {
    port = await apiServer.start();
  } catch (err) {
    await store.close();
    throw err;
  }
  const host = options.advertiseHost ?? "127.0.0.1";
  const url = `${tls ? "https" : "http"}://${host.includes(":") ? `[${host}]` : host}:${port}`;
  const kubeconfigPath = join(dataDir, "admin.kubeconfig");
  const kubeconfig = buildKubeconfig({
    clusterName: "skiff",
    server: url,
    caCertPem: pki?.caCertPem ?? "",
    user: "admin",
    token: adminToken,
  });
  const tmp = `${kubeconfigPath}.tmp`;
  await writeFile(tmp, kubeconfig, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, kubeconfigPath);
  // In-process components are clients like any other: HTTPS to the local
  // address, each with its own identity (and RBAC role).
  const listenHost = apiServer.options.host;
  const localHost = ["0.0.0.0", "::", ""].includes(listenHost) ? "127.0.0.1" : listenHost;
  const local = `${tls ? "https" : "http"}://${localHost.includes(":") ? `[${localHost}]` : localHost}:${port}`;
  const clientAs = async (user: string, userAgent: string) =>
    new RestClient(new NodeTransport({ server: local, caPem: pki?.caCertPem, token: await tokens.ensureToken(user, []), userAgent }));

  let controllerManager: ControllerManager | undefined;
  if (options.controllers ?? true) {
    controllerManager = startControllerManager(
      await clientAs("system:kube-controller-manager", "skiff-controller-manager"),
      apiServer.catalog.all().map((r) => r.info),
      options.controllerManager,
    );
  }
  const schedulerStop = new AbortController();
  let schedulerDone: Promise<void> | undefined;
  if (options.scheduler ?? true) {
    const client = await clientAs("system:kube-scheduler", "skiff-scheduler");
    schedulerDone = startScheduler(client, options.schedulerOptions ?? {}, schedulerStop.signal).done;
  }
  log.info({ url, store: redactStoreUrl(storeUrl), kubeconfig: kubeconfigPath }, "control plane ready");

  return {
    port,
    url,
    kubeconfigPath,
    apiServer,
    async stop() {
      schedulerStop.abort();
      await schedulerDone;
      await controllerManager?.stop();
      await apiServer.stop();
      await store.close();
    },
  };
}

function redactStoreUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
