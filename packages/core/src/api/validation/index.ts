export * from "./names.js";
export * from "./object-meta.js";
