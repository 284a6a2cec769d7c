import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { type FakeGitHub, startFakeGitHub } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient, type GitHubClient } from "../src/client/index.js";
import { COMMENT_MARKER, type FixReport } from "../src/comment/index.js";
import { RepoConfigError } from "../src/config/index.js";
import { loadRepoConfig, type RepoHandle } from "../src/context/index.js";
import { type FileChange, publishFix } from "../src/publish/index.js";

let gh: FakeGitHub;
let client: GitHubClient;
const logLines: string[] = [];
const log = (level: string) => (m: string) => logLines.push(`${level} ${m}`);

beforeAll(async () => {
  gh = await startFakeGitHub();
  client = createGitHubClient({
    appId: gh.appId,
    privateKey: gh.privateKey!,
    baseUrl: gh.url,
    retryBaseMs: 5,
    writeSpacingMs: 0,
    notificationSpacingMs: 0,
    log: { debug: log("debug"), info: log("info"), warn: log("warn"), error: log("error") },
  });
});
afterAll(() => gh.stop());

async function handleFor(owner: string, repo: string): Promise<RepoHandle> {
  return { octokit: client.forInstallation(await client.installationIdFor(owner, repo)), owner, repo };
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null" },
  }).trim();
}

const CHANGES: FileChange[] = [
  { kind: "write", path: "src/price.ts", content: "export const price: number = 1;\n" },
  { kind: "write", path: "src/new/helper.ts", content: "export const helper = 2;\n" },
  { kind: "delete", path: "old.txt" },
  { kind: "chmod", path: "bin/run", mode: "100755" },
];

function draft(sha: string, pr: number): PublishInput["report"] {
  return {
    repository: "acme/shop",
    webUrl: "https://github.com",
    sha,
    pr,
    failures: [{ name: "typecheck", step: "Run npx tsc -p .", keyLines: ["src/price.ts:1:14 - error TS2322"] }],
    result: {
      kind: "fixed",
      files: [
        { path: "src/price.ts", status: "modified", additions: 1, deletions: 1 },
        { path: "src/new/helper.ts", status: "added", additions: 1, deletions: 0 },
        { path: "old.txt", status: "deleted", additions: 0, deletions: 1 },
        { path: "bin/run", status: "modified", additions: 0, deletions: 0, oldMode: "100644", newMode: "100755" },
      ],
      patch:
        "diff --git a/src/price.ts b/src/price.ts\n-export const price: number = '1';\n+export const price: number = 1;\n",
      verification: [{ command: "npx tsc -p .", ok: true, exitCode: 0, durationMs: 4000 }],
    },
    spend: { inputTokens: 1000, outputTokens: 200, durationMs: 30_000, turns: 3 },
  };
}
type PublishInput = Parameters<typeof publishFix>[1];

