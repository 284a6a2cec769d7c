export * from "./batches/index.js";
export * from "./config/index.js";
export * from "./errors/index.js";
export * from "./logging/index.js";
export * from "./queues/index.js";
export * from "./redis/index.js";
export * from "./report/index.js";
export * from "./secrets/index.js";
