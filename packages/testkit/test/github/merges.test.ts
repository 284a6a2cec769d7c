import type { RequestError } from "@octokit/request-error";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { webhookExample, webhookExamples } from "../../src/webhooks/index.js";
import { git, installationOctokit, missingKeys, startWebhookReceiver, type TestOctokitInstance } from "./helpers.js";

const SECRET = "merge-s3cret";

describe("fake GitHub merges with real git and tells the App", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const repo = { owner: "acme", repo: "shop" };
  let branchNo = 0;

  /** A branch with one or two commits off main, and its pull request. */
  async function proposal(files: Array<Record<string, string>>, title = "Proposal") {
    branchNo += 1;
    const branch = `change-${branchNo}`;
    let headSha = "";
    for (const [i, change] of files.entries()) {
      headSha = await gh.commit({ repo: "acme/shop", branch, files: change, message: `step ${i + 1} of ${branch}` });
    }
    const pr = await gh.openPullRequest({ repo: "acme/shop", head: branch, title, user: "bob" });
    return { ...pr, headSha, branch };
  }

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gh = await startFakeGitHub({ webhook: { url: receiver.url, secret: SECRET } });
    await gh.createRepository({ owner: "acme", name: "shop", files: { "README.md": "shop\n", "app.txt": "v1\n" } });
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(async () => {
    await gh.stop();
    await receiver.stop();
  });

  it("a user's merge writes a two-parent merge commit with the merged tree, then delivers push and pull_request closed", async () => {
    const pr = await proposal([{ "fix.txt": "fixed\n" }], "Fix the thing");
    const mainBefore = (await gh.branches("acme/shop")).main!;
    await gh.commit({ repo: "acme/shop", branch: "main", files: { "other.txt": "meanwhile\n" }, message: "meanwhile" });
    const baseBefore = (await gh.branches("acme/shop")).main!;
    expect(baseBefore).not.toBe(mainBefore);
    const sent = receiver.received.length;

    const { sha, deliveries } = await gh.mergePullRequest({ repo: "acme/shop", number: pr.number, user: "alice" });
    expect((await gh.branches("acme/shop")).main).toBe(sha);
    expect(await gh.readFile("acme/shop", "main", "fix.txt")).toBe("fixed\n");
    expect(await gh.readFile("acme/shop", "main", "other.txt")).toBe("meanwhile\n");
    const { data: commit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
    expect(commit.parents.map((p) => p.sha)).toEqual([baseBefore, pr.headSha]);
    expect(commit.message).toBe(`Merge pull request #${pr.number} from acme/${pr.branch}\n\nFix the thing`);
    expect(commit.committer.name).toBe("GitHub");

    expect(deliveries.map((d) => [d.event, d.action])).toEqual([
      ["push", null],
      ["pull_request", "closed"],
    ]);
    expect(receiver.received.slice(sent).map((r) => r.headers["x-github-event"])).toEqual(["push", "pull_request"]);
    for (const hook of receiver.received.slice(sent)) {
      expect(await verify(SECRET, hook.body, hook.headers["x-hub-signature-256"]!)).toBe(true);
    }
    const push = deliveries[0]!.payload;
    expect(push).toMatchObject({
      ref: "refs/heads/main",
      before: baseBefore,
      after: sha,
      created: false,
      deleted: false,
      forced: false,
      head_commit: { id: sha, distinct: true },
      pusher: { name: "alice" },
      sender: { login: "alice" },
    });
    // The pull request's own commit was already in the repository; the merge commit is new.
    expect(push.commits.map((c: { id: string; distinct: boolean }) => [c.id, c.distinct])).toEqual([
      [pr.headSha, false],
      [sha, true],
    ]);
    expect(push.commits[0]).toMatchObject({ message: `step 1 of ${pr.branch}`, added: ["fix.txt"] });
    const pushExample = webhookExamples("push").find((e) => e.commits.length > 0 && e.installation);
    expect(missingKeys(pushExample, push)).toEqual([]);
    expect(missingKeys(pushExample.commits[0], push.commits[0])).toEqual([]);
    expect(missingKeys(pushExample.head_commit, push.head_commit)).toEqual([]);

    const closed = deliveries[1]!.payload;
    expect(closed).toMatchObject({
      action: "closed",
      number: pr.number,
      pull_request: {
        number: pr.number,
        state: "closed",
        merged: true,
        merge_commit_sha: sha,
        merged_by: { login: "alice" },
        head: { ref: pr.branch, sha: pr.headSha },
        base: { ref: "main", sha: baseBefore },
        commits: 1,
        changed_files: 1,
      },
    });
    expect(closed.pull_request.merged_at).toEqual(expect.any(String));
    expect(closed.pull_request.closed_at).toEqual(closed.pull_request.merged_at);
    const closedExample = webhookExample("pull_request", { action: "closed" });
    expect(missingKeys(closedExample, closed)).toEqual([]);
    expect(missingKeys(closedExample.pull_request, closed.pull_request)).toEqual([]);
    expect(missingKeys(closedExample.pull_request.head, closed.pull_request.head)).toEqual([]);

    // Everywhere pulls are serialized.
    const { data: got } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(got).toMatchObject({ state: "closed", merged: true, merge_commit_sha: sha, mergeable: null });
    const { data: list } = await octokit.rest.pulls.list({ ...repo, state: "closed" });
    expect(list.find((p) => p.number === pr.number)).toMatchObject({ merged_at: got.merged_at, merge_commit_sha: sha });
    const { data: issue } = await octokit.rest.issues.get({ ...repo, issue_number: pr.number });
    expect(issue.pull_request?.merged_at).toBe(got.merged_at);
    // Merging again: 405.
    const again = await octokit.rest.pulls.merge({ ...repo, pull_number: pr.number }).catch((e: RequestError) => e);
    expect((again as RequestError).status).toBe(405);
  });

  it("REST merge: squash lists the commits, 409 on a stale sha, 405 on conflict, and a clone sees the result", async () => {
    const pr = await proposal([{ "s1.txt": "1\n" }, { "s2.txt": "2\n" }], "Squash me");
    const stale = await octokit.rest.pulls
      .merge({ ...repo, pull_number: pr.number, sha: pr.baseSha })
      .catch((e: RequestError) => e);
    expect((stale as RequestError).status).toBe(409);
    const { data: open } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(open).toMatchObject({ mergeable: true, mergeable_state: "clean", merged: false, merged_at: null });
    const base = (await gh.branches("acme/shop")).main!;
    const { data } = await octokit.rest.pulls.merge({
      ...repo,
      pull_number: pr.number,
      sha: pr.headSha,
      merge_method: "squash",
    });
    expect(data).toMatchObject({ merged: true, message: "Pull Request successfully merged" });
    const { data: commit } = await octokit.rest.git.getCommit({ ...repo, commit_sha: data.sha });
    expect(commit.parents.map((p) => p.sha)).toEqual([base]);
    expect(commit.message).toBe(`Squash me (#${pr.number})\n\n* step 1 of ${pr.branch}\n\n* step 2 of ${pr.branch}`);
    await gh.webhooksSettled();
    const last = gh.deliveries.slice(-2);
    expect(last.map((d) => [d.event, d.action, d.payload.sender.login])).toEqual([
      ["push", null, `${gh.appSlug}[bot]`],
      ["pull_request", "closed", `${gh.appSlug}[bot]`],
    ]);

    // Conflict: both sides change app.txt.
    const conflicting = await proposal([{ "app.txt": "theirs\n" }]);
    await gh.commit({ repo: "acme/shop", branch: "main", files: { "app.txt": "ours\n" } });
    const { data: dirty } = await octokit.rest.pulls.get({ ...repo, pull_number: conflicting.number });
    expect(dirty).toMatchObject({ mergeable: false, mergeable_state: "dirty" });
    const refused = await octokit.rest.pulls
      .merge({ ...repo, pull_number: conflicting.number })
      .catch((e: RequestError) => e);
    expect((refused as RequestError).status).toBe(405);
    const badMethod = await octokit.rest.pulls
      .merge({ ...repo, pull_number: conflicting.number, merge_method: "octopus" as "merge" })
      .catch((e: RequestError) => e);
    expect((badMethod as RequestError).status).toBe(422);

    const { path, remove } = await import("./helpers.js").then((h) => h.tempDir());
    try {
      const { token } = gh.createInstallationToken("acme");
      await git(path, "clone", "--quiet", gh.cloneUrlWithToken("acme/shop", token), "clone");
      expect(await git(`${path}/clone`, "rev-parse", "HEAD")).toBe((await gh.branches("acme/shop")).main);
      expect(await git(`${path}/clone`, "show", "HEAD~1:s2.txt")).toBe("2");
    } finally {
      await remove();
    }
  });

  it("rebase replays each commit on the base", async () => {
    const pr = await proposal([{ "r1.txt": "1\n" }, { "r2.txt": "2\n" }]);
    await gh.commit({ repo: "acme/shop", branch: "main", files: { "moved.txt": "base moved\n" } });
    const base = (await gh.branches("acme/shop")).main!;
    const { sha } = await gh.mergePullRequest({
      repo: "acme/shop",
      number: pr.number,
      user: "alice",
      method: "rebase",
    });
    const { data: top } = await octokit.rest.git.getCommit({ ...repo, commit_sha: sha });
    expect(top.message).toBe(`step 2 of ${pr.branch}`);
    const { data: first } = await octokit.rest.git.getCommit({ ...repo, commit_sha: top.parents[0]!.sha });
    expect(first.message).toBe(`step 1 of ${pr.branch}`);
    expect(first.parents[0]!.sha).toBe(base);
    expect((await gh.listFiles("acme/shop", "main")).sort()).toEqual(
      expect.arrayContaining(["r1.txt", "r2.txt", "moved.txt"]),
    );
  });

  it("closing unmerged delivers pull_request closed with merged false and leaves the base alone", async () => {
    const pr = await proposal([{ "nope.txt": "no\n" }]);
    const base = (await gh.branches("acme/shop")).main;
    const { deliveries } = await gh.closePullRequest({ repo: "acme/shop", number: pr.number, user: "alice" });
    expect((await gh.branches("acme/shop")).main).toBe(base);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.payload).toMatchObject({
      action: "closed",
      pull_request: {
        state: "closed",
        merged: false,
        merged_at: null,
        merge_commit_sha: null,
        head: { sha: pr.headSha },
      },
      sender: { login: "alice" },
    });
    const { data } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(data.closed_at).toEqual(expect.any(String));
    expect(data.merged).toBe(false);
  });

  it("POST /merges: 201 with the merge commit, 204 when merged already, 409 on conflict, 404 for a missing base or head", async () => {
    await gh.commit({ repo: "acme/shop", branch: "feature-x", files: { "x.txt": "x\n" }, message: "x" });
    const { data, status } = await octokit.rest.repos.merge({ ...repo, base: "main", head: "feature-x" });
    expect(status).toBe(201);
    expect(data.commit.message).toBe("Merge feature-x into main");
    expect(data.parents).toHaveLength(2);
    expect((await gh.branches("acme/shop")).main).toBe(data.sha);
    expect(await gh.readFile("acme/shop", "main", "x.txt")).toBe("x\n");
    await gh.webhooksSettled();
    expect(gh.deliveries.at(-1)).toMatchObject({ event: "push", payload: { ref: "refs/heads/main", after: data.sha } });

    expect((await octokit.rest.repos.merge({ ...repo, base: "main", head: "feature-x" })).status).toBe(204);
    const merged = data.parents[0]!.sha;
    await gh.commit({ repo: "acme/shop", branch: "clash", files: { "app.txt": "clash\n" }, from: merged });
    await gh.commit({ repo: "acme/shop", branch: "main", files: { "app.txt": "main side\n" } });
    const conflict = await octokit.rest.repos.merge({ ...repo, base: "main", head: "clash" }).catch((e) => e);
    expect((conflict as RequestError).status).toBe(409);
    const noBase = await octokit.rest.repos.merge({ ...repo, base: "nope", head: "clash" }).catch((e) => e);
    expect((noBase as RequestError).status).toBe(404);
    expect((noBase as RequestError).message).toContain("Base does not exist");
    const noHead = await octokit.rest.repos.merge({ ...repo, base: "main", head: "nope" }).catch((e) => e);
    expect((noHead as RequestError).status).toBe(404);
  });

  it("a seeding commit is a push by the given user, and synchronizes an open pull request on that branch", async () => {
    const pr = await proposal([{ "sync.txt": "1\n" }]);
    const sent = gh.deliveries.length;
    const sha = await gh.commit({ repo: "acme/shop", branch: pr.branch, files: { "sync.txt": "2\n" }, user: "alice" });
    const fresh = gh.deliveries.slice(sent);
    expect(fresh.map((d) => [d.event, d.action])).toEqual([
      ["push", null],
      ["pull_request", "synchronize"],
    ]);
    expect(fresh[0]!.payload).toMatchObject({
      ref: `refs/heads/${pr.branch}`,
      before: pr.headSha,
      after: sha,
      commits: [{ id: sha, distinct: true, modified: ["sync.txt"] }],
      pusher: { name: "alice" },
      sender: { login: "alice" },
    });
    expect(fresh[1]!.payload).toMatchObject({ before: pr.headSha, after: sha, pull_request: { head: { sha } } });
    const created = await gh.commit({ repo: "acme/shop", branch: "brand-new", files: { "n.txt": "n\n" } });
    expect(gh.deliveries.at(-1)!.payload).toMatchObject({
      created: true,
      before: "0".repeat(40),
      after: created,
      commits: [{ id: created }],
      sender: { login: "acme" },
    });
  });
});
