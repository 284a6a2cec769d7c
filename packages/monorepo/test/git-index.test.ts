import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseGitIndex, readGitIndexPaths } from "../src/reader/git-index-paths.js";
import { createLocalReader } from "../src/reader/local-reader.js";
import { type FixtureRepo, makeFixtureRepo } from "./fixture-repo.js";
import { git } from "./git.js";

const FILES: Record<string, string> = {
  "package.json": "{}",
  "packages/web/package.json": "{}",
  "packages/web/src/ünïcødé naam.ts": "",
  "packages/web/src/a file with spaces.ts": "",
  "packages/shared/package.json": "{}",
  [`deep/${"d".repeat(60)}/${"e".repeat(60)}/${"f".repeat(60)}/x.txt`]: "",
  "crates/core/Cargo.toml": "",
  "z.txt": "",
};

const commit = (root: string, extra: string[] = []) =>
  git(["-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "c", ...extra], root);

async function repoWithIndex(): Promise<FixtureRepo> {
  const repo = await makeFixtureRepo(FILES);
  await git(["init", "-q", "-b", "main"], repo.root);
  await git(["add", "-A"], repo.root);
  await commit(repo.root);
  return repo;
}

async function lsFiles(root: string): Promise<string[]> {
  return (await git(["-c", "core.quotePath=off", "ls-files", "-z", "--cached"], root))
    .split("\0")
    .filter((f) => f !== "");
}

describe("readGitIndexPaths", () => {
  it("lists what git ls-files lists, from index versions 2, 3 (extended flags) and 4 (compressed paths)", async () => {
    const repo = await repoWithIndex();
    try {
      const v2 = await readGitIndexPaths(repo.root);
      expect(v2).toEqual(await lsFiles(repo.root));
      expect(v2).toContain("packages/web/src/ünïcødé naam.ts");

      // `add -N` sets an extended flag, which makes git write version 3.
      await writeFile(path.join(repo.root, "intent.txt"), "");
      await git(["add", "-N", "intent.txt"], repo.root);
      const v3 = await readFile(path.join(repo.root, ".git/index"));
      expect(v3.readUInt32BE(4)).toBe(3);
      expect(await readGitIndexPaths(repo.root)).toEqual(await lsFiles(repo.root));

      await git(["update-index", "--index-version", "4"], repo.root);
      expect((await readFile(path.join(repo.root, ".git/index"))).readUInt32BE(4)).toBe(4);
      const v4 = await readGitIndexPaths(repo.root);
      expect(v4).toEqual(await lsFiles(repo.root));
      expect(v4).toContain("intent.txt");
    } finally {
      await repo.remove();
    }
  });

  it("keeps the skip-worktree entries of a sparse checkout, as git ls-files does", async () => {
    const repo = await repoWithIndex();
    try {
      await git(["sparse-checkout", "set", "--cone", "packages/web"], repo.root);
      const listed = await readGitIndexPaths(repo.root);
      expect(listed).toEqual(await lsFiles(repo.root));
      expect(listed).toContain("crates/core/Cargo.toml");
    } finally {
      await repo.remove();
    }
  });

  it("lists each stage of a conflicted path, as git ls-files does", async () => {
    const repo = await makeFixtureRepo({ "a.txt": "base\n", "b.txt": "b\n" });
    try {
      await git(["init", "-q", "-b", "main"], repo.root);
      await git(["add", "-A"], repo.root);
      await commit(repo.root);
      await git(["checkout", "-q", "-b", "other"], repo.root);
      await writeFile(path.join(repo.root, "a.txt"), "theirs\n");
      await commit(repo.root, ["-a"]);
      await git(["checkout", "-q", "main"], repo.root);
      await writeFile(path.join(repo.root, "a.txt"), "ours\n");
      await commit(repo.root, ["-a"]);
      await git(["merge", "other"], repo.root).catch(() => undefined); // conflicts, by design
      const listed = await readGitIndexPaths(repo.root);
      expect(listed).toEqual(["a.txt", "a.txt", "a.txt", "b.txt"]);
      expect(listed).toEqual(await lsFiles(repo.root));
    } finally {
      await repo.remove();
    }
  });

  it("answers undefined where git must be asked: split index, sparse index, no .git directory, damage", async () => {
    const split = await repoWithIndex();
    const sparse = await repoWithIndex();
    const plain = await makeFixtureRepo({ "a.txt": "" });
    const good = await repoWithIndex();
    try {
      await git(["update-index", "--split-index"], split.root);
      expect(await readGitIndexPaths(split.root)).toBeUndefined();
      // The reader still lists the split index's files, through git.
      expect(await createLocalReader(split.root).listFiles()).toEqual(await lsFiles(split.root));

      await git(["sparse-checkout", "set", "--cone", "--sparse-index", "packages/web"], sparse.root);
      expect(await readGitIndexPaths(sparse.root)).toBeUndefined();

      expect(await readGitIndexPaths(plain.root)).toBeUndefined();

      // Damage to an index that parses whole.
      const index = await readFile(path.join(good.root, ".git/index"));
      expect(parseGitIndex(index)).toEqual(await lsFiles(good.root));
      expect(parseGitIndex(index.subarray(0, 40))).toBeUndefined();
      expect(parseGitIndex(index.subarray(0, index.length - 30))).toBeUndefined();
      expect(parseGitIndex(Buffer.from("not an index at all, not at all"))).toBeUndefined();
      const badCount = Buffer.from(index);
      badCount.writeUInt32BE(0xffffffff, 8);
      expect(parseGitIndex(badCount)).toBeUndefined();
      const badVersion = Buffer.from(index);
      badVersion.writeUInt32BE(9, 4);
      expect(parseGitIndex(badVersion)).toBeUndefined();
    } finally {
      await split.remove();
      await sparse.remove();
      await plain.remove();
      await good.remove();
    }
  });
});
