import { execFile, execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { type FakeGitHub, startFakeGitHub } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloneRepository } from "../src/clone/index.js";

let gh: FakeGitHub;
let repo: { cloneUrl: string; headSha: string };
let token: string;

beforeAll(async () => {
  gh = await startFakeGitHub();
  const files: Record<string, string | { content: string; mode: "100755" }> = {
    "package.json": '{"workspaces":["packages/*"]}\n',
    "packages/api/src/index.ts": "export const api = 1;\n",
    "packages/web/src/index.ts": "export const web = 1;\n",
    "packages/web/bin/run": { content: "#!/bin/sh\necho run\n", mode: "100755" },
    "docs/guide.md": "# guide\n",
  };
  repo = await gh.createRepository({ owner: "acme", name: "mono", files });
  token = (await gh.createInstallationToken("acme")).token;
});
afterAll(() => gh.stop());

async function allFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name));
  }
  return out;
}

/** Every file under dir whose bytes contain the needle. */
async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await allFiles(dir)) {
    if ((await readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

describe("cloneRepository", () => {
  it("clones the failing sha blob-less, keeps the token out of .git/config, ps and the sandbox copy", async () => {
    const seen: string[] = [];
    let cloning = true;
    // Watch every process's arguments and environment while the clone runs.
    const watcher = (async () => {
      while (cloning) {
        const { stdout } = await promisify(execFile)("ps", ["-eww", "e", "-o", "args="], { maxBuffer: 16 << 20 });
        seen.push(stdout);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const clone = await cloneRepository({ cloneUrl: repo.cloneUrl, sha: repo.headSha, token: () => token });
    cloning = false;
    await watcher;
    try {
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.some((s) => /git(?:-remote-https?| fetch| checkout| index-pack)/.test(s))).toBe(true);
      expect(seen.filter((s) => s.includes(token))).toEqual([]);

      expect(execFileSync("git", ["rev-parse", "HEAD"], { cwd: clone.dir, encoding: "utf8" }).trim()).toBe(
        repo.headSha,
      );
      expect(await readFile(join(clone.dir, "packages/api/src/index.ts"), "utf8")).toBe("export const api = 1;\n");
      expect((await stat(join(clone.dir, "packages/web/bin/run"))).mode & 0o111).not.toBe(0);
      const config = await readFile(join(clone.dir, ".git/config"), "utf8");
      expect(config).not.toContain(token);
      expect(config).toContain(`url = ${repo.cloneUrl}`);
      expect(config).toMatch(/partialclonefilter = blob:none/i);
      expect(await filesContaining(join(clone.dir, ".git"), token)).toEqual([]);

      const copy = await clone.copyForSandbox();
      expect(await filesContaining(copy, token)).toEqual([]);
      const copyConfig = await readFile(join(copy, ".git/config"), "utf8");
      expect(copyConfig).not.toContain("remote");
      expect(copyConfig).not.toMatch(/partialclone/i);
      // git in the copy works offline on the checked-out tree.
      expect(execFileSync("git", ["status", "--porcelain"], { cwd: copy, encoding: "utf8" })).toBe("");
      await clone.cleanup();
      expect(existsSync(clone.dir)).toBe(false);
      expect(existsSync(copy)).toBe(false);
    } finally {
      await clone.cleanup();
    }
  });

  it("checks out only the sparse cone (and root files) when given paths", async () => {
    const clone = await cloneRepository({
      cloneUrl: repo.cloneUrl,
      sha: repo.headSha,
      token: () => token,
      sparsePaths: ["packages/web/**"],
    });
    try {
      const files = (await allFiles(clone.dir))
        .map((f) => f.slice(clone.dir.length + 1))
        .filter((f) => !f.startsWith(".git/"));
      expect(files.sort()).toEqual(["package.json", "packages/web/bin/run", "packages/web/src/index.ts"]);
      // Blob-less: contents outside the cone were never downloaded.
      const missing = execFileSync("git", ["rev-list", "--objects", "--missing=print", "HEAD"], {
        cwd: clone.dir,
        encoding: "utf8",
      })
        .split("\n")
        .filter((l) => l.startsWith("?"));
      expect(missing.length).toBe(2); // packages/api/src/index.ts and docs/guide.md
    } finally {
      await clone.cleanup();
    }
  });

  it("refuses a URL with credentials in it and says a bad token is a permanent failure without repeating it", async () => {
    await expect(
      cloneRepository({ cloneUrl: gh.cloneUrlWithToken("acme/mono", token), sha: repo.headSha, token: () => token }),
    ).rejects.toThrow(/without credentials/);
    const bad = "ghs_thisisnotavalidtokenatallxxxxxxxxxxxx";
    const error = await cloneRepository({ cloneUrl: repo.cloneUrl, sha: repo.headSha, token: () => bad }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ kind: "permanent" });
    expect(String((error as Error).message)).not.toContain(bad);
  });
});
