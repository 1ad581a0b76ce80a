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
  let controllerManager: ControllerManager | undefined;
  if (options.controllers ?? true) {
    // The controllers are clients like any other: HTTPS to the loopback address, their own token.
    const token = await tokens.ensureToken("system:kube-controller-manager", []);
    const listenHost = apiServer.options.host;
    const localHost = ["0.0.0.0", "::", ""].includes(listenHost) ? "127.0.0.1" : listenHost;
    const loopback = `${tls ? "https" : "http"}://${localHost.includes(":") ? `[${localHost}]` : localHost}:${port}`;
    const client = new RestClient(
      new NodeTransport({ server: loopback, caPem: pki?.caCertPem, token, userAgent: "skiff-controller-manager" }),
    );
    controllerManager = startControllerManager(
      client,
      apiServer.catalog.all().map((r) => r.info),
      options.controllerManager,
    );
  }
  log.info({ url, store: redactStoreUrl(storeUrl), kubeconfig: kubeconfigPath }, "control plane ready");

  return {
    port,
    url,
    kubeconfigPath,
    apiServer,
    async stop() {
      await controllerManager?.stop();
      await apiServer.stop();
      await store.close();
    },
  };
}

function redactStoreUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, "//***@");
}
