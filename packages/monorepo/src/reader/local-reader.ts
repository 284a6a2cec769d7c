import { execFile } from "node:child_process";
import { readdirSync } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import { createCoalescedReads } from "./coalesced-reads.js";
import { readGitIndexPaths } from "./git-index-paths.js";
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
   * How the file list is made. `git`: the index of the clone (read from `.git/index`, else
   * `git ls-files`), which is what the revision holds and is fast on large trees; `walk`: the
   * directory tree. `auto` (default): `git` when `root` is a git work tree, else `walk`.
   */
  listing?: "auto" | "git" | "walk";
}

/** Longest the directory walk holds the event loop before letting timers and sockets run (ms). */
const WALK_SLICE_MS = 4;

/** A repository checked out at `root`. The file list is made once and kept. */
export function createLocalReader(root: string, options: LocalReaderOptions = {}): RepoReader {
  const ignored = new Set(options.ignoreDirs ?? DEFAULT_IGNORED_DIRS);
  const mode = options.listing ?? "auto";
  let listing: Promise<string[]> | undefined;
  const read = createCoalescedReads();

  async function walk(): Promise<string[]> {
    const files: string[] = [];
    const pending: string[] = [""];
    // readdirSync costs one system call per directory where readdir costs a thread-pool round trip
    // (4,000 directories in the benchmark's tree); slices keep the event loop turning.
    while (pending.length > 0) {
      const start = performance.now();
      while (pending.length > 0 && performance.now() - start < WALK_SLICE_MS) {
        const rel = pending.pop()!;
        for (const entry of readdirSync(path.join(root, rel), { withFileTypes: true })) {
          const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
          if (entry.isDirectory()) {
            if (!ignored.has(entry.name)) pending.push(child);
          } else if (entry.isFile() || entry.isSymbolicLink()) files.push(child);
        }
      }
      if (pending.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return files.sort();
  }

  async function gitFiles(): Promise<string[]> {
    // The index file itself when it is one git-format-index file; `git ls-files` for the rest.
    const tracked =
      (await readGitIndexPaths(root)) ??
      (
        await exec("git", ["-c", "core.quotePath=off", "ls-files", "-z", "--cached"], {
          cwd: root,
          maxBuffer: 512 * 1024 * 1024,
          timeout: 60_000,
        })
      ).stdout
        .split("\0")
        .filter((f) => f !== "");
    // The index is sorted; only entries under an ignored directory (rarely tracked) are dropped.
    const names = [...ignored].map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    const skip = names ? new RegExp(`(?:^|/)(?:${names})/`) : undefined;
    return skip ? tracked.filter((f) => !skip.test(f)) : tracked;
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
