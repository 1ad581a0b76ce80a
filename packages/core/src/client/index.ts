/**
 * The browser-safe client surface. Node-only parts (the https transport,
 * reading kubeconfig files) are in `node.ts`.
 */
export * from "./transport.js";
export * from "./resource-ref.js";
export * from "./watch-event.js";
export { errorFromResponse } from "./response-error.js";
export * from "./rest-client.js";
export * from "./discovery.js";
export * from "./kubeconfig.js";
export { encodeBase64, decodeBase64 } from "./base64.js";
