export * from "./logger.js";
export * from "./clock.js";
export * from "./human-duration.js";
