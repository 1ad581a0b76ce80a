/** Node-only client parts: the https transport and kubeconfig files on disk. */
export { NodeTransport, type NodeTransportOptions } from "./node-transport.js";
export { loadKubeconfig } from "./kubeconfig-file.js";
