import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildImage,
  contextTar,
  dockerAvailable,
  ensureDockerEngine,
  ensureSandboxImage,
  imageExists,
} from "@fixfleet/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";

const UNICODE_FILE = "données/ファイル 🚀.txt";

/** The sandbox image without tar: copies must still get in, through the archive endpoint. */
async function imageWithoutTar(docker: Docker, base: string): Promise<string> {
  const id = (await docker.getImage(base).inspect()).Id.replace(/^sha256:/, "").slice(0, 12);
  const tag = `fixfleet-sandbox-notar:${id}`;
  if (await imageExists(docker, tag)) return tag;
  const dockerfile = [
    `FROM ${base}`,
    "USER root",
    "RUN rm -f /usr/bin/tar /bin/tar && ! command -v tar",
    "USER 10001:10001",
    "",
  ].join("\n");
  await buildImage(docker, tag, contextTar([{ name: "Dockerfile", content: dockerfile }]));
  return tag;
}

function makeTree(root: string, binary: Buffer): void {
  mkdirSync(join(root, "données"));
  mkdirSync(join(root, "bin"));
  mkdirSync(join(root, "empty-dir"));
  writeFileSync(join(root, UNICODE_FILE), "héllo\n");
  writeFileSync(join(root, "empty.txt"), "");
  writeFileSync(join(root, "blob.bin"), binary);
  writeFileSync(join(root, "bin/run.sh"), '#!/bin/sh\necho ran "$@"\n');
  chmodSync(join(root, "bin/run.sh"), 0o755);
  writeFileSync(join(root, "private.txt"), "mine\n");
  chmodSync(join(root, "private.txt"), 0o600);
  symlinkSync("bin/run.sh", join(root, "link-to-run"));
}

const LISTING = `stat -c '%n %s %a %U %F' '${UNICODE_FILE}' empty.txt blob.bin bin/run.sh private.txt link-to-run empty-dir; sha256sum blob.bin; ./link-to-run ok`;

describe.skipIf(!dockerAvailable())("both ways of copying a tree in", () => {
  let docker: Docker;
  let image: string;
  let host: string;
  const binary = randomBytes(3 * 1024 * 1024 + 17);
  const sandboxes: Sandbox[] = [];
  let expected: string[];

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    image = await ensureSandboxImage(docker);
    host = mkdtempSync(join(tmpdir(), "fixfleet-copy-"));
    makeTree(host, binary);
    const digest = execFileSync("sha256sum", [join(host, "blob.bin")], { encoding: "utf8" }).split(" ")[0];
    expected = [
      `${UNICODE_FILE} 7 644 sandbox regular file`,
      "empty.txt 0 644 sandbox regular empty file",
      `blob.bin ${binary.length} 644 sandbox regular file`,
      "bin/run.sh 24 755 sandbox regular file",
      "private.txt 5 600 sandbox regular file",
      "link-to-run 10 777 sandbox symbolic link",
      expect.stringMatching(/^empty-dir \d+ 755 sandbox directory$/) as unknown as string,
      `${digest}  blob.bin`,
      "ran ok",
    ];
  });

  afterAll(async () => {
    await Promise.all(sandboxes.map((s) => s.destroy()));
    rmSync(host, { recursive: true, force: true });
  });

  async function sandboxFrom(from: string, jobId: string): Promise<Sandbox> {
    const s = await createSandbox(docker, { image: from, jobId, workerId: "test-copy-paths", ttlMs: 5 * 60_000 });
    sandboxes.push(s);
    return s;
  }

  it("lands the same tree through the image's tar and through the archive endpoint", async () => {
    for (const via of ["exec", "archive"] as const) {
      const s = await sandboxFrom(image, `copy-${via}`);
      const copied = await s.copyIn(host, { via, baseline: false });
      expect(copied).toMatchObject({ files: 5, via });
      const r = await s.exec(LISTING);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout.trim().split("\n"), via).toEqual(expected);
    }
  });

  it("gives up a copy at its timeout (transient) or on an unreadable tree (permanent), and the next copy works", async () => {
    const s = await sandboxFrom(image, "copy-timeout");
    await expect(s.copyIn(host, { timeoutMs: 1, baseline: false })).rejects.toMatchObject({
      name: "TransientError",
      code: "copy_timeout",
    });
    await expect(s.copyIn(join(host, "no-such-dir"), { baseline: false })).rejects.toMatchObject({
      name: "PermanentError",
      code: "copy_source_unreadable",
    });
    expect(await s.copyIn(host, { baseline: false })).toMatchObject({ files: 5, via: "exec" });
    const r = await s.exec(LISTING);
    expect(r.stdout.trim().split("\n")).toEqual(expected);
  });

  it("falls back to the archive endpoint when the image has no tar, for that copy and the next", async () => {
    const s = await sandboxFrom(await imageWithoutTar(docker, image), "copy-no-tar");
    expect((await s.exec("command -v tar")).exitCode).not.toBe(0);
    expect((await s.copyIn(host, { baseline: false })).via).toBe("archive");
    const r = await s.exec(LISTING);
    expect(r.stdout.trim().split("\n")).toEqual(expected);
    writeFileSync(join(host, "second.txt"), "again\n");
    try {
      expect((await s.copyIn(host, { baseline: false })).via).toBe("archive");
      expect((await s.readFile("second.txt")).toString()).toBe("again\n");
    } finally {
      rmSync(join(host, "second.txt"));
    }
  }, 120_000);
});
