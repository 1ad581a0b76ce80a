export * from "./store.js";
// openStore(url) is added with the backends.
