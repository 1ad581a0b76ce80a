/**
 * Kubeconfig files: writing the one the server hands to its admin, and
 * resolving any kubeconfig (ours, kubeadm's, kind's) to the few facts a
 * client needs. Pure and browser-safe; reading files from disk is injected
 * (`kubeconfig-file.ts` does it for Node).
 */
import { parse, stringify } from "yaml";
import { decodeBase64, encodeBase64 } from "./base64.js";

/** What a client needs to reach and authenticate to one API server. */
export interface ClientConfig {
  server: string;
  caPem?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  insecureSkipTlsVerify?: boolean;
  /** The context's namespace, "default" when unset. */
  namespace: string;
}

export interface KubeconfigParams {
  clusterName: string;
  server: string;
  caCertPem: string;
  /** User name inside the kubeconfig (not necessarily the authenticated name). */
  user: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  namespace?: string;
}

/** A kubeconfig YAML with embedded (base64) CA data, shaped like kubeadm's admin.conf. */
export function buildKubeconfig(params: KubeconfigParams): string {
  const contextName = `${params.user}@${params.clusterName}`;
  const user: Record<string, string> = {};
  if (params.clientCertPem) user["client-certificate-data"] = encodeBase64(params.clientCertPem);
  if (params.clientKeyPem) user["client-key-data"] = encodeBase64(params.clientKeyPem);
  if (params.token) user["token"] = params.token;
  const context: Record<string, string> = { cluster: params.clusterName, user: params.user };
  if (params.namespace) context["namespace"] = params.namespace;
  const doc = {
    apiVersion: "v1",
    clusters: [
      {
        cluster: { "certificate-authority-data": encodeBase64(params.caCertPem), server: params.server },
        name: params.clusterName,
      },
    ],
    contexts: [{ context, name: contextName }],
    "current-context": contextName,
    kind: "Config",
    preferences: {},
    users: [{ name: params.user, user }],
  };
  return stringify(doc, { lineWidth: 0 });
}

/** A kubeconfig that cannot be used; the message says why, as kubectl would. */
export class KubeconfigError extends Error {
  override readonly name = "KubeconfigError";
}

export interface ResolveOptions {
  /** Context to use instead of `current-context`. */
  context?: string;
  /** Reads a file named in the kubeconfig (already resolved against the kubeconfig's folder). */
  readFile?: (path: string) => Promise<string>;
}

interface NamedEntry<T> {
  name?: string;
  [key: string]: unknown;
  value?: T;
}

/** Resolves a parsed kubeconfig document (or its YAML text) to a `ClientConfig`. */
export async function resolveKubeconfig(input: string | unknown, options: ResolveOptions = {}): Promise<ClientConfig> {
  const doc = (typeof input === "string" ? parse(input) : input) as Record<string, unknown> | null;
  if (!doc || typeof doc !== "object") throw new KubeconfigError("invalid configuration: no configuration has been provided");
  const contextName = options.context ?? str(doc["current-context"]);
  if (!contextName) throw new KubeconfigError("invalid configuration: no configuration has been provided, try setting current-context");
  const context = findNamed(doc["contexts"], contextName, "context");
  if (!context) throw new KubeconfigError(`context was not found for specified context: ${contextName}`);
  const clusterName = str(context["cluster"]);
  const cluster = clusterName ? findNamed(doc["clusters"], clusterName, "cluster") : undefined;
  if (!cluster) throw new KubeconfigError(`cluster "${clusterName ?? ""}" not found in context "${contextName}"`);
  const userName = str(context["user"]);
  const user = (userName ? findNamed(doc["users"], userName, "user") : undefined) ?? {};
  const server = str(cluster["server"]);
  if (!server) throw new KubeconfigError(`no server found for cluster "${clusterName}"`);

  const read = async (path: string): Promise<string> => {
    if (!options.readFile) throw new KubeconfigError(`cannot read ${path}: file access is not available here`);
    return options.readFile(path);
  };
  const config: ClientConfig = { server, namespace: str(context["namespace"]) || "default" };
  const caPem = await dataOrFile(cluster, "certificate-authority", read);
  if (caPem) config.caPem = caPem;
  if (cluster["insecure-skip-tls-verify"] === true) config.insecureSkipTlsVerify = true;
  const certPem = await dataOrFile(user, "client-certificate", read);
  if (certPem) config.clientCertPem = certPem;
  const keyPem = await dataOrFile(user, "client-key", read);
  if (keyPem) config.clientKeyPem = keyPem;
  const token = str(user["token"]) ?? (str(user["tokenFile"]) ? (await read(str(user["tokenFile"])!)).trim() : undefined);
  if (token) config.token = token;
  return config;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function findNamed(list: unknown, name: string, field: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const entry = (list as NamedEntry<unknown>[]).find((e) => e && e.name === name);
  const inner = entry?.[field];
  return inner && typeof inner === "object" ? (inner as Record<string, unknown>) : undefined;
}

/** `<key>-data` (base64, wins as in client-go) or `<key>` (a file path). */
async function dataOrFile(
  section: Record<string, unknown>,
  key: string,
  read: (path: string) => Promise<string>,
): Promise<string | undefined> {
  const data = str(section[`${key}-data`]);
  if (data) return decodeBase64(data);
  const path = str(section[key]);
  return path ? read(path) : undefined;
}
