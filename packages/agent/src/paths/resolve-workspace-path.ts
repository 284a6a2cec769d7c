import { posix } from "node:path";
import { type PathRefusal, refuse } from "./path-refusal.js";

export interface WorkspacePaths {
  /** Absolute path of the repository inside the container, e.g. `/workspace`. */
  workspace: string;
  /** Absolute directories outside the repository the model may read but never write (logs). */
  readOnlyRoots: readonly string[];
}

export interface ResolvedPath {
  ok: true;
  /** Absolute, normalised path inside the container. */
  abs: string;
  /** Repository-relative posix path (`.` for the root); undefined for read-only areas. */
  rel: string | undefined;
  area: "workspace" | "read-only";
}

export function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith("/") ? root : `${root}/`);
}

export function relativeTo(root: string, abs: string): string {
  return abs === root ? "." : posix.relative(root, abs);
}

/**
 * Lexical resolution of a path the model gave: relative paths are taken from the workspace,
 * `..` is folded, and anything that ends up outside the workspace (or a read-only area such as
 * the logs) is refused. Symlinks are a second check, made inside the container (`realPath`).
 */
export function resolveWorkspacePath(input: string, paths: WorkspacePaths): ResolvedPath | PathRefusal {
  if (typeof input !== "string" || input.trim() === "") {
    return refuse("inside-workspace", "the path is empty. Give a path inside the repository, e.g. src/index.ts.");
  }
  if (input.includes("\0")) return refuse("inside-workspace", "the path contains a NUL byte.");
  const abs = posix.resolve(paths.workspace, input.trim());
  if (isInside(paths.workspace, abs)) {
    return { ok: true, abs, rel: relativeTo(paths.workspace, abs), area: "workspace" };
  }
  for (const root of paths.readOnlyRoots) {
    if (isInside(root, abs)) return { ok: true, abs, rel: undefined, area: "read-only" };
  }
  const how = posix.isAbsolute(input.trim()) ? "is an absolute path" : `resolves to ${abs}`;
  return refuse(
    "inside-workspace",
    `"${input}" ${how} outside the repository at ${paths.workspace}. Only files inside the repository can be used` +
      (paths.readOnlyRoots.length ? ` (and, read-only, ${paths.readOnlyRoots.join(", ")}).` : "."),
  );
}
