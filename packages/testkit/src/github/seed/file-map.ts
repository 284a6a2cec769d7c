import type { TreeChange } from "../git/build-tree.js";

export type FileMode = "100644" | "100755" | "120000";

/** A file for seeding: its text or bytes, optionally with a mode (executable, symlink). */
export type SeedFile = string | Buffer | { content: string | Buffer; mode?: FileMode };

/** Files to write (and, with `null`, to delete) keyed by repository path. */
export type SeedFiles = Record<string, SeedFile | null>;

export function toTreeChanges(files: SeedFiles): TreeChange[] {
  return Object.entries(files).map(([path, file]) => {
    const clean = path.replace(/^\/+/, "");
    if (file === null) return { path: clean, mode: "100644", type: "blob", sha: null };
    if (typeof file === "string" || Buffer.isBuffer(file)) {
      return { path: clean, mode: "100644", type: "blob", content: Buffer.from(file) };
    }
    return { path: clean, mode: file.mode ?? "100644", type: "blob", content: Buffer.from(file.content) };
  });
}
