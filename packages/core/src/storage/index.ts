export * from "./store.js";
export { openStore } from "./open-store.js";
