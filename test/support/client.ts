/** A RestClient for a test server, from its admin kubeconfig. */
import { RestClient, type ResourceRef } from "../../packages/core/src/client/index.js";
import { NodeTransport, loadKubeconfig } from "../../packages/core/src/client/node.js";

export async function clientFor(kubeconfig: string): Promise<RestClient> {
  const config = await loadKubeconfig(kubeconfig);
  return new RestClient(new NodeTransport({ ...config, userAgent: "skiff-tests" }));
}

export const refs = {
  configmaps: { group: "", version: "v1", plural: "configmaps", namespaced: true, kind: "ConfigMap" },
  pods: { group: "", version: "v1", plural: "pods", namespaced: true, kind: "Pod" },
  namespaces: { group: "", version: "v1", plural: "namespaces", namespaced: false, kind: "Namespace" },
  deployments: { group: "apps", version: "v1", plural: "deployments", namespaced: true, kind: "Deployment" },
  services: { group: "", version: "v1", plural: "services", namespaced: true, kind: "Service" },
  crds: {
    group: "apiextensions.k8s.io",
    version: "v1",
    plural: "customresourcedefinitions",
    namespaced: false,
    kind: "CustomResourceDefinition",
  },
} satisfies Record<string, ResourceRef>;

/** Plain HTTPS request with the admin token, for checks below the client (headers, raw bodies). */
export async function rawRequest(
  kubeconfig: string,
  method: string,
  path: string,
  options: { body?: string | Buffer; headers?: Record<string, string>; token?: string | null } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const config = await loadKubeconfig(kubeconfig);
  const { request } = await import("node:https");
  const url = new URL(path, config.server);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers };
    const token = options.token === undefined ? config.token : options.token;
    if (token) headers["authorization"] = `Bearer ${token}`;
    // Node sends no length for a DELETE body unless told; the server would read it as the next request.
    if (options.body !== undefined) headers["content-length"] = String(Buffer.byteLength(options.body));
    const req = request(url, { method, headers, ca: config.caPem }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
