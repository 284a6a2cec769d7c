import picomatch from "picomatch";
import { normalizeEntry } from "../discovery/paths.js";
import type { Scope } from "./scope.js";

export type WriteDecision = { writable: true } | { writable: false; reason: string };

const matchers = new WeakMap<Scope, CompiledScope>();

interface CompiledScope {
  protectedMatch: (p: string) => boolean;
  allowedRoot: (p: string) => boolean;
  toolchain: ReadonlySet<string>;
  units: { name: string; match: (p: string) => boolean; exclude: (p: string) => boolean }[];
}

function compile(scope: Scope): CompiledScope {
  let compiled = matchers.get(scope);
  if (!compiled) {
    const opts = { dot: true };
    const none = () => false;
    compiled = {
      protectedMatch: scope.protected.length > 0 ? picomatch(scope.protected, opts) : none,
      allowedRoot: scope.allowedRootGlobs.length > 0 ? picomatch(scope.allowedRootGlobs, opts) : none,
      toolchain: new Set(scope.toolchainFiles),
      units: scope.units.map((u) => ({
        name: u.name,
        match: picomatch(u.globs, opts),
        exclude: u.exclude.length > 0 ? picomatch(u.exclude, opts) : none,
      })),
    };
    matchers.set(scope, compiled);
  }
  return compiled;
}

/**
 * Whether the fix may write `path` (repository-relative). The agent's write guard and the final
 * diff check both ask this, so a refusal reads the same in the tool error and in the comment.
 * Order matters: protected paths always lose, then root toolchain files, then the units.
 */
export function isWritable(scope: Scope, path: string): WriteDecision {
  if (path.trim() === "") return { writable: false, reason: "an empty path is not a file of the repository" };
  const normalized = normalizeEntry(path);
  if (normalized.startsWith("/") || normalized.split("/").includes("..") || /^[A-Za-z]:/.test(normalized)) {
    return { writable: false, reason: `\`${path}\` is not a path inside the repository` };
  }
  if (normalized === "." || normalized === ".git" || normalized.startsWith(".git/")) {
    return { writable: false, reason: `\`${path}\` is not a file of the repository` };
  }
  const c = compile(scope);
  if (c.protectedMatch(normalized)) {
    const glob = scope.protected.find((g) => picomatch(g, { dot: true })(normalized));
    return { writable: false, reason: `\`${normalized}\` is protected (\`${glob}\`); fixfleet never edits it` };
  }
  const isRootToolchain = c.toolchain.has(normalized) || !normalized.includes("/");
  if (isRootToolchain && c.allowedRoot(normalized)) return { writable: true };
  if (c.toolchain.has(normalized) && scope.rootFiles === "read-only") {
    return {
      writable: false,
      reason: `\`${normalized}\` is a workspace-level file (manifest, lockfile or shared config), read-only for this fix; a repository can allow it with \`allow_root_files\` in .github/fixfleet.yml`,
    };
  }
  if (scope.rootFiles === "writable" && !normalized.includes("/")) return { writable: true };
  for (const unit of c.units) {
    if (unit.match(normalized) && !unit.exclude(normalized)) return { writable: true };
  }
  const inScope = scope.units.map((u) => `${u.name} (${u.dirs.join(", ")})`).join("; ");
  return {
    writable: false,
    reason: `\`${normalized}\` is outside this fix's scope, which is ${inScope || "empty"}; the failure was not traced to the package that holds it`,
  };
}

export interface DiffCheck {
  ok: boolean;
  refused: { path: string; reason: string }[];
}

/** The final check before publishing: every changed path must be writable. */
export function checkDiff(scope: Scope, changedPaths: Iterable<string>): DiffCheck {
  const refused: { path: string; reason: string }[] = [];
  for (const path of changedPaths) {
    const decision = isWritable(scope, path);
    if (!decision.writable) refused.push({ path, reason: decision.reason });
  }
  return { ok: refused.length === 0, refused };
}
