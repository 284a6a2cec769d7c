import { createReadStream } from "node:fs";
import { lstat, readdir, readFile, readlink } from "node:fs/promises";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pack } from "tar-stream";

const SMALL_FILE = 256 * 1024;
const CHUNK = 1024 * 1024;
const READ_AHEAD = 32;

/**
 * Gathers the tar's many small pieces (512-byte headers, small files) into large chunks: each
 * piece would otherwise be its own HTTP chunk to the engine, and that doubles the upload time.
 */
function coalesce(): Transform {
  let parts: Buffer[] = [];
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      size += chunk.length;
      if (size >= CHUNK) {
        this.push(Buffer.concat(parts, size));
        parts = [];
        size = 0;
      }
      done();
    },
    flush(done) {
      if (size > 0) this.push(Buffer.concat(parts, size));
      done();
    },
  });
}

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
  const totals = { files: 0, bytes: 0, hasGit: false };

  const entry = (header: Parameters<typeof tar.entry>[0], body?: Buffer) =>
    new Promise<void>((resolve, reject) => {
      tar.entry({ ...owner, ...header }, body ?? Buffer.alloc(0), (err) => (err ? reject(err) : resolve()));
    });

  type Item =
    | { kind: "dir"; rel: string; mode: number; mtime: Date }
    | { kind: "link"; rel: string; target: string; mtime: Date }
    | { kind: "file"; full: string; rel: string; mode: number; size: number; mtime: Date };

  /** The tree in tar order; each directory's entries are stat'ed at once, not one by one. */
  async function list(dir: string, rel: string, out: Item[]): Promise<void> {
    const names = (await readdir(dir)).sort();
    const kept = names.filter((name) => !options.exclude?.(rel ? `${rel}/${name}` : name));
    const stats = await Promise.all(kept.map((name) => lstat(join(dir, name))));
    const links = await Promise.all(
      kept.map((name, i) => (stats[i]?.isSymbolicLink() ? readlink(join(dir, name)) : undefined)),
    );
    for (let i = 0; i < kept.length; i++) {
      const name = kept[i] as string;
      const st = stats[i] as import("node:fs").Stats;
      const relPath = rel ? `${rel}/${name}` : name;
      if (!rel && name === ".git") totals.hasGit = true;
      if (st.isSymbolicLink()) {
        out.push({ kind: "link", rel: relPath, target: links[i] as string, mtime: st.mtime });
      } else if (st.isDirectory()) {
        out.push({ kind: "dir", rel: relPath, mode: st.mode & 0o7777, mtime: st.mtime });
        await list(join(dir, name), relPath, out);
      } else if (st.isFile()) {
        const mode = st.mode & 0o7777 & ~0o6000; // never setuid/setgid inside the sandbox
        out.push({ kind: "file", full: join(dir, name), rel: relPath, mode, size: st.size, mtime: st.mtime });
      }
      // Sockets, FIFOs and devices have no place in a source tree; they are skipped.
    }
  }

  async function walk(root_: string): Promise<void> {
    const items: Item[] = [];
    await list(root_, "", items);
    // Small files are read a few at a time ahead of the writer; large ones are streamed.
    const ahead = new Map<number, Promise<Buffer>>();
    const prefetch = (from: number) => {
      for (let j = from; j < items.length && ahead.size < READ_AHEAD; j++) {
        const it = items[j] as Item;
        if (it.kind === "file" && it.size > 0 && it.size <= SMALL_FILE && !ahead.has(j))
          ahead.set(j, readFile(it.full));
      }
    };
    for (let i = 0; i < items.length; i++) {
      prefetch(i);
      const it = items[i] as Item;
      const name = prefix + it.rel;
      if (it.kind === "link") {
        await entry({ name, type: "symlink", linkname: it.target, mtime: it.mtime, mode: 0o777 });
      } else if (it.kind === "dir") {
        await entry({ name: `${name}/`, type: "directory", mode: it.mode, mtime: it.mtime });
      } else {
        totals.files++;
        totals.bytes += it.size;
        const pending = ahead.get(i);
        if (pending || it.size === 0) {
          ahead.delete(i);
          const body = pending ? await pending : Buffer.alloc(0);
          await entry({ name, mode: it.mode, mtime: it.mtime, size: body.length }, body);
          continue;
        }
        await new Promise<void>((resolve, reject) => {
          const sink = tar.entry({ ...owner, name, mode: it.mode, mtime: it.mtime, size: it.size }, (err) =>
            err ? reject(err) : resolve(),
          );
          pipeline(createReadStream(it.full), sink).catch(reject);
        });
      }
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
      await walk(root);
      tar.finalize();
      return totals;
    } catch (error) {
      tar.destroy(error as Error);
      throw error;
    }
  })();
  done.catch(() => {});
  const out = coalesce();
  tar.on("error", (error) => out.destroy(error));
  tar.pipe(out);
  return { stream: out, done };
}
