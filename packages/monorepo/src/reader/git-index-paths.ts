import { readFile, stat } from "node:fs/promises";
import path from "node:path";

/**
 * The paths `git ls-files --cached` prints, read straight from `.git/index` (gitformat-index:
 * versions 2, 3 and 4), in the index's order. Spawning git costs a fork of the whole worker
 * process (~10 ms of CPU on a large heap, more under load) for a file this reads in one call.
 * Answers undefined whenever git itself should be asked: no `.git` directory (a worktree or
 * submodule has a `.git` file), a SHA-256 repository, a split index (`link`: entries live in a
 * second file), a sparse index (`sdir`: directories stand for their files), or anything the
 * parser does not recognise.
 */
export async function readGitIndexPaths(root: string): Promise<string[] | undefined> {
  const gitDir = path.join(root, ".git");
  try {
    if (!(await stat(gitDir)).isDirectory()) return undefined;
    const config = await readFile(path.join(gitDir, "config"), "utf8").catch(() => "");
    if (/^\s*objectformat\s*=\s*sha256\b/im.test(config)) return undefined;
    return parseGitIndex(await readFile(path.join(gitDir, "index")));
  } catch {
    return undefined;
  }
}

const SHA1_BYTES = 20;
/** ctime, mtime (8 bytes each), dev, ino, mode, uid, gid, size (4 each), the object id, flags (2). */
const ENTRY_HEADER_BYTES = 8 + 8 + 6 * 4 + SHA1_BYTES + 2;
const EXTENDED_FLAG = 0x4000;
const MODE_TYPE_MASK = 0o170000;
const MODE_DIRECTORY = 0o040000;

/** The entries' paths of an index file; undefined when git should be asked instead (see above). */
export function parseGitIndex(data: Buffer): string[] | undefined {
  if (data.length < 12 + SHA1_BYTES || data.toString("latin1", 0, 4) !== "DIRC") return undefined;
  const version = data.readUInt32BE(4);
  if (version < 2 || version > 4) return undefined;
  const count = data.readUInt32BE(8);
  const end = data.length - SHA1_BYTES; // the trailing checksum
  // Each entry takes at least its header and a NUL: a larger count is a damaged file.
  if (count > (end - 12) / (ENTRY_HEADER_BYTES + 1)) return undefined;
  const paths: string[] = new Array(count);
  let previous: Buffer = Buffer.alloc(0); // version 4 only
  let pos = 12;
  for (let i = 0; i < count; i++) {
    if (pos + ENTRY_HEADER_BYTES > end) return undefined;
    const mode = data.readUInt32BE(pos + 24);
    // A sparse index's directory entry stands for every file beneath it.
    if ((mode & MODE_TYPE_MASK) === MODE_DIRECTORY) return undefined;
    const flags = data.readUInt16BE(pos + ENTRY_HEADER_BYTES - 2);
    let name = pos + ENTRY_HEADER_BYTES;
    if (flags & EXTENDED_FLAG) {
      if (version < 3) return undefined;
      name += 2;
    }
    if (version === 4) {
      // The path is the previous one minus `strip` trailing bytes, plus a NUL-terminated suffix.
      let c = data[name++];
      if (c === undefined) return undefined;
      let strip = c & 127;
      while (c & 128) {
        c = data[name++];
        if (c === undefined) return undefined;
        strip = ((strip + 1) << 7) + (c & 127);
      }
      const nul = data.indexOf(0, name);
      if (nul === -1 || nul >= end || strip > previous.length) return undefined;
      previous = Buffer.concat([previous.subarray(0, previous.length - strip), data.subarray(name, nul)]);
      paths[i] = previous.toString("utf8");
      pos = nul + 1;
    } else {
      const nul = data.indexOf(0, name);
      if (nul === -1 || nul >= end) return undefined;
      // Decoded in place: a subarray per entry would be an allocation per file.
      paths[i] = data.toString("utf8", name, nul);
      // Entries are NUL-padded (1 to 8 bytes) to a multiple of 8.
      pos += (nul - pos + 8) & ~7;
    }
  }
  // Extensions follow the entries: a 4-byte signature and a 4-byte size each.
  while (pos + 8 <= end) {
    const signature = data.toString("latin1", pos, pos + 4);
    if (signature === "link" || signature === "sdir") return undefined;
    pos += 8 + data.readUInt32BE(pos + 4);
  }
  return pos === end ? paths : undefined;
}
