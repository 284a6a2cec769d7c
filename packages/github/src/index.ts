export * from "./logs/index.js";
