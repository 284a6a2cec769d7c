import { createReadStream } from "node:fs";
import { lstat, readdir, readlink } from "node:fs/promises";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { pack } from "tar-stream";

export interface PackOptions {
  /** Owner of every entry inside the sandbox (the sandbox user), whatever it was on the host. */
  uid: number;
  gid: number;
  /** Entry names are put under this relative prefix ("" for the archive root). */
  prefix?: string;
  /** Paths (relative, "/"-separated) to leave out. */
  exclude?: (relativePath: string) => boolean;
}

export interface PackedTree {
  stream: NodeJS.ReadableStream;
  /** Settles once every entry is written (rejects on a read error). */
  done: Promise<{ files: number; bytes: number; hasGit: boolean }>;
}

/**
 * Streams a host directory as a tar: file modes (executable bits included), symlinks as links
 * (never followed), empty files and directories, names in any script (PAX headers for UTF-8 and
 * long names). File contents are streamed, so a large tree never sits in memory.
 */
export function packDirectory(root: string, options: PackOptions): PackedTree {
  const tar = pack();
  const prefix = options.prefix ? `${options.prefix.replace(/\/+$/, "")}/` : "";
  const owner = { uid: options.uid, gid: options.gid, uname: "", gname: "" };
  const stats = { files: 0, bytes: 0, hasGit: false };

  const entry = (header: Parameters<typeof tar.entry>[0], body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      tar.entry({ ...owner, ...header }, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });

  async function walk(dir: string, rel: string): Promise<void> {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const relPath = rel ? `${rel}/${name}` : name;
      if (options.exclude?.(relPath)) continue;
      if (!rel && name === ".git") stats.hasGit = true;
      const full = join(dir, name);
      const st = await lstat(full);
      const mtime = st.mtime;
      if (st.isSymbolicLink()) {
        await entry({ name: prefix + relPath, type: "symlink", linkname: await readlink(full), mtime, mode: 0o777 });
      } else if (st.isDirectory()) {
        await entry({ name: `${prefix + relPath}/`, type: "directory", mode: st.mode & 0o7777, mtime });
        await walk(full, relPath);
      } else if (st.isFile()) {
        stats.files++;
        stats.bytes += st.size;
        const mode = st.mode & 0o7777 & ~0o6000; // never setuid/setgid inside the sandbox
        if (st.size === 0) {
          await entry({ name: prefix + relPath, mode, mtime, size: 0 });
          continue;
        }
        await new Promise<void>((resolve, reject) => {
          const sink = tar.entry({ ...owner, name: prefix + relPath, mode, mtime, size: st.size }, (err) =>
            err ? reject(err) : resolve(),
          );
          pipeline(createReadStream(full), sink).catch(reject);
        });
      }
      // Sockets, FIFOs and devices have no place in a source tree; they are skipped.
    }
  }

  const done = (async () => {
    try {
      if (prefix) {
        const parts = prefix.replace(/\/$/, "").split("/");
        for (let i = 1; i <= parts.length; i++) {
          await entry({ name: `${parts.slice(0, i).join("/")}/`, type: "directory", mode: 0o755 });
        }
      }
      await walk(root, "");
      tar.finalize();
      return stats;
    } catch (error) {
      tar.destroy(error as Error);
      throw error;
    }
  })();
  done.catch(() => {});
  return { stream: tar as unknown as NodeJS.ReadableStream, done };
}
