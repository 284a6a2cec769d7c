import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PermanentError } from "@fixfleet/shared";
import { dockerAvailable, ensureDockerEngine, ensureSandboxImage } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSandbox, type Sandbox } from "../src/index.js";

const UNICODE_DIR = "données/日本語";
const UNICODE_FILE = `${UNICODE_DIR}/ファイル 🚀.txt`;

function makeTree(root: string, binary: Buffer): void {
  mkdirSync(join(root, UNICODE_DIR), { recursive: true });
  mkdirSync(join(root, "bin"));
  mkdirSync(join(root, "src"));
  mkdirSync(join(root, "empty-dir"));
  writeFileSync(join(root, UNICODE_FILE), "héllo wörld\n");
  writeFileSync(join(root, "empty.txt"), "");
  writeFileSync(join(root, "blob.bin"), binary);
  writeFileSync(join(root, "small.bin"), randomBytes(64 * 1024));
  writeFileSync(join(root, "bin/run.sh"), '#!/bin/sh\necho ran "$@"\n');
  chmodSync(join(root, "bin/run.sh"), 0o755);
  symlinkSync("bin/run.sh", join(root, "link-to-run"));
  writeFileSync(join(root, "src/edit.ts"), "export const a = 1;\nexport const b = 2;\n");
  writeFileSync(join(root, "src/delete.ts"), "gone soon\n");
  writeFileSync(join(root, "src/chmod.sh"), "#!/bin/sh\necho chmod\n");
  writeFileSync(join(root, "src/moved.ts"), `${"line of a file that will be renamed\n".repeat(20)}`);
}

