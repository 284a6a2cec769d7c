import type { AgentSandbox } from "../sandbox-port.js";
import type { WritePolicy } from "../scope/write-policy.js";
import { type PathRefusal, refuse } from "./path-refusal.js";
import { type PathProbe, probePath } from "./probe-path.js";
import {
  isInside,
  type ResolvedPath,
  relativeTo,
  resolveWorkspacePath,
  type WorkspacePaths,
} from "./resolve-workspace-path.js";

export interface GuardedPath extends ResolvedPath {
  /** The path with symlinks resolved inside the container; what is actually read or written. */
  real: string;
  /** What is at `real` (made in the same exec as the resolution). */
  stat: PathProbe;
}

/**
 * Every path a tool touches goes through here: lexical resolution, then `realpath` inside the
 * container (a symlink may point anywhere), then, for writes, the write policy on both the
 * given and the resolved path (a symlink inside the scope must not lead to a file outside it).
 */
export class PathGuard {
  constructor(
    private readonly sandbox: AgentSandbox,
    readonly paths: WorkspacePaths,
    readonly policy: WritePolicy,
  ) {}

  async forRead(input: string): Promise<GuardedPath | PathRefusal> {
    const resolved = resolveWorkspacePath(input, this.paths);
    if (!resolved.ok) return resolved;
    return this.followSymlinks(input, resolved);
  }

  async forWrite(input: string): Promise<GuardedPath | PathRefusal> {
    const resolved = resolveWorkspacePath(input, this.paths);
    if (!resolved.ok) return resolved;
    if (resolved.area !== "workspace") {
      return refuse(
        "read-only-area",
        `"${input}" is in a read-only area (${resolved.abs}); only files inside the repository can be changed.`,
      );
    }
    const lexical = this.policy.check(resolved.rel ?? ".");
    if (!lexical.ok) return lexical;
    const followed = await this.followSymlinks(input, resolved);
    if (!followed.ok) return followed;
    if (followed.area !== "workspace") {
      return refuse(
        "no-symlink-escape",
        `"${input}" is a symlink to ${followed.real}, outside the repository; it cannot be written.`,
      );
    }
    if (followed.real !== resolved.abs) {
      const real = this.policy.check(followed.rel ?? ".");
      if (!real.ok) return real;
    }
    return followed;
  }

  private async followSymlinks(input: string, resolved: ResolvedPath): Promise<GuardedPath | PathRefusal> {
    const probe = await probePath(this.sandbox, resolved.abs);
    const real = probe?.real;
    if (probe === undefined || real === undefined) {
      return refuse(
        "no-symlink-escape",
        `"${input}" could not be resolved inside the container (a broken symlink chain?).`,
      );
    }
    if (isInside(this.paths.workspace, real)) {
      return {
        ok: true,
        abs: resolved.abs,
        real,
        stat: probe,
        rel: relativeTo(this.paths.workspace, real),
        area: "workspace",
      };
    }
    for (const root of this.paths.readOnlyRoots) {
      if (isInside(root, real))
        return { ok: true, abs: resolved.abs, real, stat: probe, rel: undefined, area: "read-only" };
    }
    return refuse(
      "no-symlink-escape",
      `"${input}" leads through a symlink to ${real}, outside the repository at ${this.paths.workspace}. Symlinks out of the repository are not followed.`,
    );
  }
}
