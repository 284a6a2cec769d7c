/** The language toolchain a package belongs to; decides how it is tested and what its manifest is. */
export type Ecosystem = "node" | "rust" | "go" | "python" | "other";

/**
 * The tool that runs a package's commands. `npm`/`yarn`/`pnpm` for Node workspaces (turbo and
 * lerna repositories run through their package manager), `nx` when the package is an Nx project.
 */
export type Runner = "npm" | "yarn" | "pnpm" | "nx" | "cargo" | "go" | "uv" | "poetry" | "pip" | "none";

/** One package of a repository, as its own files declare it. */
export interface WorkspacePackage {
  /** The name other packages depend on it by (package.json name, crate name, Go module path, project name). */
  name: string;
  /** Directory relative to the repository root, posix, no trailing slash; "." for the root. */
  dir: string;
  ecosystem: Ecosystem;
  runner: Runner;
  /** The manifest that declared the package (e.g. `packages/web/package.json`). */
  manifest: string;
  /** Directory of the workspace that lists it ("." unless nested); commands run from there. */
  workspaceRoot: string;
  /** Names of other packages of this repository that it depends on (direct only). */
  dependencies: string[];
  /** The Nx project name, when Nx knows the package. */
  nxProject?: string;
  /** Whether the manifest declares a test script (Node packages only; undefined elsewhere). */
  hasTestScript?: boolean;
}

/** Something in the repository's files that fixfleet could not use as written; never fatal. */
export interface DiscoveryWarning {
  /** Stable machine-readable code (tests, metrics). */
  code:
    | "malformed-file"
    | "invalid-entry"
    | "entry-matches-nothing"
    | "duplicate-entry"
    | "duplicate-name"
    | "missing-manifest"
    | "nested-workspace";
  /** The file the problem is in. */
  file: string;
  /** A sentence a person can act on. */
  message: string;
}

/** How a workspace was recognised, for logs and the PR comment. */
export type WorkspaceTool =
  | "npm"
  | "yarn"
  | "pnpm"
  | "turbo"
  | "nx"
  | "lerna"
  | "cargo"
  | "go-work"
  | "uv"
  | "poetry"
  | "single";

export interface Workspace {
  /** Every package, sorted by directory. A repository without workspaces has one, at ".". */
  packages: WorkspacePackage[];
  /** The tools whose files declared workspaces (root and nested). */
  tools: WorkspaceTool[];
  /** Files at the root (or a nested workspace root) the toolchains need: manifests, lockfiles, workspace files, shared configs. */
  toolchainFiles: string[];
  /** Directories that must exist for the toolchain to load the workspace (explicit, non-glob members). */
  requiredDirs: string[];
  warnings: DiscoveryWarning[];
}
