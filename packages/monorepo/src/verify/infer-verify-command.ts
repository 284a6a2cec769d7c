import type { WorkspacePackage } from "../types.js";

/** A command that verifies a fix, and the directory (repository-relative) it runs in. */
export interface VerifyCommand {
  command: string;
  cwd: string;
  source: "config" | "report" | "inferred";
  /** The unit it verifies. */
  unit: string;
}

/** Quotes a shell word only when it needs it (package names with `@`/`/` are fine bare). */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The path of `dir` as seen from `root` (both repository-relative). */
function relativeTo(dir: string, root: string): string {
  if (root === ".") return dir;
  if (dir === root) return ".";
  return dir.startsWith(`${root}/`) ? dir.slice(root.length + 1) : dir;
}

/**
 * How the package's own toolchain tests it, run from its workspace root. Undefined when there is
 * nothing sensible to run (a Node package without a test script, a directory of no ecosystem).
 */
export function inferVerifyCommand(pkg: WorkspacePackage): Omit<VerifyCommand, "unit"> | undefined {
  const cwd = pkg.workspaceRoot;
  const single = pkg.dir === pkg.workspaceRoot;
  const name = shellWord(pkg.name);
  const dir = relativeTo(pkg.dir, cwd);
  const inferred = (command: string) => ({ command, cwd, source: "inferred" as const });
  switch (pkg.runner) {
    case "nx":
      return inferred(`npx nx test ${shellWord(pkg.nxProject ?? pkg.name)}`);
    case "npm":
    case "yarn":
    case "pnpm": {
      if (pkg.hasTestScript === false) return undefined;
      if (single) return inferred(`${pkg.runner} test`);
      if (pkg.runner === "npm") return inferred(`npm test -w ${name}`);
      if (pkg.runner === "pnpm") return inferred(`pnpm --filter ${name} test`);
      return inferred(`yarn workspace ${name} test`);
    }
    case "cargo":
      return inferred(single && pkg.dir === "." && pkg.name === "." ? "cargo test" : `cargo test -p ${name}`);
    case "go":
      return inferred(dir === "." ? "go test ./..." : `go test ./${dir}/...`);
    case "uv":
    case "poetry":
    case "pip":
      return inferred(dir === "." ? "pytest" : `pytest ${shellWord(dir)}`);
    case "none":
      return undefined;
  }
}
