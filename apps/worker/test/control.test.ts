import { createGitHubClient, type GitHubClient } from "@fixfleet/github";
import { type ControlJobData, createLogger, createRedis, QUEUE_NAMES, TransientError } from "@fixfleet/shared";
import { type FakeGitHub, startFakeGitHub, testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { createSignatureStore } from "@fixfleet/triage";
import { type Job, Queue, UnrecoverableError } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ControlDeps } from "../src/control/control-deps.js";
import { createPrStateStore } from "../src/control/pr-state-store.js";
import { processControlJob } from "../src/control/process-control-job.js";
import { createFixRecords } from "../src/outcomes/fix-records.js";

const redis = createRedis(testRedisUrl(), { role: "worker" });
let gh: FakeGitHub;
let github: GitHubClient;
beforeAll(async () => {
  gh = await startFakeGitHub();
  github = createGitHubClient({
    appId: gh.appId,
    privateKey: gh.privateKey as string,
    baseUrl: gh.url,
    retryBaseMs: 5,
    writeSpacingMs: 0,
    notificationSpacingMs: 0,
  });
});
afterAll(async () => {
  await gh.stop();
  redis.disconnect();
});

const SHA = "e".repeat(40);

function setup() {
  const prefix = uniquePrefix();
  const fixQueue = new Queue(QUEUE_NAMES.fix, { connection: redis, prefix });
  const deps: ControlDeps = {
    github,
    redis,
    prefix,
    fixQueue,
    prState: createPrStateStore(redis, prefix),
    fixRecords: createFixRecords(redis, prefix),
    signatures: createSignatureStore(redis, prefix),
    botLogin: async () => `${gh.appSlug}[bot]`,
    logger: createLogger({ name: "control-test", level: "silent" }),
  };
  let n = 0;
  const run = (data: ControlJobData) => {
    n += 1;
    return processControlJob({ id: `job-${n}`, data } as unknown as Job, deps);
  };
  return { deps, run, close: () => fixQueue.close() };
}

async function repoWithPr(name: string) {
  const repo = await gh.createRepository({ owner: "acme", name, files: { "a.txt": "a\n" } });
  await gh.commit({ repo: repo.fullName, branch: "feature", files: { "a.txt": "b\n" }, message: "change" });
  const pr = await gh.openPullRequest({ repo: repo.fullName, head: "feature" });
  const ref = { id: repo.id, owner: "acme", name };
  /** A `/fixfleet` command on this pull request, as ingest queues it. */
  const command = (
    what: Extract<ControlJobData, { type: "command" }>["command"],
    login: string,
    commentId: number,
  ): ControlJobData => ({
    v: 1,
    type: "command",
    repository: ref,
    installationId: repo.installationId,
    pr: pr.number,
    command: what,
    actor: { login },
    commentId,
  });
  return { repo, pr: pr.number, ref, installationId: repo.installationId, command };
}

