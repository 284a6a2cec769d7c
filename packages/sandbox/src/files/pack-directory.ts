import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readlinkSync, readSync, type Stats } from "node:fs";
import { join } from "node:path";
import { Readable } from "node:stream";
import { encodeTarHeader, TAR_END, type TarHeader, tarPadding } from "./tar-header.js";

/** Files up to this size are read whole; larger ones are streamed in CHUNK pieces. */
const SMALL_FILE = 1024 * 1024;
/**
 * The tar leaves in pieces of about this size: each piece is one HTTP chunk to the engine, and
 * many small ones (512-byte headers, small files) double the upload time.
 */
const CHUNK = 1024 * 1024;

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

interface Frame {
  dir: string;
  rel: string;
  names: string[];
  next: number;
}

/**
 * Streams a host directory as a tar: file modes (executable bits included), symlinks as links
 * (never followed), empty files and directories, names in any script (pax headers for UTF-8 and
 * long names). File contents are streamed, so a large tree never sits in memory.
 *
 * The file system is read synchronously, a piece at a time: one chunk of output (about 1 MiB)
 * blocks the event loop for a millisecond or two, where the promise API's thread-pool round trips
 * for every stat and read of a source tree's many small files cost several times the CPU.
 * Between chunks the consumer's backpressure and the event loop have their turn.
 */
export function packDirectory(root: string, options: PackOptions): PackedTree {
  const prefix = options.prefix ? `${options.prefix.replace(/\/+$/, "")}/` : "";
  const totals = { files: 0, bytes: 0, hasGit: false };
  let settle!: { resolve: (v: typeof totals) => void; reject: (e: unknown) => void };
  const done = new Promise<typeof totals>((resolve, reject) => {
    settle = { resolve, reject };
  });
  done.catch(() => {});

  const header = (h: Omit<TarHeader, "uid" | "gid">) => encodeTarHeader({ ...h, uid: options.uid, gid: options.gid });

  async function* chunks(): AsyncGenerator<Buffer> {
    let parts: Buffer[] = [];
    let size = 0;
    const add = (buf: Buffer) => {
      if (buf.length === 0) return;
      parts.push(buf);
      size += buf.length;
    };
    const take = () => {
      const out = parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, size);
      parts = [];
      size = 0;
      return out;
    };

    if (prefix) {
      const segments = prefix.replace(/\/$/, "").split("/");
      for (let i = 1; i <= segments.length; i++) {
        add(
          header({
            name: `${segments.slice(0, i).join("/")}/`,
            type: "directory",
            mode: 0o755,
            size: 0,
            mtime: new Date(),
          }),
        );
      }
    }
    const stack: Frame[] = [{ dir: root, rel: "", names: listDir(root, "", options.exclude), next: 0 }];
    while (stack.length > 0) {
      const frame = stack[stack.length - 1] as Frame;
      if (frame.next >= frame.names.length) {
        stack.pop();
        continue;
      }
      const name = frame.names[frame.next++] as string;
      const full = join(frame.dir, name);
      const rel = frame.rel ? `${frame.rel}/${name}` : name;
      const st: Stats = lstatSync(full);
      if (!frame.rel && name === ".git") totals.hasGit = true;
      if (st.isSymbolicLink()) {
        const linkname = readlinkSync(full);
        add(header({ name: prefix + rel, type: "symlink", linkname, mode: 0o777, size: 0, mtime: st.mtime }));
      } else if (st.isDirectory()) {
        add(header({ name: `${prefix}${rel}/`, type: "directory", mode: st.mode & 0o7777, size: 0, mtime: st.mtime }));
        stack.push({ dir: full, rel, names: listDir(full, rel, options.exclude), next: 0 });
      } else if (st.isFile()) {
        const mode = st.mode & 0o7777 & ~0o6000; // never setuid/setgid inside the sandbox
        totals.files++;
        if (st.size <= SMALL_FILE) {
          // The header takes the size actually read: a file that changed since lstat stays consistent.
          const body = st.size === 0 ? Buffer.alloc(0) : readFileSync(full);
          totals.bytes += body.length;
          add(header({ name: prefix + rel, type: "file", mode, size: body.length, mtime: st.mtime }));
          add(body);
          add(tarPadding(body.length));
        } else {
          totals.bytes += st.size;
          add(header({ name: prefix + rel, type: "file", mode, size: st.size, mtime: st.mtime }));
          const fd = openSync(full, "r");
          try {
            let position = 0;
            while (position < st.size) {
              if (size >= CHUNK) yield take();
              const piece = Buffer.allocUnsafe(Math.min(CHUNK, st.size - position));
              const read = readSync(fd, piece, 0, piece.length, position);
              if (read === 0) throw new Error(`${full} shrank while it was being copied`);
              add(read === piece.length ? piece : piece.subarray(0, read));
              position += read;
            }
          } finally {
            closeSync(fd);
          }
          add(tarPadding(st.size));
        }
      }
      // Sockets, FIFOs and devices have no place in a source tree; they are skipped.
      if (size >= CHUNK) yield take();
    }
    add(TAR_END);
    yield take();
  }

  const source = chunks();
  const stream = Readable.from(
    (async function* () {
      try {
        yield* source;
        settle.resolve(totals);
      } catch (error) {
        settle.reject(error);
        throw error;
      }
    })(),
    { objectMode: false, highWaterMark: CHUNK },
  );
  // A consumer that gave up (upload failed or timed out) leaves the totals unknown.
  stream.on("close", () => settle.reject(new Error("the tar stream was closed before its end")));
  return { stream, done };
}

/** A directory's entries in a stable order, without the excluded ones. */
function listDir(dir: string, rel: string, exclude: PackOptions["exclude"]): string[] {
  const names = readdirSync(dir).sort();
  return exclude ? names.filter((name) => !exclude(rel ? `${rel}/${name}` : name)) : names;
}
