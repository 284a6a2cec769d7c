import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RequestError } from "@octokit/request-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { git, installationOctokit, type TestOctokitInstance, tempDir } from "./helpers.js";

describe("fake GitHub git smart HTTP and Git Data API", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;
  let work: Awaited<ReturnType<typeof tempDir>>;
  let baseSha: string;

  beforeAll(async () => {
    gh = await startFakeGitHub();
    work = await tempDir();
    const repo = await gh.createRepository({
      owner: "acme",
      name: "shop",
      files: {
        "README.md": "# shop\n",
        "src/app.js": "export const answer = 41;\n",
        "src/old.js": "obsolete\n",
        "bin/run": { content: "#!/bin/sh\necho run\n", mode: "100755" },
        "docs/guide.md": "guide\n",
      },
    });
    baseSha = repo.headSha;
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(async () => {
    await gh.stop();
    await work.remove();
  });

  it("refuses a clone without a valid installation token", async () => {
    const anonymous = git(work.path, "clone", "-q", `${gh.url}/acme/shop.git`, join(work.path, "anon"));
    await expect(anonymous).rejects.toThrow();
    const wrong = gh.cloneUrlWithToken("acme/shop", "ghs_notarealtoken000000000000000000000");
    await expect(git(work.path, "clone", "-q", wrong, join(work.path, "wrong"))).rejects.toThrow();
    const refused = gh.callsTo("GET /{owner}/{repo}.git/info/refs");
    expect(refused.every((call) => call.status === 401)).toBe(true);
  });

  it("clones with a token, commits through the Git Data API, and a new clone has the commit on its branch", async () => {
    const { token } = gh.createInstallationToken("acme");
    const url = gh.cloneUrlWithToken("acme/shop", token);
    const first = join(work.path, "first");
    await git(work.path, "clone", "-q", url, first);
    expect(await git(first, "rev-parse", "HEAD")).toBe(baseSha);
    expect((await stat(join(first, "bin/run"))).mode & 0o111).not.toBe(0);

    const { data: blob } = await octokit.rest.git.createBlob({
      owner: "acme",
      repo: "shop",
      content: Buffer.from("export const answer = 42;\n").toString("base64"),
      encoding: "base64",
    });
    const { data: base } = await octokit.rest.git.getCommit({ owner: "acme", repo: "shop", commit_sha: baseSha });
    const { data: tree } = await octokit.rest.git.createTree({
      owner: "acme",
      repo: "shop",
      base_tree: base.tree.sha,
      tree: [
        { path: "src/app.js", mode: "100644", type: "blob", sha: blob.sha },
        { path: "src/new/deep.txt", mode: "100644", type: "blob", content: "nested\n" },
        { path: "src/old.js", mode: "100644", type: "blob", sha: null },
        { path: "docs", mode: "040000", type: "tree", sha: null },
      ],
    });
    const { data: commit } = await octokit.rest.git.createCommit({
      owner: "acme",
      repo: "shop",
      message: "fix: the answer is 42",
      tree: tree.sha,
      parents: [baseSha],
    });
    expect(commit.author.name).toBe(`${gh.appSlug}[bot]`);
    const { data: ref } = await octokit.rest.git.createRef({
      owner: "acme",
      repo: "shop",
      ref: "refs/heads/fixfleet/pr-1",
      sha: commit.sha,
    });
    expect(ref).toMatchObject({ ref: "refs/heads/fixfleet/pr-1", object: { sha: commit.sha, type: "commit" } });

    const second = join(work.path, "second");
    await git(work.path, "clone", "-q", "--branch", "fixfleet/pr-1", url, second);
    expect(await git(second, "rev-parse", "HEAD")).toBe(commit.sha);
    expect(await git(second, "log", "-1", "--format=%s")).toBe("fix: the answer is 42");
    expect(await readFile(join(second, "src/app.js"), "utf8")).toBe("export const answer = 42;\n");
    expect(await readFile(join(second, "src/new/deep.txt"), "utf8")).toBe("nested\n");
    await expect(stat(join(second, "src/old.js"))).rejects.toThrow();
    await expect(stat(join(second, "docs"))).rejects.toThrow();
    expect(await git(second, "ls-files", "-s", "bin/run")).toMatch(/^100755 /);

    expect((await gh.branches("acme/shop"))["fixfleet/pr-1"]).toBe(commit.sha);
    expect(await gh.readFile("acme/shop", "fixfleet/pr-1", "src/app.js")).toBe("export const answer = 42;\n");
  });

  it("refuses a non-fast-forward ref update unless forced", async () => {
    const { data: main } = await octokit.rest.git.getRef({ owner: "acme", repo: "shop", ref: "heads/main" });
    const { data: side } = await octokit.rest.git.createCommit({
      owner: "acme",
      repo: "shop",
      message: "unrelated",
      tree: (await octokit.rest.git.getCommit({ owner: "acme", repo: "shop", commit_sha: main.object.sha })).data.tree
        .sha,
      parents: [],
    });
    const error = await octokit.rest.git
      .updateRef({ owner: "acme", repo: "shop", ref: "heads/main", sha: side.sha })
      .catch((e: RequestError) => e);
    expect((error as RequestError).status).toBe(422);
    expect((error as RequestError).response?.data).toMatchObject({
      message: "Update is not a fast forward",
      status: "422",
    });
    const { data: forced } = await octokit.rest.git.updateRef({
      owner: "acme",
      repo: "shop",
      ref: "heads/main",
      sha: side.sha,
      force: true,
    });
    expect(forced.object.sha).toBe(side.sha);
    await octokit.rest.git.updateRef({
      owner: "acme",
      repo: "shop",
      ref: "heads/main",
      sha: main.object.sha,
      force: true,
    });
  });

  it("refuses to delete a path the base tree does not have", async () => {
    const error = await octokit.rest.git
      .createTree({
        owner: "acme",
        repo: "shop",
        base_tree: baseSha,
        tree: [{ path: "no/such/file", mode: "100644", type: "blob", sha: null }],
      })
      .catch((e: RequestError) => e);
    expect((error as RequestError).status).toBe(422);
  });

  it("serves protocol v2 partial and sparse clones", async () => {
    const { token } = gh.createInstallationToken("acme");
    const url = gh.cloneUrlWithToken("acme/shop", token);
    const sparse = join(work.path, "sparse");
    await git(work.path, "-c", "protocol.version=2", "clone", "-q", "--filter=blob:none", "--sparse", url, sparse);
    await git(sparse, "sparse-checkout", "set", "src");
    expect(await readFile(join(sparse, "src/app.js"), "utf8")).toBe("export const answer = 41;\n");
    await expect(stat(join(sparse, "bin/run"))).rejects.toThrow();
    expect(await git(sparse, "config", "remote.origin.promisor")).toBe("true");
    expect(await git(sparse, "config", "remote.origin.partialclonefilter")).toBe("blob:none");
    // Missing blobs are fetched lazily through the same authenticated endpoint.
    expect(await git(sparse, "show", "HEAD:bin/run")).toContain("echo run");
    const fetches = gh.callsTo("POST /{owner}/{repo}.git/git-upload-pack");
    expect(fetches.length).toBeGreaterThan(1);
    expect(fetches.every((call) => call.gitProtocol === "version=2" && call.status === 200)).toBe(true);
  });

  it("accepts pushes over smart HTTP with a token that may write contents", async () => {
    const { token } = gh.createInstallationToken("acme");
    const clone = join(work.path, "pusher");
    await git(work.path, "clone", "-q", gh.cloneUrlWithToken("acme/shop", token), clone);
    await git(
      clone,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.com",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "pushed",
    );
    await git(clone, "push", "-q", "origin", "HEAD:refs/heads/pushed");
    expect((await gh.branches("acme/shop")).pushed).toBe(await git(clone, "rev-parse", "HEAD"));
  });

  it("lets anyone fetch a public repository, but pushing still needs a token", async () => {
    const open = await gh.createRepository({ owner: "acme", name: "open", private: false, files: { "x.txt": "x\n" } });
    const clone = join(work.path, "public");
    await git(work.path, "clone", "-q", open.cloneUrl, clone);
    expect(await readFile(join(clone, "x.txt"), "utf8")).toBe("x\n");
    await git(
      clone,
      "-c",
      "user.name=t",
      "-c",
      "user.email=t@example.com",
      "commit",
      "-q",
      "--allow-empty",
      "-m",
      "anon",
    );
    await expect(git(clone, "push", "-q", "origin", "HEAD:refs/heads/anon")).rejects.toThrow();
    expect((await gh.branches("acme/open")).anon).toBeUndefined();
  });

  it("fetches one commit by sha, shallow, as a worker checks out a failing commit", async () => {
    const { token } = gh.createInstallationToken("acme");
    const shallow = join(work.path, "shallow");
    await git(work.path, "init", "-q", shallow);
    await git(shallow, "remote", "add", "origin", gh.cloneUrlWithToken("acme/shop", token));
    await git(shallow, "fetch", "-q", "--depth=1", "--filter=blob:none", "origin", baseSha);
    await git(shallow, "checkout", "-q", "FETCH_HEAD");
    expect(await git(shallow, "rev-parse", "HEAD")).toBe(baseSha);
    expect(await git(shallow, "rev-parse", "--is-shallow-repository")).toBe("true");
    expect(await readFile(join(shallow, "src/old.js"), "utf8")).toBe("obsolete\n");
  });
});
