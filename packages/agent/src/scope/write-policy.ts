import picomatch from "picomatch";
import { type PathRefusal, refuse } from "../paths/path-refusal.js";

/** Always protected, whatever a repository's config says: CI definitions are not the fix's to change. */
export const DEFAULT_PROTECTED_PATHS: readonly string[] = [".github/workflows/**"];

export type ScopeCheck = (path: string) => { writable: true } | { writable: false; reason: string };

export interface WritePolicy {
  /** Whether the model may write (create, edit, delete) this repository-relative path. */
  check(rel: string): { ok: true } | PathRefusal;
  protectedPaths: readonly string[];
}

export interface WritePolicyOptions {
  /** The fix's scope (`isWritable` of @fixfleet/monorepo bound to the scope); absent = whole repository. */
  scopeCheck?: ScopeCheck;
  /** Protected globs from the repository's config; the defaults are always kept. */
  protectedPaths?: readonly string[];
}

/**
 * The write guard: git internals, protected paths, then the scope. Protected paths are checked
 * here as well as in the scope so that the refusal names the right rule whatever the scope says.
 */
export function createWritePolicy(options: WritePolicyOptions = {}): WritePolicy {
  const protectedPaths = [...new Set([...DEFAULT_PROTECTED_PATHS, ...(options.protectedPaths ?? [])])];
  const matchers = protectedPaths.map((glob) => ({ glob, match: picomatch(glob, { dot: true }) }));
  return {
    protectedPaths,
    check(rel) {
      if (rel === "." || rel === "") {
        return refuse("fix-scope", "the repository root itself cannot be written; name a file inside it.");
      }
      if (rel === ".git" || rel.startsWith(".git/")) {
        return refuse(
          "git-internals",
          `"${rel}" is inside .git; the fix is read from the working tree, not git's internals.`,
        );
      }
      for (const { glob, match } of matchers) {
        if (match(rel) || match(`${rel}/`)) {
          return refuse(
            "protected-path",
            `"${rel}" matches the protected path "${glob}". Protected files are never changed by a fix; if the failure can only be fixed there, stop and explain what a person should change.`,
          );
        }
      }
      const scoped = options.scopeCheck?.(rel);
      if (scoped && !scoped.writable) {
        return refuse(
          "fix-scope",
          `${scoped.reason}. Change files inside the scope, or stop and explain why the fix belongs elsewhere.`,
        );
      }
      return { ok: true };
    },
  };
}
