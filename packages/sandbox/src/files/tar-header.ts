/**
 * Headers of a POSIX (pax) tar, written directly: tar-stream's per-entry stream machinery cost
 * more CPU than the Docker engine's extraction of the same tree (benchmark: 10 MB, 530 entries).
 * Names and link targets that are not ASCII or do not fit the ustar fields, and sizes beyond
 * 8 GiB, go into a pax extended header, which every tar reader (Go's archive/tar included) honours.
 */

export type TarEntryType = "file" | "directory" | "symlink";

export interface TarHeader {
  name: string;
  type: TarEntryType;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: Date;
  linkname?: string;
}

const BLOCK = 512;
const TYPE_FLAG: Record<TarEntryType, string> = { file: "0", directory: "5", symlink: "2" };
/** The largest size the 11 octal digits of a ustar size field hold. */
const MAX_OCTAL_SIZE = 0o77777777777;

/** Zero bytes that complete `size` to a whole number of tar blocks. */
export function tarPadding(size: number): Buffer {
  const rest = size % BLOCK;
  return rest === 0 ? EMPTY : Buffer.alloc(BLOCK - rest);
}

/** The two zero blocks that end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);

const EMPTY = Buffer.alloc(0);

function fitsUstar(text: string, max: number): boolean {
  // ASCII only: a reader without pax support would otherwise guess the encoding.
  return text.length <= max && /^[\x20-\x7e]*$/.test(text);
}

function writeOctal(block: Buffer, value: number, offset: number, width: number): void {
  // width - 1 digits, then NUL.
  block.write(value.toString(8).padStart(width - 1, "0"), offset, width - 1, "ascii");
  block[offset + width - 1] = 0;
}

function ustarBlock(h: {
  name: string;
  typeflag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(h.name, 0, 100, "utf8");
  writeOctal(block, h.mode & 0o7777, 100, 8);
  writeOctal(block, h.uid, 108, 8);
  writeOctal(block, h.gid, 116, 8);
  writeOctal(block, h.size, 124, 12);
  writeOctal(block, Math.max(0, Math.min(h.mtime, 0o77777777777)), 136, 12);
  block.write(h.typeflag, 156, 1, "ascii");
  block.write(h.linkname, 157, 100, "utf8");
  block.write("ustar\u000000", 257, 8, "ascii");
  block.fill(0x20, 148, 156); // the checksum is computed with its own field as spaces
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += block[i] as number;
  block.write(`${sum.toString(8).padStart(6, "0")}\u0000 `, 148, 8, "ascii");
  return block;
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  // The record's length counts its own digits.
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length++;
  return `${length}${body}`;
}

/**
 * The blocks that precede an entry's data: a pax extended header when needed, then the ustar
 * header. The data that follows must be `size` bytes, then `tarPadding(size)`.
 */
export function encodeTarHeader(header: TarHeader): Buffer {
  const name = header.type === "directory" && !header.name.endsWith("/") ? `${header.name}/` : header.name;
  const linkname = header.linkname ?? "";
  const size = header.type === "file" ? header.size : 0;
  const mtime = Math.floor(header.mtime.getTime() / 1000);
  const pax: string[] = [];
  let ustarName = name;
  if (!fitsUstar(name, 100)) {
    pax.push(paxRecord("path", name));
    ustarName = asciiStandIn(name, header.type === "directory");
  }
  let ustarLink = linkname;
  if (!fitsUstar(linkname, 100)) {
    pax.push(paxRecord("linkpath", linkname));
    ustarLink = asciiStandIn(linkname, false);
  }
  if (size > MAX_OCTAL_SIZE) pax.push(paxRecord("size", String(size)));
  const main = ustarBlock({
    name: ustarName,
    typeflag: TYPE_FLAG[header.type],
    mode: header.mode,
    uid: header.uid,
    gid: header.gid,
    size: size > MAX_OCTAL_SIZE ? 0 : size,
    mtime,
    linkname: ustarLink,
  });
  if (pax.length === 0) return main;
  const body = Buffer.from(pax.join(""), "utf8");
  const paxHeader = ustarBlock({
    name: asciiStandIn(`PaxHeaders/${name.replace(/\/$/, "").split("/").pop() ?? "entry"}`, false),
    typeflag: "x",
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime,
    linkname: "",
  });
  return Buffer.concat([paxHeader, body, tarPadding(body.length), main]);
}

/** A printable ASCII name of at most 100 bytes for the ustar field that a pax record overrides. */
function asciiStandIn(text: string, directory: boolean): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "_");
  const limit = directory ? 99 : 100;
  const cut = ascii.length > limit ? ascii.slice(ascii.length - limit) : ascii;
  return directory ? `${cut.replace(/\/$/, "")}/` : cut;
}
