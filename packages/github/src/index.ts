export * from "./client/index.js";
export * from "./clone/index.js";
export * from "./comment/index.js";
export * from "./config/index.js";
export * from "./context/index.js";
export * from "./errors/index.js";
export * from "./logs/index.js";
export * from "./publish/index.js";