describe("outcomes of published fixes", () => {
  it("a pull request closing without its fix rejects it; a push bringing the fix in later still accepts it", async () => {
    const { deps, run, close } = setup();
    const { repo, pr, ref, installationId } = await repoWithPr("rejects");
    const batchId = `acme/rejects@${SHA}#1`;
    await deps.fixRecords.published({
      batchId,
      repository: repo.fullName,
      pr,
      headRef: "feature",
      mode: "branch",
      branch: `fixfleet/pr-${pr}`,
      commitSha: SHA,
      publishedAt: 1,
    });
    const closed = await run({
      v: 1,
      type: "pull_request_closed",
      repository: ref,
      installationId,
      pr,
      merged: false,
      headRef: "feature",
      headSha: SHA,
      baseRef: "main",
    });
    expect(closed.action).toBe("settled");
    expect(await deps.fixRecords.get(batchId)).toMatchObject({ state: "rejected" });
    expect(await deps.fixRecords.outcomes()).toEqual([
      { repository: "acme/rejects", published: 1, accepted: 0, rejected: 1 },
    ]);

    // GitHub does not order deliveries: the push that merged the fix may come after the close.
    await run({
      v: 1,
      type: "push",
      repository: ref,
      installationId,
      ref: "refs/heads/feature",
      after: SHA,
      batchIds: [batchId],
      commitShas: [SHA],
    });
    expect(await deps.fixRecords.outcomes()).toEqual([
      { repository: "acme/rejects", published: 1, accepted: 1, rejected: 0 },
    ]);
    // Settled once: the same push again changes nothing.
    const again = await run({
      v: 1,
      type: "push",
      repository: ref,
      installationId,
      ref: "refs/heads/main",
      after: SHA,
      batchIds: [batchId],
      commitShas: [SHA],
    });
    expect(again.action).toBe("nothing");
    expect((await deps.fixRecords.outcomes())[0]?.accepted).toBe(1);
    await close();
  });

  it("a proposal pull request (mode: pull_request) is accepted when merged and rejected when closed", async () => {
    const { deps, run, close } = setup();
    const { repo, pr, ref, installationId } = await repoWithPr("proposals");
    for (const [n, merged] of [
      [1, true],
      [2, false],
    ] as const) {
      await deps.fixRecords.published({
        batchId: `acme/proposals@${SHA}#${n}`,
        repository: repo.fullName,
        pr: pr + n * 10,
        headRef: "feature",
        mode: "pull_request",
        branch: `fixfleet/pr-${pr + n * 10}`,
        commitSha: SHA,
        publishedAt: n,
      });
      await run({
        v: 1,
        type: "pull_request_closed",
        repository: ref,
        installationId,
        pr: 900 + n,
        merged,
        headRef: `fixfleet/pr-${pr + n * 10}`,
        headSha: SHA,
        baseRef: "feature",
      });
    }
    expect(await deps.fixRecords.get(`acme/proposals@${SHA}#1`)).toMatchObject({ state: "accepted" });
    expect(await deps.fixRecords.get(`acme/proposals@${SHA}#2`)).toMatchObject({ state: "rejected" });
    await close();
  });

  it("in push mode fixfleet's own push proves nothing; merging the pull request accepts the fix", async () => {
    const { deps, run, close } = setup();
    const { repo, pr, ref, installationId } = await repoWithPr("pushmode");
    const batchId = `acme/pushmode@${SHA}#1`;
    await deps.fixRecords.published({
      batchId,
      repository: repo.fullName,
      pr,
      headRef: "feature",
      mode: "push",
      commitSha: SHA,
      publishedAt: 1,
    });
    const own = await run({
      v: 1,
      type: "push",
      repository: ref,
      installationId,
      ref: "refs/heads/feature",
      after: SHA,
      batchIds: [batchId],
      commitShas: [SHA],
    });
    expect(own.action).toBe("nothing");
    await run({
      v: 1,
      type: "pull_request_closed",
      repository: ref,
      installationId,
      pr,
      merged: true,
      headRef: "feature",
      headSha: SHA,
      baseRef: "main",
    });
    expect(await deps.fixRecords.get(batchId)).toMatchObject({ state: "accepted" });
    await close();
  });
});

describe("commands", () => {
  it("retry with no failure seen on the pull request says so instead of queueing anything", async () => {
    const { deps, run, close } = setup();
    const { repo, pr, command } = await repoWithPr("nothing");
    gh.setPermission(repo.fullName, "wren", "write");
    const comment = await gh.comment({ repo: repo.fullName, issueNumber: pr, body: "/fixfleet retry", user: "wren" });
    const result = await run(command("retry", "wren", comment.id));
    expect(result.action).toBe("nothing");
    expect(gh.comments(repo.fullName, pr).at(-1)?.body).toMatch(/@wren there is nothing to retry/);
    expect(await deps.fixQueue.count()).toBe(0);
    await close();
  });

  it("a triage role cannot steer; a refused command is answered once even when its job runs again", async () => {
    const { run, close } = setup();
    const { repo, pr, command } = await repoWithPr("triage-role");
    gh.setPermission(repo.fullName, "tess", "triage");
    const comment = await gh.comment({ repo: repo.fullName, issueNumber: pr, body: "/fixfleet stop", user: "tess" });
    const event = command("stop", "tess", comment.id);
    expect((await run(event)).action).toBe("refused");
    expect((await run(event)).action).toBe("refused");
    const replies = gh.comments(repo.fullName, pr).filter((c) => c.body.includes("@tess"));
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toMatch(/your permission here is `triage`/);
    await close();
  });

  it("the App's own comment is never a command", async () => {
    const { run, close } = setup();
    const { command } = await repoWithPr("own-comment");
    const result = await run(command("stop", `${gh.appSlug}[bot]`, 12345));
    expect(result).toEqual({ action: "ignored", detail: "fixfleet's own comment" });
    await close();
  });

  it("a 502 from GitHub that outlasts the client's retries is transient (BullMQ retries the job); bad data ends it", async () => {
    const { run, close } = setup();
    const { repo, command } = await repoWithPr("flaky-github");
    gh.setPermission(repo.fullName, "wren", "write");
    gh.faults.inject("GET /repos/{owner}/{repo}/collaborators/{username}/permission", { status: 502, times: 10 });
    const event = command("stop", "wren", 777);
    const failure = await run(event).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransientError);
    expect(failure).not.toBeInstanceOf(UnrecoverableError);
    gh.faults.clear();
    // The retried job then does what was asked.
    expect((await run(event)).action).toBe("stopped");
    await expect(run({ v: 1, type: "command" } as unknown as ControlJobData)).rejects.toBeInstanceOf(
      UnrecoverableError,
    );
    await close();
  });
});
