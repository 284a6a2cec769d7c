export * from "./config/index.js";
export * from "./logs/index.js";