describe.skipIf(!dockerAvailable())("files in and out of a sandbox", () => {
  let docker: Docker;
  let sandbox: Sandbox;
  let host: string;
  const binary = randomBytes(20 * 1024 * 1024);

  beforeAll(async () => {
    docker = await ensureDockerEngine();
    host = mkdtempSync(join(tmpdir(), "fixfleet-tree-"));
    makeTree(host, binary);
    // The worker copies a clone: make the tree a git repository at a commit.
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: host, stdio: "pipe" });
    git("init", "-q");
    git("add", "-A");
    git("commit", "-qm", "start");
    sandbox = await createSandbox(docker, {
      image: await ensureSandboxImage(docker),
      jobId: "files",
      workerId: "test-files",
      ttlMs: 5 * 60_000,
    });
  });

  afterAll(async () => {
    await sandbox?.destroy();
    rmSync(host, { recursive: true, force: true });
  });

  it("copies a tree in with unicode names, an empty file, a 20 MB binary, a symlink and an executable", async () => {
    const copied = await sandbox.copyIn(host);
    expect(copied.bytes).toBeGreaterThan(20 * 1024 * 1024);
    expect(copied.via).toBe("exec");
    const head = execFileSync("git", ["rev-parse", "HEAD"], { cwd: host, encoding: "utf8" }).trim();
    expect(sandbox.baseline).toBe(head);

    const listing = await sandbox.exec(
      `stat -c '%n %s %a %U %F' '${UNICODE_FILE}' empty.txt blob.bin bin/run.sh link-to-run empty-dir; readlink link-to-run; sha256sum blob.bin; ./link-to-run ok`,
    );
    expect(listing.exitCode).toBe(0);
    const lines = listing.stdout.split("\n");
    expect(lines[0]).toBe(`${UNICODE_FILE} 14 644 sandbox regular file`);
    expect(lines[1]).toBe("empty.txt 0 644 sandbox regular empty file");
    expect(lines[2]).toBe(`blob.bin ${binary.length} 644 sandbox regular file`);
    expect(lines[3]).toBe("bin/run.sh 24 755 sandbox regular file");
    expect(lines[4]).toMatch(/^link-to-run \d+ 777 sandbox symbolic link$/);
    expect(lines[5]).toMatch(/^empty-dir \d+ 755 sandbox directory$/);
    expect(lines[6]).toBe("bin/run.sh");
    const digest = execFileSync("sha256sum", [join(host, "blob.bin")], { encoding: "utf8" }).split(" ")[0];
    expect(lines[7]?.split(" ")[0]).toBe(digest);
    expect(lines[8]).toBe("ran ok");
  });

  it("reads the same bytes back, following symlinks", async () => {
    expect((await sandbox.readFile(UNICODE_FILE)).toString("utf8")).toBe("héllo wörld\n");
    expect((await sandbox.readFile("empty.txt")).length).toBe(0);
    const blob = await sandbox.readFile("/workspace/blob.bin", { maxBytes: 32 * 1024 * 1024 });
    expect(blob.equals(binary)).toBe(true);
    expect((await sandbox.readFile("link-to-run")).toString()).toBe(readFileSync(join(host, "bin/run.sh"), "utf8"));
  });

  it("refuses reads that are missing, too large or of a directory, with reasons", async () => {
    await expect(sandbox.readFile("nope.txt")).rejects.toThrow(/no such file in the sandbox: \/workspace\/nope.txt/);
    await expect(sandbox.readFile("blob.bin", { maxBytes: 1024 })).rejects.toThrow(/over the limit of 1024/);
    await expect(sandbox.readFile("src")).rejects.toBeInstanceOf(PermanentError);
  });

  it("writes files with modes, creating parent directories, inside and outside the workspace", async () => {
    await sandbox.writeFile("new/deep/ファイル.sh", "#!/bin/sh\necho written\n", { mode: 0o755 });
    const r = await sandbox.exec("stat -c '%a %U' new/deep/ファイル.sh && ./new/deep/ファイル.sh");
    expect(r.stdout).toBe("755 sandbox\nwritten\n");
    await sandbox.writeFile("/tmp/scratch/notes.txt", Buffer.from([0, 1, 2, 255]));
    expect([...(await sandbox.exec("od -An -tu1 /tmp/scratch/notes.txt")).stdout.trim().split(/\s+/)]).toEqual([
      "0",
      "1",
      "2",
      "255",
    ]);
    await sandbox.exec("rm -rf new");
  });

  it("diffs an edit, an added file, a deleted file, a chmod and a rename exactly", async () => {
    await sandbox.writeFile("src/edit.ts", "export const a = 1;\nexport const b = 3;\nexport const c = 4;\n");
    await sandbox.writeFile("src/added.ts", "new file\n");
    const steps = await sandbox.exec("rm src/delete.ts && chmod +x src/chmod.sh && git mv src/moved.ts src/renamed.ts");
    expect(steps.exitCode).toBe(0);
    const { files, patch } = await sandbox.diff();
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect(files).toHaveLength(5);
    expect(byPath["src/edit.ts"]).toEqual({
      path: "src/edit.ts",
      status: "modified",
      oldMode: "100644",
      newMode: "100644",
      binary: false,
      additions: 2,
      deletions: 1,
    });
    expect(byPath["src/added.ts"]).toEqual({
      path: "src/added.ts",
      status: "added",
      newMode: "100644",
      binary: false,
      additions: 1,
      deletions: 0,
    });
    expect(byPath["src/delete.ts"]).toEqual({
      path: "src/delete.ts",
      status: "deleted",
      oldMode: "100644",
      binary: false,
      additions: 0,
      deletions: 1,
    });
    expect(byPath["src/chmod.sh"]).toEqual({
      path: "src/chmod.sh",
      status: "modified",
      oldMode: "100644",
      newMode: "100755",
      binary: false,
      additions: 0,
      deletions: 0,
    });
    expect(byPath["src/renamed.ts"]).toMatchObject({
      status: "renamed",
      oldPath: "src/moved.ts",
      additions: 0,
      deletions: 0,
    });
    expect(patch).toContain("old mode 100644\nnew mode 100755");
    expect(patch).toContain("deleted file mode 100644");
    expect(patch).toContain("rename from src/moved.ts\nrename to src/renamed.ts");
    expect(patch).toContain("+export const c = 4;");
  });

  it("diffs binary changes so the patch applies to the starting commit and reproduces the tree", async () => {
    const changed = Buffer.from(readFileSync(join(host, "small.bin")));
    changed[10] = (changed[10] ?? 0) ^ 0xff;
    await sandbox.writeFile("small.bin", changed);
    const { files, patchBytes } = await sandbox.diff();
    expect(files.find((f) => f.path === "small.bin")).toMatchObject({ status: "modified", binary: true });
    // Apply the patch to a fresh checkout of the starting commit on the host.
    const check = mkdtempSync(join(tmpdir(), "fixfleet-apply-"));
    try {
      execFileSync("git", ["clone", "-q", host, check]);
      execFileSync("git", ["apply", "--binary", "-"], { cwd: check, input: patchBytes });
      expect(readFileSync(join(check, "small.bin")).equals(changed)).toBe(true);
      expect(readFileSync(join(check, "src/edit.ts"), "utf8")).toContain("export const c = 4;");
    } finally {
      rmSync(check, { recursive: true, force: true });
    }
  });

  it("gives a tree without .git a baseline commit to diff against", async () => {
    const plain = mkdtempSync(join(tmpdir(), "fixfleet-plain-"));
    writeFileSync(join(plain, "a.txt"), "a\n");
    const other = await createSandbox(docker, {
      image: await ensureSandboxImage(docker),
      jobId: "files-plain",
      workerId: "test-files",
      ttlMs: 60_000,
    });
    try {
      await other.copyIn(plain);
      expect(other.baseline).toMatch(/^[0-9a-f]{40}$/);
      const base = other.baseline;
      // A second tree into a subfolder: lands there, owned by the sandbox user; the baseline stays.
      await other.copyIn(plain, { dest: "vendor/pkg" });
      expect(other.baseline).toBe(base);
      const sub = await other.exec("stat -c '%U %n' vendor vendor/pkg vendor/pkg/a.txt");
      expect(sub.stdout).toBe("sandbox vendor\nsandbox vendor/pkg\nsandbox vendor/pkg/a.txt\n");
      await expect(other.copyIn(plain, { dest: "/etc" })).rejects.toThrow(/outside the workspace/);
      await other.exec("rm -rf vendor");
      await other.writeFile("a.txt", "b\n");
      const { files } = await other.diff();
      expect(files).toEqual([
        {
          path: "a.txt",
          status: "modified",
          oldMode: "100644",
          newMode: "100644",
          binary: false,
          additions: 1,
          deletions: 1,
        },
      ]);
    } finally {
      await other.destroy();
      rmSync(plain, { recursive: true, force: true });
    }
  });
});
