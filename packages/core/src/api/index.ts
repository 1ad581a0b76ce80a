export * from "./errors.js";
export * from "./object.js";
export * from "./schema.js";
export * from "./resource-info.js";
export type * from "./types.js";
export * from "./quantity.js";
export * from "./schema-validation.js";
export * from "./openapi/index.js";
export * from "./defaults/index.js";
