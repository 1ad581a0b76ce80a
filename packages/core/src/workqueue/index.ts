export { WorkQueue, type WorkQueueOptions } from "./work-queue.js";
export { exponentialRateLimiter, type RateLimiter } from "./rate-limiter.js";
