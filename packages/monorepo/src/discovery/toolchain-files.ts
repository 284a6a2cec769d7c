/**
 * Files at a workspace root that toolchains read: manifests, lockfiles, workspace files, version
 * pins and shared configs. They are what a sparse clone must keep and what the scope leaves
 * read-only by default.
 */
const TOOLCHAIN_FILE =
  /^(?:package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|\.yarnrc(?:\.yml)?|pnpm-lock\.yaml|pnpm-workspace\.yaml|\.npmrc|\.nvmrc|\.node-version|\.tool-versions|turbo\.json|nx\.json|lerna\.json|tsconfig(?:\..+)?\.json|jsconfig\.json|babel\.config\..+|\.babelrc.*|jest\.(?:config|preset)\..+|vitest\.(?:config|workspace)\..+|vite\.config\..+|\.eslintrc.*|eslint\.config\..+|\.prettierrc.*|prettier\.config\..+|biome\.jsonc?|Cargo\.toml|Cargo\.lock|rust-toolchain(?:\.toml)?|clippy\.toml|\.?rustfmt\.toml|go\.work|go\.work\.sum|go\.mod|go\.sum|pyproject\.toml|uv\.lock|poetry\.lock|requirements(?:[-.].+)?\.txt|setup\.cfg|setup\.py|\.python-version|pytest\.ini|tox\.ini|conftest\.py|Makefile)$/;

export function isToolchainFile(basename: string): boolean {
  return TOOLCHAIN_FILE.test(basename);
}

/** Directories at a workspace root toolchains need besides files (yarn's own release, cargo config). */
export const TOOLCHAIN_DIRS: readonly string[] = [
  ".yarn/releases",
  ".yarn/plugins",
  ".yarn/patches",
  ".cargo",
  ".config",
];
