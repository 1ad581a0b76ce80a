export * from "./logger.js";
export * from "./clock.js";
