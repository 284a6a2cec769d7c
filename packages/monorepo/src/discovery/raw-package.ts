import type { WorkspacePackage, WorkspaceTool } from "../types.js";

/** A package before its dependencies are resolved to the repository's own packages. */
export interface RawPackage extends Omit<WorkspacePackage, "dependencies"> {
  /** Names it depends on (external ones included; resolution keeps the internal ones). */
  depNames: string[];
  /** Directories it depends on by path (`file:`, Cargo `path`, Go `replace`, uv/Poetry `path`). */
  depDirs: string[];
}

/** What one ecosystem found under one workspace root. */
export interface EcosystemResult {
  packages: RawPackage[];
  tools: WorkspaceTool[];
  requiredDirs: string[];
  /** True when the root's files declared a workspace (as opposed to a lone root manifest). */
  declared: boolean;
}

export const emptyResult = (): EcosystemResult => ({ packages: [], tools: [], requiredDirs: [], declared: false });
