import { notFound, validationFailed } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { RouteContext, Router } from "../http/router.js";
import { botAccount, issueJson, labelJson } from "../http/serializers.js";
import { addLabels, findIssueItem, type IssueItem, removeLabel } from "../operations/index.js";

const DOCS = "https://docs.github.com/rest/issues/labels";

function target(ctx: RouteContext, anchor: string): IssueItem {
  const found = findIssueItem(ctx.state, ctx.repo, Number(ctx.params.issue_number));
  if (!found) throw notFound(`${DOCS}#${anchor}`);
  return found;
}

/**
 * `labels` as "Add labels to an issue" takes it: `{ "labels": ["a", …] }`, `{ "labels": [{ "name": "a" }] }`,
 * or (as GitHub also accepts) the bare array, which reaches a handler as a JSON array body.
 */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : (body as { labels?: unknown }).labels;
  const invalid = () =>
    validationFailed([{ resource: "Label", code: "invalid", field: "labels" }], `${DOCS}#add-labels-to-an-issue`);
  if (!Array.isArray(list)) throw invalid();
  return list.map((entry) => {
    const name = typeof entry === "string" ? entry : (entry as { name?: unknown } | null)?.name;
    if (typeof name !== "string" || name.trim() === "") throw invalid();
    return name.trim();
  });
}

/** Labels of issues and pull requests: list, add (creating unknown labels), remove one; and `GET /issues/{n}`. */
export function registerLabelRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}/issues/{issue_number}", "installation", (ctx) => {
    const found = findIssueItem(ctx.state, ctx.repo, Number(ctx.params.issue_number));
    if (!found) throw notFound("https://docs.github.com/rest/issues/issues#get-an-issue");
    return { status: 200, body: issueJson(ctx.state, ctx.repo, found.item) };
  });

  router.route("GET", "/repos/{owner}/{repo}/issues/{issue_number}/labels", "installation", (ctx) => {
    const { item } = target(ctx, "list-labels-for-an-issue");
    const { page, headers } = paginate(ctx, item.labels);
    return { status: 200, body: page.map((l) => labelJson(ctx.state, ctx.repo, l)), headers };
  });

  router.route("POST", "/repos/{owner}/{repo}/issues/{issue_number}/labels", "installation", async (ctx) => {
    const found = target(ctx, "add-labels-to-an-issue");
    const names = labelNames(ctx.rawBody ?? {});
    // Webhooks go out after the answer, as on GitHub; the fake's queue keeps their order.
    await addLabels(ctx.state, ctx.repo, found, names, botAccount(ctx.state));
    return { status: 200, body: found.item.labels.map((l) => labelJson(ctx.state, ctx.repo, l)) };
  });

  router.route("DELETE", "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}", "installation", async (ctx) => {
    const found = target(ctx, "remove-a-label-from-an-issue");
    const { removed } = await removeLabel(ctx.state, ctx.repo, found, ctx.params.name!, botAccount(ctx.state));
    if (!removed) throw notFound(`${DOCS}#remove-a-label-from-an-issue`);
    return { status: 200, body: found.item.labels.map((l) => labelJson(ctx.state, ctx.repo, l)) };
  });
}
