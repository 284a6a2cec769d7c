import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { RepoReader } from "./repo-reader.js";

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
}

/** A repository checked out at `root`. The file list is walked once and kept. */
export function createLocalReader(root: string, options: LocalReaderOptions = {}): RepoReader {
  const ignored = new Set(options.ignoreDirs ?? DEFAULT_IGNORED_DIRS);
  let listing: Promise<string[]> | undefined;

  async function walk(): Promise<string[]> {
    const files: string[] = [];
    const pending: string[] = [""];
    while (pending.length > 0) {
      const rel = pending.pop()!;
      const entries = await readdir(path.join(root, rel), { withFileTypes: true });
      for (const entry of entries) {
        const child = rel === "" ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (!ignored.has(entry.name)) pending.push(child);
        } else if (entry.isFile() || entry.isSymbolicLink()) {
          files.push(child);
        }
      }
    }
    return files.sort();
  }

  return {
    async readFile(file) {
      if (file.startsWith("/") || file.split("/").includes("..")) return undefined;
      try {
        return await readFile(path.join(root, file), "utf8");
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "EISDIR" || code === "ENOTDIR") return undefined;
        throw error;
      }
    },
    listFiles() {
      listing ??= walk();
      return listing;
    },
  };
}
