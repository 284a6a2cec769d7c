import { notFound, validationFailed } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { Router } from "../http/router.js";
import { botAccount, REACTION_CONTENTS, reactionJson } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { react } from "../operations/index.js";
import type { ReactionContent } from "../state.js";
import { findComment } from "./comment-routes.js";

const DOCS = "https://docs.github.com/rest/reactions/reactions";

const isContent = (value: unknown): value is ReactionContent =>
  typeof value === "string" && (REACTION_CONTENTS as readonly string[]).includes(value);

/** Reactions to issue comments: list (filter by `content`), create (201, or 200 when already there), delete. */
export function registerReactionRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", "installation", (ctx) => {
    const comment = findComment(ctx);
    const wanted = ctx.query.content;
    if (wanted !== undefined && !isContent(wanted)) {
      throw validationFailed(
        [{ resource: "Reaction", code: "invalid", field: "content" }],
        `${DOCS}#list-reactions-for-an-issue-comment`,
      );
    }
    const reactions = ctx.state.reactions.filter(
      (r) => r.commentId === comment.id && (wanted === undefined || r.content === wanted),
    );
    const { page, headers } = paginate(ctx, reactions);
    return { status: 200, body: page.map((r) => reactionJson(ctx.state, r)), headers };
  });

  router.route("POST", "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions", "installation", (ctx) => {
    const comment = findComment(ctx);
    const docs = `${DOCS}#create-reaction-for-an-issue-comment`;
    validateBody(ctx.body, "Reaction", { required: { content: "string" } }, docs);
    if (!isContent(ctx.body.content)) {
      throw validationFailed([{ resource: "Reaction", code: "invalid", field: "content" }], docs);
    }
    const { reaction, created } = react(ctx.state, comment, ctx.body.content, botAccount(ctx.state));
    return { status: created ? 201 : 200, body: reactionJson(ctx.state, reaction) };
  });

  router.route(
    "DELETE",
    "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}",
    "installation",
    (ctx) => {
      const comment = findComment(ctx);
      const id = Number(ctx.params.reaction_id);
      const index = ctx.state.reactions.findIndex((r) => r.id === id && r.commentId === comment.id);
      if (index === -1) throw notFound(`${DOCS}#delete-an-issue-comment-reaction`);
      ctx.state.reactions.splice(index, 1);
      return { status: 204 };
    },
  );
}
