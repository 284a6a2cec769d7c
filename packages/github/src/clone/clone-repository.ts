import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRedactor } from "@fixfleet/shared";
import { withGitCredentials } from "./git-credentials.js";
import { runGit } from "./run-git.js";

export interface CloneOptions {
  /** The repository's API `clone_url`, without credentials. */
  cloneUrl: string;
  /** The failing commit. */
  sha: string;
  /** An installation token; asked for right before each network step, so a renewed one is used. */
  token: () => Promise<string> | string;
  /** Cone-mode sparse checkout of these directories (root files are always present). */
  sparsePaths?: readonly string[] | undefined;
  /** Where to make the temp dir (default: the OS temp dir). */
  parentDir?: string;
  timeoutMs?: number;
}

export interface Clone {
  dir: string;
  sha: string;
  sparse: boolean;
  /**
   * A copy for the sandbox: the work tree and its history, with no remote, no promisor (git in
   * the sandbox must never try the network) and nothing of the token. The caller removes it.
   */
  copyForSandbox(dest?: string): Promise<string>;
  /** Removes the clone and every copy made from it. */
  cleanup(): Promise<void>;
}

/**
 * A blob-less partial clone of one commit: commits and trees come now, file contents only for
 * the paths checked out (all, or the sparse cone). The token is lent per command (see
 * withGitCredentials) and never stored.
 */
export async function cloneRepository(options: CloneOptions): Promise<Clone> {
  if (/^[a-z]+:\/\/[^/]*@/i.test(options.cloneUrl)) {
    throw new Error("cloneRepository: pass clone_url without credentials; the token goes through `token`");
  }
  const parent = options.parentDir ?? tmpdir();
  const dir = await mkdtemp(join(parent, "fixfleet-clone-"));
  const copies: string[] = [];
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const sparse = (options.sparsePaths?.length ?? 0) > 0;
  const cleanup = async () => {
    await Promise.all([dir, ...copies].map((d) => rm(d, { recursive: true, force: true })));
  };
  try {
    const git = (args: string[], env?: Record<string, string>, redact?: (t: string) => string) =>
      runGit(args, { cwd: dir, env, timeoutMs, redact });
    await git(["init", "--quiet", "--initial-branch=fixfleet-work"]);
    await git(["remote", "add", "origin", options.cloneUrl]);
    if (sparse) {
      await git(["sparse-checkout", "set", "--cone", "--", ...normalizeCone(options.sparsePaths ?? [])]);
    }
    const token = await options.token();
    const redact = createRedactor([token]);
    await withGitCredentials(token, async (env) => {
      await git(["fetch", "--quiet", "--no-tags", "--filter=blob:none", "origin", options.sha], env, redact);
      // Checkout fetches the blobs of the checked-out paths from the promisor remote: it needs the token too.
      await git(["checkout", "--quiet", "--detach", options.sha], env, redact);
    });
  } catch (error) {
    await cleanup();
    throw error;
  }
  return {
    dir,
    sha: options.sha,
    sparse,
    async copyForSandbox(dest) {
      const target = dest ?? (await mkdtemp(join(parent, "fixfleet-sandbox-copy-")));
      copies.push(target);
      await cp(dir, target, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
      const git = (args: string[]) => runGit(args, { cwd: target, timeoutMs });
      await git(["remote", "remove", "origin"]);
      await git(["config", "--unset-all", "extensions.partialClone"]).catch(() => undefined);
      await rm(join(target, ".git", "FETCH_HEAD"), { force: true });
      return target;
    },
    cleanup,
  };
}

/** Cone mode takes directories: strip globs and trailing slashes, drop the root. */
function normalizeCone(paths: readonly string[]): string[] {
  const dirs = paths
    .map((p) =>
      p
        .replace(/\/\*\*.*$/, "")
        .replace(/\*.*$/, "")
        .replace(/\/+$/, ""),
    )
    .filter((p) => p.length > 0 && p !== ".");
  return [...new Set(dirs)];
}
