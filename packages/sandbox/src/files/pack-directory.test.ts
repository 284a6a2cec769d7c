import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { extract } from "tar-stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packDirectory } from "./pack-directory.js";

interface Entry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  linkname?: string | null;
  body: Buffer;
}

async function unpack(stream: NodeJS.ReadableStream): Promise<Entry[]> {
  const ex = extract();
  const entries: Entry[] = [];
  ex.on("entry", (header, body, next) => {
    const parts: Buffer[] = [];
    body.on("data", (c) => {
      parts.push(c as Buffer);
    });
    body.on("end", () => {
      entries.push({
        name: header.name,
        type: header.type ?? "file",
        mode: header.mode ?? 0,
        uid: header.uid ?? -1,
        gid: header.gid ?? -1,
        size: header.size ?? 0,
        linkname: header.linkname,
        body: Buffer.concat(parts),
      });
      next();
    });
  });
  const finished = new Promise<void>((resolve, reject) => {
    ex.on("finish", resolve);
    ex.on("error", reject);
    (stream as Readable).on("error", reject);
  });
  (stream as Readable).pipe(ex);
  await finished;
  return entries;
}

describe("packDirectory", () => {
  let root: string;
  const big = randomBytes(2 * 1024 * 1024 + 333);
  const longDir = `${"deep-folder-name/".repeat(9)}end`;
  const longName = `${longDir}/${"x".repeat(120)}.txt`;
  const longTarget = `../${"t".repeat(150)}`;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "fixfleet-pack-"));
    mkdirSync(join(root, "données/日本語"), { recursive: true });
    writeFileSync(join(root, "données/日本語/ファイル 🚀.txt"), "héllo\n");
    writeFileSync(join(root, "empty.txt"), "");
    writeFileSync(join(root, "big.bin"), big);
    writeFileSync(join(root, "run.sh"), "#!/bin/sh\necho hi\n");
    chmodSync(join(root, "run.sh"), 0o755);
    writeFileSync(join(root, "suid"), "x");
    chmodSync(join(root, "suid"), 0o4755);
    symlinkSync("run.sh", join(root, "link"));
    symlinkSync(longTarget, join(root, "long-link"));
    mkdirSync(join(root, longDir), { recursive: true });
    writeFileSync(join(root, longName), "long\n");
    mkdirSync(join(root, "skip-me"));
    writeFileSync(join(root, "skip-me/secret"), "no");
    mkdirSync(join(root, "empty-dir"));
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("writes every kind of entry exactly, owned by the given user, and counts them", async () => {
    const packed = packDirectory(root, { uid: 10001, gid: 10002, exclude: (p) => p === "skip-me" });
    const entries = await unpack(packed.stream);
    const totals = await packed.done;
    const byName = new Map(entries.map((e) => [e.name, e]));

    expect(byName.get("données/日本語/ファイル 🚀.txt")?.body.toString()).toBe("héllo\n");
    expect(byName.get("empty.txt")).toMatchObject({ type: "file", size: 0 });
    expect(byName.get("big.bin")?.body.equals(big)).toBe(true);
    expect(byName.get("run.sh")).toMatchObject({ type: "file", mode: 0o755 });
    expect(byName.get("suid")?.mode).toBe(0o755);
    expect(byName.get("link")).toMatchObject({ type: "symlink", linkname: "run.sh" });
    expect(byName.get("long-link")).toMatchObject({ type: "symlink", linkname: longTarget });
    expect(byName.get(longName)?.body.toString()).toBe("long\n");
    expect(byName.get("empty-dir/")).toMatchObject({ type: "directory" });
    expect([...byName.keys()].some((n) => n.startsWith("skip-me"))).toBe(false);
    for (const e of entries) expect([e.uid, e.gid]).toEqual([10001, 10002]);
    // Parents come before their children, as extraction needs.
    const names = entries.map((e) => e.name);
    expect(names.indexOf("données/")).toBeLessThan(names.indexOf("données/日本語/"));
    expect(names.indexOf("données/日本語/")).toBeLessThan(names.indexOf("données/日本語/ファイル 🚀.txt"));
    expect(totals).toEqual({ files: 6, bytes: big.length + 6 + 19 + 1 + 5, hasGit: false });
  });

  it("puts entries under a prefix, with its directories first", async () => {
    const packed = packDirectory(join(root, "données"), { uid: 1, gid: 1, prefix: "a/b" });
    const names = (await unpack(packed.stream)).map((e) => e.name);
    expect(names.slice(0, 2)).toEqual(["a/", "a/b/"]);
    expect(names).toContain("a/b/日本語/ファイル 🚀.txt");
  });

  it("is read by GNU tar the same way", () => {
    const packed = packDirectory(root, { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
    const out = mkdtempSync(join(tmpdir(), "fixfleet-unpack-"));
    try {
      const chunks: Buffer[] = [];
      return new Promise<void>((resolve, reject) => {
        packed.stream.on("data", (c: Buffer) => chunks.push(c));
        packed.stream.on("error", reject);
        packed.stream.on("end", () => {
          try {
            execFileSync("tar", ["-x", "-C", out], { input: Buffer.concat(chunks) });
            expect(readFileSync(join(out, "big.bin")).equals(big)).toBe(true);
            expect(readFileSync(join(out, longName), "utf8")).toBe("long\n");
            expect(readFileSync(join(out, "données/日本語/ファイル 🚀.txt"), "utf8")).toBe("héllo\n");
            expect(execFileSync("readlink", [join(out, "long-link")], { encoding: "utf8" }).trim()).toBe(longTarget);
            resolve();
          } catch (error) {
            reject(error);
          }
        });
      });
    } finally {
      setTimeout(() => rmSync(out, { recursive: true, force: true }), 5000).unref();
    }
  });

  it("rejects done, and ends the stream with the error, when the tree cannot be read", async () => {
    const packed = packDirectory(join(root, "no-such-dir"), { uid: 1, gid: 1 });
    await expect(unpack(packed.stream)).rejects.toThrow(/ENOENT/);
    await expect(packed.done).rejects.toThrow(/ENOENT/);
  });
});