describe("publishFix", () => {
  it("commits an edit, an addition, a deletion and a chmod on the failing sha; twice yields one branch, comment and check run", async () => {
    await gh.createRepository({
      owner: "acme",
      name: "shop",
      files: {
        "src/price.ts": "export const price: number = '1';\n",
        "old.txt": "remove me\n",
        "bin/run": "#!/bin/sh\necho run\n",
        "README.md": "# shop\n",
      },
    });
    const sha = await gh.commit({ repo: "acme/shop", branch: "feature", files: { "README.md": "# shop!\n" } });
    const { number } = await gh.openPullRequest({ repo: "acme/shop", head: "feature" });
    const handle = await handleFor("acme", "shop");
    // One blob upload meets a secondary rate limit: it is backed off and logged (without secrets).
    gh.faults.inject("POST /repos/{owner}/{repo}/git/blobs", { secondaryRateLimit: true, retryAfter: 1, times: 1 });

    const input: PublishInput = { report: draft(sha, number), changes: CHANGES, externalId: `acme/shop@${sha}` };
    const first = await publishFix(handle, input);
    expect(first.commit?.ref).toBe("created");
    expect(first.commit?.branch).toBe(`fixfleet/pr-${number}`);

    const second = await publishFix(handle, input);
    expect(second.commit?.ref).toBe("unchanged");
    expect(second.commit?.commitSha).toBe(first.commit?.commitSha);
    expect(second.comment?.id).toBe(first.comment?.id);
    expect(second.checkRunId).toBe(first.checkRunId);

    expect((await gh.branches("acme/shop"))[`fixfleet/pr-${number}`]).toBe(first.commit?.commitSha);
    const comments = gh.comments("acme/shop", number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(COMMENT_MARKER);
    expect(comments[0]!.body).toContain(`fixfleet/pr-${number}`);
    const runs = gh.checkRuns("acme/shop").filter((r) => r.headSha === sha);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: "completed", conclusion: "success" });

    // A clone of the branch has exactly those changes on top of the failing sha.
    const token = (await client.tokens.get(await client.installationIdFor("acme", "shop"))).token;
    const dir = mkdtempSync(join(tmpdir(), "fixfleet-publish-check-"));
    try {
      // Async: the fake GitHub serves git from this very process, a sync call would deadlock it.
      await promisify(execFile)("git", ["clone", "--quiet", gh.cloneUrlWithToken("acme/shop", token), dir], {
        env: { ...process.env, GIT_CONFIG_GLOBAL: "/dev/null", GIT_TERMINAL_PROMPT: "0" },
      });
      const branch = `origin/fixfleet/pr-${number}`;
      expect(git(dir, "rev-parse", `${branch}^`)).toBe(sha);
      expect(git(dir, "rev-list", "--count", `${sha}..${branch}`)).toBe("1");
      expect(git(dir, "diff", "--name-status", sha, branch).split("\n").sort()).toEqual([
        "A\tsrc/new/helper.ts",
        "D\told.txt",
        "M\tbin/run",
        "M\tsrc/price.ts",
      ]);
      expect(git(dir, "diff", "--summary", sha, branch)).toContain("mode change 100644 => 100755 bin/run");
      expect(git(dir, "show", `${branch}:src/price.ts`)).toBe("export const price: number = 1;");
      expect(git(dir, "diff", sha, branch, "--", "bin/run").includes("@@")).toBe(false); // content unchanged
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // Nothing we logged carries a credential.
    expect(logLines.some((l) => l.includes("secondary rate limit"))).toBe(true);
    for (const secret of client.secrets()) expect(logLines.join("\n")).not.toContain(secret);
  });

  it("moves the branch when a later attempt changes the fix", async () => {
    await gh.createRepository({ owner: "acme", name: "again", files: { "a.txt": "a\n" } });
    const sha = (await gh.branches("acme/again")).main!;
    const handle = { ...(await handleFor("acme", "again")) };
    const base = { ...draft(sha, 0), repository: "acme/again", pr: undefined };
    const one = await publishFix(handle, {
      report: base,
      changes: [{ kind: "write", path: "a.txt", content: "b\n" }],
      externalId: "k1",
    });
    const two = await publishFix(handle, {
      report: base,
      changes: [{ kind: "write", path: "a.txt", content: "c\n" }],
      externalId: "k1",
    });
    expect(one.commit?.branch).toBe(`fixfleet/${sha.slice(0, 7)}`);
    expect(two.commit?.ref).toBe("moved");
    expect(await gh.readFile("acme/again", `fixfleet/${sha.slice(0, 7)}`, "a.txt")).toBe("c\n");
    expect(gh.checkRuns("acme/again")).toHaveLength(1);
  });

  it("push mode fast-forwards the pull request's own branch", async () => {
    await gh.createRepository({ owner: "acme", name: "pushy", files: { "a.txt": "a\n" } });
    const sha = await gh.commit({ repo: "acme/pushy", branch: "topic", files: { "a.txt": "broken\n" } });
    const { number } = await gh.openPullRequest({ repo: "acme/pushy", head: "topic" });
    const handle = await handleFor("acme", "pushy");
    const result = await publishFix(handle, {
      report: { ...draft(sha, number), repository: "acme/pushy" },
      changes: [{ kind: "write", path: "a.txt", content: "fixed\n" }],
      mode: "push",
      headRef: "topic",
      externalId: "push",
    });
    expect(result.commit).toMatchObject({ branch: "topic", ref: "moved" });
    expect((await gh.branches("acme/pushy")).topic).toBe(result.commit?.commitSha);
    expect(Object.keys(await gh.branches("acme/pushy")).filter((b) => b.startsWith("fixfleet/"))).toEqual([]);
    expect(gh.comments("acme/pushy", number)[0]!.body).toContain("**Pushed** as");
  });

  it("puts the patch in the comment and pushes nothing when the head is a fork", async () => {
    await gh.createRepository({ owner: "acme", name: "forked", files: { "a.txt": "a\n" } });
    const sha = await gh.commit({ repo: "acme/forked", branch: "contrib", files: { "a.txt": "x\n" } });
    const { number } = await gh.openPullRequest({ repo: "acme/forked", head: "contrib" });
    const handle = await handleFor("acme", "forked");
    const before = await gh.branches("acme/forked");
    const result = await publishFix(handle, {
      report: { ...draft(sha, number), repository: "acme/forked" },
      changes: CHANGES,
      isFork: true,
      externalId: "fork",
    });
    expect(result.commit).toBeUndefined();
    expect(await gh.branches("acme/forked")).toEqual(before);
    expect(gh.comments("acme/forked", number)[0]!.body).toContain("<details open><summary><b>Patch</b>");
    expect(gh.calls.filter((c) => c.path.startsWith("/repos/acme/forked/git/") && c.method !== "GET")).toEqual([]);
  });

  it("an invalid .github/fixfleet.yml: the comment names the bad key and nothing else is attempted", async () => {
    await gh.createRepository({
      owner: "acme",
      name: "badcfg",
      files: { ".github/fixfleet.yml": "enabled: true\nlimits:\n  turns: many\n", "a.txt": "a\n" },
    });
    const sha = await gh.commit({ repo: "acme/badcfg", branch: "feature", files: { "a.txt": "b\n" } });
    const { number } = await gh.openPullRequest({ repo: "acme/badcfg", head: "feature" });
    const handle = await handleFor("acme", "badcfg");
    const callsBefore = gh.calls.length;

    const error = await loadRepoConfig(handle).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepoConfigError);
    const invalid = error as RepoConfigError;
    const report: FixReport = {
      repository: "acme/badcfg",
      webUrl: "https://github.com",
      sha,
      pr: number,
      failures: [],
      result: { kind: "invalid_config", path: invalid.path, problems: invalid.problems },
    };
    await publishFix(handle, { report, externalId: "bad" });

    const body = gh.comments("acme/badcfg", number)[0]!.body;
    expect(body).toContain("`.github/fixfleet.yml` is invalid");
    expect(body).toContain("line 3, column 10: `limits.turns` must be a number (model turns)");
    // Token creation aside, the only write is the comment: no blob, tree, commit, ref or check run.
    const writes = gh.calls
      .slice(callsBefore)
      .filter((c) => c.method !== "GET" && !c.path.startsWith("/app/"))
      .map((c) => c.route);
    expect(writes).toEqual(["POST /repos/{owner}/{repo}/issues/{issue_number}/comments"]);
    expect(gh.checkRuns("acme/badcfg")).toEqual([]);
  });
});
