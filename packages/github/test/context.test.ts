import { readFileSync } from "node:fs";
import { createManualClock, type FakeGitHub, startFakeGitHub } from "@fixfleet/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubClient } from "../src/client/index.js";
import { RepoConfigError } from "../src/config/index.js";
import {
  checkHeadCurrent,
  fetchFailureContext,
  findPullRequestForSha,
  getPullRequestContext,
  isForkHead,
  loadRepoConfig,
  type RepoHandle,
} from "../src/context/index.js";

const tscLog = readFileSync(new URL("./fixtures/logs/tsc.log", import.meta.url), "utf8");
const pytestLog = readFileSync(new URL("./fixtures/logs/pytest.log", import.meta.url), "utf8");

let gh: FakeGitHub;
let handle: RepoHandle;
let headSha: string;
let prNumber: number;
let runId: number;

beforeAll(async () => {
  const clock = createManualClock();
  gh = await startFakeGitHub({ now: clock.now });
  await gh.createRepository({
    owner: "acme",
    name: "shop",
    files: { "src/price.ts": "export const x = 1;\n", ".github/fixfleet.yml": "mode: branch\nlimits:\n  turns: 12\n" },
  });
  headSha = await gh.commit({
    repo: "acme/shop",
    branch: "feature",
    files: { "src/price.ts": "export const x: string = 1;\n" },
  });
  prNumber = (await gh.openPullRequest({ repo: "acme/shop", head: "feature" })).number;
  // A config on the PR's branch must not count: config is read from the default branch only.
  await gh.commit({
    repo: "acme/shop",
    branch: "feature",
    files: { ".github/fixfleet.yml": "limits:\n  turns: 500\n" },
  });
  const run = await gh.addWorkflowRun({
    repo: "acme/shop",
    headSha,
    headBranch: "feature",
    conclusion: "failure",
    pullRequests: [prNumber],
    jobs: [
      {
        name: "lint",
        conclusion: "success",
        steps: [{ name: "Run npm run lint", conclusion: "success" }],
        log: "all good\n",
      },
      {
        name: "typecheck",
        conclusion: "failure",
        steps: [
          { name: "Set up job", conclusion: "success" },
          { name: "Run npx tsc -p .", conclusion: "failure" },
        ],
        log: tscLog,
      },
      { name: "test", conclusion: "failure", steps: [{ name: "Run pytest", conclusion: "failure" }], log: pytestLog },
    ],
  });
  runId = run.id;
  const client = createGitHubClient({
    appId: gh.appId,
    privateKey: gh.privateKey!,
    baseUrl: gh.url,
    now: clock.now,
    retryBaseMs: 5,
  });
  handle = {
    octokit: client.forInstallation(await client.installationIdFor("acme", "shop")),
    owner: "acme",
    repo: "shop",
  };
});
afterAll(() => gh.stop());

describe("failure context", () => {
  it("reads the run, the failed jobs and steps, and each failed job's log through the redirect", async () => {
    const context = await fetchFailureContext(handle, { runId });
    expect(context.run).toMatchObject({ id: runId, headSha, conclusion: "failure", pullRequests: [prNumber] });
    expect(context.failedJobs.map((j) => j.name)).toEqual(["typecheck", "test"]);
    const typecheck = context.failedJobs[0]!;
    expect(typecheck.failedSteps).toEqual([{ number: 2, name: "Run npx tsc -p .", conclusion: "failure" }]);
    expect(typecheck.log?.text).toContain("src/price.ts:3:3 - error TS2322");
    expect(typecheck.log?.excerpt.keyLines.join("\n")).toContain("error TS2322");
    expect(context.failedJobs[1]!.log?.text).toContain("E       KeyError: 'pear'");
    // The log came through the 302 to the blob URL.
    expect(gh.callsTo("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs").map((c) => c.status)).toContain(302);
  });

  it("narrows to the reported job", async () => {
    const context = await fetchFailureContext(handle, { runId, jobName: "test" });
    expect(context.failedJobs.map((j) => j.name)).toEqual(["test"]);
  });

  it("keeps going when a log cannot be fetched, saying why", async () => {
    gh.faults.inject("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs", { status: 404, times: 10 });
    const context = await fetchFailureContext(handle, { runId, jobName: "typecheck" });
    gh.faults.clear();
    expect(context.failedJobs[0]!.log).toBeUndefined();
    expect(context.failedJobs[0]!.logError).toContain("not found");
  });
});

describe("pull request context", () => {
  it("finds the PR of a sha, its base and head, and its changed files", async () => {
    expect(await findPullRequestForSha(handle, headSha)).toBe(prNumber);
    const pr = await getPullRequestContext(handle, prNumber);
    expect(pr).toMatchObject({
      number: prNumber,
      baseRef: "main",
      headRef: "feature",
      headRepo: "acme/shop",
      isFork: false,
    });
    expect(pr.changedFiles.map((f) => f.path).sort()).toEqual([".github/fixfleet.yml", "src/price.ts"]);
  });

  it("knows when a newer push made the failing sha stale", async () => {
    const stale = await checkHeadCurrent(handle, prNumber, headSha);
    expect(stale.current).toBe(false);
    const { headSha: newest } = await getPullRequestContext(handle, prNumber);
    expect((await checkHeadCurrent(handle, prNumber, newest)).current).toBe(true);
  });

  it("detects a pull request whose head is a fork", async () => {
    await gh.createRepository({ owner: "mallory", name: "shop", forkOf: "acme/shop" });
    await gh.commit({ repo: "mallory/shop", branch: "patch-1", files: { "src/price.ts": "export const x = 2;\n" } });
    const { number } = await gh.openPullRequest({ repo: "acme/shop", head: "patch-1", headRepo: "mallory/shop" });
    const pr = await getPullRequestContext(handle, number);
    expect(pr).toMatchObject({ isFork: true, headRepo: "mallory/shop", headRef: "patch-1" });
    expect(pr.changedFiles.map((f) => f.path)).toEqual(["src/price.ts"]);
  });

  it("tells a fork's head from a branch of the same repository", () => {
    const base = { repo: { full_name: "acme/shop" } };
    expect(isForkHead({ head: { repo: { full_name: "acme/shop" } }, base })).toBe(false);
    expect(isForkHead({ head: { repo: { full_name: "mallory/shop" } }, base })).toBe(true);
    expect(isForkHead({ head: { repo: null }, base })).toBe(true);
  });
});

describe("repository config", () => {
  it("is read from the default branch, never from the pull request", async () => {
    const { config, defaultBranch, found, cloneUrl } = await loadRepoConfig(handle);
    expect({ defaultBranch, found, turns: config.limits.turns }).toEqual({
      defaultBranch: "main",
      found: true,
      turns: 12,
    });
    // The clone URL comes with the same read, so the fix stage need not ask for the repository again.
    expect(cloneUrl).toBe(`${gh.url}/acme/shop.git`);
  });

  it("gives the defaults when the file is absent, and a located error when invalid", async () => {
    await gh.createRepository({ owner: "acme", name: "bare", files: { "README.md": "x\n" } });
    const bare = { ...handle, repo: "bare" };
    expect((await loadRepoConfig(bare)).found).toBe(false);
    await gh.commit({ repo: "acme/bare", branch: "main", files: { ".github/fixfleet.yml": "mode: yolo\n" } });
    const error = await loadRepoConfig(bare).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RepoConfigError);
    expect((error as RepoConfigError).problems[0]).toMatchObject({ key: "mode", line: 1 });
  });
});
