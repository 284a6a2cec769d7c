import { execFile } from "node:child_process";
import { access, readdir } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { createCoalescedReads } from "./coalesced-reads.js";
import type { RepoReader } from "./repo-reader.js";

const exec = promisify(execFile);

/** Directories that hold installed dependencies, build output or VCS data, never a package's source. */
export const DEFAULT_IGNORED_DIRS: readonly string[] = [
  ".git",
  "node_modules",
  "target",
  ".venv",
  "venv",
  "__pycache__",
  ".turbo",
  ".nx",
  ".pnpm-store",
];

export interface LocalReaderOptions {
  ignoreDirs?: readonly string[];
  /**
   * How the file list is made. `git`: the index of the clone (`git ls-files`), which is what the
   * revision holds and is fast on large trees; `walk`: the directory tree. `auto` (default):
   * `git` when `root` is a git work tree, else `walk`.
   */
  listing?: "auto" | "git" | "walk";
}

/** Directories read at once while walking: enough to overlap I/O, few enough to stay polite. */
const WALK_CONCURRENCY = 16;

/** A repository checked out at `root`. The file list is made once and kept. */
export function createLocalReader(root: string, options: LocalReaderOptions = {}): RepoReader {
  const ignored = new Set(options.ignoreDirs ?? DEFAULT_IGNORED_DIRS);
  const mode = options.listing ?? "auto";
  let listing: Promise<string[]> | undefined;
  const read = createCoalescedReads();

  async function walk(): Promise<string[]> {
    const files: string[] = [];
    const pending: string[] = [""];
    let active = 0;
    await new Promise<void>((resolve, reject) => {
      const pump = () => {
        if (pending.length === 0 && active === 0) return resolve();
        while (active < WALK_CONCURRENCY && pending.length > 0) {
          const rel = pending.pop()!;
          active++;
          readdir(path.join(root, rel), { withFileTypes: true }).then((entries) => {
            for (const entry of entries) {
              const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
              if (entry.isDirectory()) {
                if (!ignored.has(entry.name)) pending.push(child);
              } else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
            }
            active--;
            pump();
          }, reject);
        }
      };
      pump();
    });
    return files.sort();
  }

  async function gitFiles(): Promise<string[]> {
    const { stdout } = await exec("git", ["-c", "core.quotePath=off", "ls-files", "-z", "--cached"], {
      cwd: root,
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
    });
    // git lists paths already sorted; only entries under an ignored directory (rarely tracked) are dropped.
    const names = [...ignored].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    const skip = names ? new RegExp(`(?:^|/)(?:${names})/`) : undefined;
    return stdout.split("\0").filter((f) => f !== "" && !skip?.test(f));
  }

  async function list(): Promise<string[]> {
    if (mode === "walk") return walk();
    if (mode === "git") return gitFiles();
    const isGit = await access(path.join(root, ".git")).then(
      () => true,
      () => false,
    );
    if (!isGit) return walk();
    // A broken or foreign .git falls back to the tree on disk rather than failing discovery.
    return gitFiles().catch(() => walk());
  }

  return {
    readFile(file) {
      if (file.startsWith("/") || file.split("/").includes("..")) return Promise.resolve(undefined);
      return read(path.join(root, file));
    },
    listFiles() {
      listing ??= list();
      return listing;
    },
  };
}
