export * from "./errors.js";
export * from "./object.js";
export * from "./schema.js";
export * from "./resource-info.js";
