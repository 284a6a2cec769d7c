export * from "./config/index.js";
export { discoverWorkspace, isToolchainFile, normalizePythonName } from "./discovery/index.js";
export * from "./mapping/index.js";
export * from "./reader/index.js";
export * from "./scope/index.js";
export * from "./sparse/index.js";
export type { DiscoveryWarning, Ecosystem, Runner, Workspace, WorkspacePackage, WorkspaceTool } from "./types.js";
export * from "./verify/index.js";
