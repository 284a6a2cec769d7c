import { notFound } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { RouteContext, Router } from "../http/router.js";
import { botAccount, commentJson } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { createComment, findIssueItem } from "../operations/index.js";
import type { Account, IssueComment } from "../state.js";

const DOCS = "https://docs.github.com/rest/issues/comments";

/** Who a request acts as: installation tokens act as the App's bot user. */
function actor(ctx: RouteContext): Account {
  return botAccount(ctx.state);
}

/** Pull requests are issues too: comments go to either, by their shared number. */
function issueExists(ctx: RouteContext, number: number): boolean {
  return findIssueItem(ctx.state, ctx.repo, number) !== undefined;
}

export function findComment(ctx: RouteContext): IssueComment {
  const id = Number(ctx.params.comment_id);
  const comment = ctx.state.comments.find((c) => c.id === id && c.repo === ctx.repo.fullName);
  if (!comment) throw notFound(`${DOCS}#get-an-issue-comment`);
  return comment;
}

/** Issue (and pull request) comments: list with pagination, create, get, update, delete. */
export function registerCommentRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "installation", (ctx) => {
    const number = Number(ctx.params.issue_number);
    if (!issueExists(ctx, number)) throw notFound(`${DOCS}#list-issue-comments`);
    let comments = ctx.state.comments.filter((c) => c.repo === ctx.repo.fullName && c.issueNumber === number);
    if (ctx.query.since) {
      const since = Date.parse(ctx.query.since);
      comments = comments.filter((c) => c.updatedAt >= since);
    }
    const { page, headers } = paginate(ctx, comments);
    return { status: 200, body: page.map((c) => commentJson(ctx.state, c)), headers };
  });

  router.route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments", "installation", (ctx) => {
    const target = findIssueItem(ctx.state, ctx.repo, Number(ctx.params.issue_number));
    if (!target) throw notFound(`${DOCS}#create-an-issue-comment`);
    validateBody(ctx.body, "IssueComment", { required: { body: "string" } }, `${DOCS}#create-an-issue-comment`);
    // GitHub answers before it delivers the webhook (the App's own comment included).
    const { comment } = createComment(ctx.state, ctx.repo, target, ctx.body.body as string, actor(ctx));
    const json = commentJson(ctx.state, comment);
    return { status: 201, body: json, headers: { location: json.url } };
  });

  router.route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "installation", (ctx) => ({
    status: 200,
    body: commentJson(ctx.state, findComment(ctx)),
  }));

  router.route("PATCH", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "installation", (ctx) => {
    const comment = findComment(ctx);
    validateBody(ctx.body, "IssueComment", { required: { body: "string" } }, `${DOCS}#update-an-issue-comment`);
    comment.body = ctx.body.body as string;
    comment.updatedAt = ctx.state.now();
    return { status: 200, body: commentJson(ctx.state, comment) };
  });

  router.route("DELETE", "/repos/{owner}/{repo}/issues/comments/{comment_id}", "installation", (ctx) => {
    const comment = findComment(ctx);
    ctx.state.comments.splice(ctx.state.comments.indexOf(comment), 1);
    ctx.state.reactions = ctx.state.reactions.filter((r) => r.commentId !== comment.id);
    return { status: 204 };
  });
}
