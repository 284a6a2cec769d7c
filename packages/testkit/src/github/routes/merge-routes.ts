import { notFound, validationFailed } from "../http/github-http-error.js";
import type { Router } from "../http/router.js";
import { botAccount } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { findPull, type MergeMethod, mergeBranch, mergePullRequest } from "../operations/index.js";
import { repoCommitJson } from "./git-json.js";

const PULL_DOCS = "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request";
const MERGES_DOCS = "https://docs.github.com/rest/branches/branches#merge-a-branch";

/** Merging a pull request and merging one branch into another, with real git; webhooks follow the answer. */
export function registerMergeRoutes(router: Router): void {
  router.route("PUT", "/repos/{owner}/{repo}/pulls/{pull_number}/merge", "installation", async (ctx) => {
    const pull = findPull(ctx.state, ctx.repo, Number(ctx.params.pull_number));
    if (!pull) throw notFound(PULL_DOCS);
    validateBody(
      ctx.body,
      "PullRequest",
      { optional: { commit_title: "string", commit_message: "string", sha: "string", merge_method: "string" } },
      PULL_DOCS,
    );
    const method = (ctx.body.merge_method as string | undefined) ?? "merge";
    if (!["merge", "squash", "rebase"].includes(method)) {
      throw validationFailed([{ resource: "PullRequest", code: "invalid", field: "merge_method" }], PULL_DOCS);
    }
    const { sha } = await mergePullRequest(ctx.state, ctx.repo, pull, {
      method: method as MergeMethod,
      user: botAccount(ctx.state),
      ...(typeof ctx.body.sha === "string" ? { sha: ctx.body.sha } : {}),
      ...(typeof ctx.body.commit_title === "string" ? { commitTitle: ctx.body.commit_title } : {}),
      ...(typeof ctx.body.commit_message === "string" ? { commitMessage: ctx.body.commit_message } : {}),
    });
    return { status: 200, body: { sha, merged: true, message: "Pull Request successfully merged" } };
  });

  router.route("POST", "/repos/{owner}/{repo}/merges", "installation", async (ctx) => {
    validateBody(
      ctx.body,
      "Merge",
      { required: { base: "string", head: "string" }, optional: { commit_message: "string" } },
      MERGES_DOCS,
    );
    const merged = await mergeBranch(ctx.state, ctx.repo, {
      base: ctx.body.base as string,
      head: ctx.body.head as string,
      user: botAccount(ctx.state),
      ...(typeof ctx.body.commit_message === "string" ? { commitMessage: ctx.body.commit_message } : {}),
    });
    if (!merged) return { status: 204 };
    const commit = (await ctx.repo.git.readCommit(merged.sha))!;
    return { status: 201, body: repoCommitJson(ctx.state, ctx.repo, commit) };
  });
}
