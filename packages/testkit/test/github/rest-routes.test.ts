import type { RequestError } from "@octokit/request-error";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGitHub, startFakeGitHub } from "../../src/github/index.js";
import { installationOctokit, type TestOctokitInstance } from "./helpers.js";

describe("fake GitHub REST routes driven by octokit", () => {
  let gh: FakeGitHub;
  let octokit: TestOctokitInstance;
  let pr: { number: number; headSha: string; baseSha: string };
  let featureSha: string;
  const repo = { owner: "acme", repo: "shop" };

  beforeAll(async () => {
    gh = await startFakeGitHub();
    await gh.createRepository({
      owner: "acme",
      name: "shop",
      files: {
        "package.json": '{"name":"shop"}\n',
        "src/cart.ts": "export const total = (a: number, b: number) => a - b;\n",
        "src/legacy.ts": "old\n",
        ".github/fixfleet.yml": "enabled: true\n",
      },
    });
    await gh.commit({
      repo: "acme/shop",
      branch: "feature/cart",
      files: { "src/cart.ts": "export const total = (a: number, b: number) => a + b;\n", "src/legacy.ts": null },
      message: "fix cart",
    });
    featureSha = await gh.commit({
      repo: "acme/shop",
      branch: "feature/cart",
      files: { "test/cart.test.ts": "// test\n" },
      message: "add test",
    });
    pr = await gh.openPullRequest({ repo: "acme/shop", head: "feature/cart", title: "Cart fix" });
    octokit = await installationOctokit(gh, "acme");
  });
  afterAll(() => gh.stop());

  it("serves the pull request, its files computed by git, and the pulls of a commit", async () => {
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: pr.number });
    expect(pull).toMatchObject({
      number: pr.number,
      state: "open",
      title: "Cart fix",
      head: { ref: "feature/cart", sha: featureSha },
      base: { ref: "main", sha: pr.baseSha },
    });
    const { data: files } = await octokit.rest.pulls.listFiles({ ...repo, pull_number: pr.number });
    const byName = Object.fromEntries(files.map((f) => [f.filename, f]));
    expect(byName["src/cart.ts"]).toMatchObject({ status: "modified", additions: 1, deletions: 1, changes: 2 });
    expect(byName["src/cart.ts"]!.patch).toContain("+export const total = (a: number, b: number) => a + b;");
    expect(byName["src/legacy.ts"]).toMatchObject({ status: "removed", deletions: 1 });
    expect(byName["test/cart.test.ts"]).toMatchObject({ status: "added", additions: 1 });
    const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: featureSha,
    });
    expect(pulls.map((p) => p.number)).toEqual([pr.number]);
    const { data: none } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      ...repo,
      commit_sha: pr.baseSha,
    });
    expect(none).toEqual([]);
  });

  it("serves contents in base64 at a ref, directories, and raw", async () => {
    const { data } = await octokit.rest.repos.getContent({ ...repo, path: "src/cart.ts", ref: "feature/cart" });
    expect(Array.isArray(data)).toBe(false);
    const file = data as { type: string; encoding: string; content: string };
    expect(file.type).toBe("file");
    expect(file.encoding).toBe("base64");
    expect(Buffer.from(file.content, "base64").toString("utf8")).toContain("a + b");
    const { data: onMain } = await octokit.rest.repos.getContent({ ...repo, path: ".github/fixfleet.yml" });
    expect(Buffer.from((onMain as { content: string }).content, "base64").toString()).toBe("enabled: true\n");
    const { data: dir } = await octokit.rest.repos.getContent({ ...repo, path: "src" });
    expect((dir as Array<{ name: string; type: string }>).map((e) => [e.name, e.type])).toEqual([
      ["cart.ts", "file"],
      ["legacy.ts", "file"],
    ]);
    const raw = await octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
      ...repo,
      path: "package.json",
      mediaType: { format: "raw" },
    });
    expect(raw.data).toBe('{"name":"shop"}\n');
    const missing = await octokit.rest.repos.getContent({ ...repo, path: "nope.txt" }).catch((e: RequestError) => e);
    expect((missing as RequestError).status).toBe(404);
    const badRef = await octokit.rest.repos
      .getContent({ ...repo, path: "package.json", ref: "no-such-branch" })
      .catch((e: RequestError) => e);
    expect((badRef as RequestError).response?.data).toMatchObject({
      message: "No commit found for the ref no-such-branch",
    });
  });

  it("lists issue comments page by page with Link headers, through octokit.paginate", async () => {
    for (let i = 1; i <= 7; i++) {
      await octokit.rest.issues.createComment({ ...repo, issue_number: pr.number, body: `comment ${i}` });
    }
    const first = await octokit.rest.issues.listComments({ ...repo, issue_number: pr.number, per_page: 3 });
    expect(first.data).toHaveLength(3);
    expect(first.headers.link).toContain('rel="next"');
    expect(first.headers.link).toContain('rel="last"');
    const all = await octokit.paginate(octokit.rest.issues.listComments, {
      ...repo,
      issue_number: pr.number,
      per_page: 3,
    });
    expect(all.map((c) => c.body)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `comment ${i}`));
    expect(gh.callsTo("GET /repos/{owner}/{repo}/issues/{issue_number}/comments").length).toBe(4);

    const mine = all[0]!;
    expect(mine.user?.login).toBe(`${gh.appSlug}[bot]`);
    expect(mine.performed_via_github_app?.id).toBe(gh.appId);
    const { data: edited } = await octokit.rest.issues.updateComment({ ...repo, comment_id: mine.id, body: "edited" });
    expect(edited.body).toBe("edited");
    expect(gh.comments("acme/shop", pr.number)[0]!.body).toBe("edited");
  });

  it("serves workflow runs, jobs, and job logs through a redirect to a plain-text blob", async () => {
    const run = gh.addWorkflowRun({
      repo: "acme/shop",
      headSha: featureSha,
      headBranch: "feature/cart",
      pullRequests: [pr.number],
      jobs: [
        { name: "lint", conclusion: "success" },
        {
          name: "test (packages/api)",
          conclusion: "failure",
          steps: [
            { name: "Set up job", conclusion: "success" },
            { name: "npm test", conclusion: "failure" },
          ],
          log: "2026-01-01T00:00:00.0000000Z FAIL src/cart.test.ts\n##[error]Process completed with exit code 1.\n",
        },
      ],
    });
    const { data: got } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id });
    expect(got).toMatchObject({ id: run.id, conclusion: "failure", head_sha: featureSha, run_attempt: 1 });
    expect(got.pull_requests?.[0]).toMatchObject({ number: pr.number, head: { sha: featureSha } });
    const { data: runs } = await octokit.rest.actions.listWorkflowRunsForRepo({ ...repo, head_sha: featureSha });
    expect(runs.total_count).toBe(1);
    const { data: jobs } = await octokit.rest.actions.listJobsForWorkflowRun({ ...repo, run_id: run.id });
    const failed = jobs.jobs.find((j) => j.conclusion === "failure")!;
    expect(failed.steps?.map((s) => [s.number, s.name, s.conclusion])).toEqual([
      [1, "Set up job", "success"],
      [2, "npm test", "failure"],
    ]);
    const logs = await octokit.rest.actions.downloadJobLogsForWorkflowRun({ ...repo, job_id: failed.id });
    expect(String(logs.data)).toContain("##[error]Process completed with exit code 1.");
    const logCall = gh.callsTo("GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs").at(-1)!;
    expect(logCall.status).toBe(302);

    const { status } = await octokit.rest.actions.reRunWorkflowFailedJobs({ ...repo, run_id: run.id });
    expect(status).toBe(201);
    expect(gh.reruns("acme/shop")).toMatchObject([{ runId: run.id, kind: "rerun-failed-jobs" }]);
    const { data: again } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: run.id });
    expect(again).toMatchObject({ run_attempt: 2, status: "queued", conclusion: null });
    const { data: first } = await octokit.rest.actions.listJobsForWorkflowRunAttempt({
      ...repo,
      run_id: run.id,
      attempt_number: 1,
    });
    expect(first.jobs.map((j) => j.conclusion)).toEqual(["success", "failure"]);
    const { data: second } = await octokit.rest.actions.listJobsForWorkflowRunAttempt({
      ...repo,
      run_id: run.id,
      attempt_number: 2,
    });
    // Only the failed job runs again; the passed one is carried into the new attempt.
    expect(second.jobs.map((j) => [j.name, j.status])).toEqual([
      ["lint", "completed"],
      ["test (packages/api)", "queued"],
    ]);
  });

  it("creates and updates check runs with annotations", async () => {
    const { data: created } = await octokit.rest.checks.create({
      ...repo,
      name: "fixfleet",
      head_sha: featureSha,
      status: "in_progress",
    });
    expect(created).toMatchObject({ status: "in_progress", conclusion: null, name: "fixfleet" });
    await octokit.rest.checks.update({
      ...repo,
      check_run_id: Number(created.id),
      conclusion: "failure",
      output: {
        title: "1 failure",
        summary: "tests failed",
        annotations: [
          { path: "src/cart.ts", start_line: 1, end_line: 1, annotation_level: "failure", message: "wrong sign" },
        ],
      },
    });
    const { data: annotations } = await octokit.rest.checks.listAnnotations({
      ...repo,
      check_run_id: Number(created.id),
    });
    expect(annotations).toMatchObject([{ path: "src/cart.ts", message: "wrong sign", annotation_level: "failure" }]);
    const { data: forRef } = await octokit.rest.checks.listForRef({ ...repo, ref: "feature/cart" });
    expect(forRef.check_runs).toMatchObject([{ id: created.id, status: "completed", conclusion: "failure" }]);
    expect(gh.checkRuns("acme/shop")[0]).toMatchObject({
      status: "completed",
      annotations: [{ message: "wrong sign" }],
    });
    const { data: rerun } = await octokit.rest.checks.create({ ...repo, name: "fixfleet", head_sha: featureSha });
    const { data: latest } = await octokit.rest.checks.listForRef({ ...repo, ref: featureSha });
    expect(latest.check_runs.map((r) => r.id)).toEqual([rerun.id]);
    const { data: all } = await octokit.rest.checks.listForRef({ ...repo, ref: featureSha, filter: "all" });
    expect(all.total_count).toBe(2);
  });

  it("accepts repository_dispatch and answers collaborator permissions", async () => {
    const { status } = await octokit.rest.repos.createDispatchEvent({
      ...repo,
      event_type: "fixfleet",
      client_payload: { v: 1, run_id: 1, sha: featureSha },
    });
    expect(status).toBe(204);
    expect(gh.dispatches("acme/shop")).toMatchObject([{ eventType: "fixfleet", clientPayload: { v: 1 } }]);

    gh.setPermission("acme/shop", "maintainer-mia", "maintain");
    const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({ ...repo, username: "maintainer-mia" });
    expect(data).toMatchObject({ permission: "write", role_name: "maintain", user: { login: "maintainer-mia" } });
    const unknown = await octokit.rest.repos
      .getCollaboratorPermissionLevel({ ...repo, username: "nobody-here" })
      .catch((e: RequestError) => e);
    expect((unknown as RequestError).status).toBe(404);
  });

  it("reads branches and commits, with slashes in branch names", async () => {
    const { data: branch } = await octokit.rest.repos.getBranch({ ...repo, branch: "feature/cart" });
    expect(branch.commit.sha).toBe(featureSha);
    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: "heads/feature/cart" });
    expect(ref.object.sha).toBe(featureSha);
    const { data: matching } = await octokit.rest.git.listMatchingRefs({ ...repo, ref: "heads/feature" });
    expect(matching.map((r) => r.ref)).toEqual(["refs/heads/feature/cart"]);
    const { data: commit } = await octokit.rest.repos.getCommit({ ...repo, ref: featureSha });
    expect(commit.commit.message).toBe("add test");
    expect(commit.files?.map((f) => f.filename)).toEqual(["test/cart.test.ts"]);
    const { data: tree } = await octokit.rest.git.getTree({ ...repo, tree_sha: "feature/cart", recursive: "1" });
    expect(tree.tree.map((e) => e.path)).toContain("test/cart.test.ts");
    expect(tree.tree.find((e) => e.path === "src")?.type).toBe("tree");
  });

  it("comments on plain issues too, and 404s an issue number that does not exist", async () => {
    const issue = gh.openIssue({ repo: "acme/shop", title: "flaky test" });
    expect(issue.number).toBe(pr.number + 1);
    await octokit.rest.issues.createComment({ ...repo, issue_number: issue.number, body: "on an issue" });
    expect(gh.comments("acme/shop", issue.number).map((c) => c.body)).toEqual(["on an issue"]);
    const missing = await octokit.rest.issues
      .createComment({ ...repo, issue_number: 999, body: "nowhere" })
      .catch((e: RequestError) => e);
    expect((missing as RequestError).status).toBe(404);
  });

  it("serves a pull request from a fork: head repo and label are the fork's, files and commit lookups work", async () => {
    const fork = await gh.createRepository({ owner: "contributor", name: "shop", forkOf: "acme/shop" });
    expect(fork.headSha).toBe(pr.baseSha);
    const sha = await gh.commit({ repo: "contributor/shop", branch: "patch-1", files: { "src/cart.ts": "// fork\n" } });
    const forkPr = await gh.openPullRequest({ repo: "acme/shop", head: "patch-1", headRepo: "contributor/shop" });
    const { data: pull } = await octokit.rest.pulls.get({ ...repo, pull_number: forkPr.number });
    expect(pull.head).toMatchObject({
      label: "contributor:patch-1",
      sha,
      repo: { full_name: "contributor/shop", fork: true },
    });
    expect(pull.base.repo.full_name).toBe("acme/shop");
    const { data: files } = await octokit.rest.pulls.listFiles({ ...repo, pull_number: forkPr.number });
    expect(files.map((f) => [f.filename, f.status])).toEqual([["src/cart.ts", "modified"]]);
    const { data: pulls } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({ ...repo, commit_sha: sha });
    expect(pulls.map((p) => p.number)).toEqual([forkPr.number]);
    const { data: listed } = await octokit.rest.pulls.list({ ...repo, head: "contributor:patch-1" });
    expect(listed.map((p) => p.number)).toEqual([forkPr.number]);

    // A later push to the fork moves the pull request's head, mirrored as refs/pull/N/head.
    const next = await gh.commit({ repo: "contributor/shop", branch: "patch-1", files: { "NOTES.md": "n\n" } });
    const { data: moved } = await octokit.rest.pulls.get({ ...repo, pull_number: forkPr.number });
    expect(moved.head.sha).toBe(next);
    const { data: ref } = await octokit.rest.git.getRef({ ...repo, ref: `pull/${forkPr.number}/head` });
    expect(ref.object.sha).toBe(next);
    const { data: full } = await octokit.rest.repos
      .get({ owner: "contributor", repo: "shop" })
      .catch(() => ({ data: null }));
    expect(full).toBeNull(); // the App is installed on acme, not on the contributor's account: their token cannot see it
  });
  it("creates a pull request as the App, and refuses one without a title or for a missing branch as GitHub does", async () => {
    await gh.commit({
      repo: "acme/shop",
      branch: "fixfleet/pr-1",
      files: { "src/cart.ts": "// fixed\n" },
      from: "feature/cart",
    });
    const created = await octokit.rest.pulls.create({
      ...repo,
      head: "fixfleet/pr-1",
      base: "feature/cart",
      title: "Fix",
    });
    expect(created.status).toBe(201);
    expect(created.data).toMatchObject({
      head: { ref: "fixfleet/pr-1" },
      base: { ref: "feature/cart" },
      state: "open",
    });
    expect(created.data.user?.login).toMatch(/\[bot\]$/);
    const missing = await octokit
      .request("POST /repos/{owner}/{repo}/pulls", { ...repo, head: "fixfleet/pr-1", base: "main" } as never)
      .catch((e: RequestError) => e);
    expect(missing).toMatchObject({ status: 422 });
    const again = await octokit.rest.pulls
      .create({ ...repo, head: "fixfleet/pr-1", base: "feature/cart", title: "Fix" })
      .catch((e: RequestError) => e);
    expect(again).toMatchObject({ status: 422 });
    const noBranch = await octokit.rest.pulls
      .create({ ...repo, head: "nope", base: "main", title: "x" })
      .catch((e: RequestError) => e);
    expect(noBranch).toMatchObject({ status: 422 });
  });
});
