export { normalizePythonName } from "./discover-python.js";
export { discoverWorkspace } from "./discover-workspace.js";
export { isToolchainFile } from "./toolchain-files.js";
