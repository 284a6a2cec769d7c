import { GitHubHttpError, notFound, type ValidationError, validationFailed } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { RouteContext, Router } from "../http/router.js";
import { checkRunJson } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import type { CheckAnnotation, CheckRun } from "../state.js";

const DOCS = "https://docs.github.com/rest/checks/runs";
const STATUSES = ["queued", "in_progress", "completed", "waiting", "requested", "pending"];
const CONCLUSIONS = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];
const LEVELS = ["notice", "warning", "failure"];
const MAX_ANNOTATIONS_PER_REQUEST = 50;

function parseTime(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

/** Applies the writable fields of a create/update body, with GitHub's rules on status and conclusion. */
function applyFields(ctx: RouteContext, run: CheckRun, docs: string): void {
  const body = ctx.body;
  validateBody(
    body,
    "CheckRun",
    {
      optional: {
        name: "string",
        status: "string",
        conclusion: "string",
        details_url: "string",
        external_id: "string",
        started_at: "string",
        completed_at: "string",
        output: "object",
        actions: "array",
      },
    },
    docs,
  );
  if (body.status !== undefined && !STATUSES.includes(body.status as string)) {
    throw validationFailed([{ resource: "CheckRun", code: "invalid", field: "status" }], docs);
  }
  if (body.conclusion !== undefined && !CONCLUSIONS.includes(body.conclusion as string)) {
    throw validationFailed([{ resource: "CheckRun", code: "invalid", field: "conclusion" }], docs);
  }
  if (typeof body.name === "string") run.name = body.name;
  if (typeof body.details_url === "string") run.detailsUrl = body.details_url;
  if (typeof body.external_id === "string") run.externalId = body.external_id;
  if (body.started_at !== undefined) run.startedAt = parseTime(body.started_at);
  if (typeof body.status === "string") run.status = body.status;
  if (typeof body.conclusion === "string") {
    // Providing a conclusion completes the run, as GitHub documents.
    run.conclusion = body.conclusion;
    run.status = "completed";
  }
  if (body.completed_at !== undefined) {
    run.completedAt = parseTime(body.completed_at);
    if (!run.conclusion) {
      throw validationFailed([{ resource: "CheckRun", code: "missing_field", field: "conclusion" }], docs);
    }
    run.status = "completed";
  }
  if (run.status === "completed" && !run.conclusion) {
    throw validationFailed([{ resource: "CheckRun", code: "missing_field", field: "conclusion" }], docs);
  }
  if (run.status === "completed" && run.completedAt === null) run.completedAt = ctx.state.now();
  if (body.output !== undefined) {
    const output = body.output as Record<string, unknown>;
    validateBody(
      output,
      "CheckRun",
      { required: { title: "string", summary: "string" }, optional: { text: "string", annotations: "array" } },
      docs,
    );
    run.output = {
      title: output.title as string,
      summary: output.summary as string,
      text: (output.text as string) ?? null,
    };
    const annotations = (output.annotations as unknown[] | undefined) ?? [];
    if (annotations.length > MAX_ANNOTATIONS_PER_REQUEST) {
      throw new GitHubHttpError(422, "Invalid request.\n\nOnly 50 annotations are allowed per request.", {
        documentationUrl: docs,
      });
    }
    run.annotations.push(...annotations.map((a) => checkAnnotation(a, docs)));
  }
  if (Array.isArray(body.actions)) run.actions = body.actions;
}

function checkAnnotation(input: unknown, docs: string): CheckAnnotation {
  const errors: ValidationError[] = [];
  const a = (input ?? {}) as Record<string, unknown>;
  for (const field of ["path", "message", "annotation_level"]) {
    if (typeof a[field] !== "string")
      errors.push({ resource: "CheckRun", code: "missing_field", field: `annotations.${field}` });
  }
  for (const field of ["start_line", "end_line"]) {
    if (typeof a[field] !== "number")
      errors.push({ resource: "CheckRun", code: "missing_field", field: `annotations.${field}` });
  }
  if (typeof a.annotation_level === "string" && !LEVELS.includes(a.annotation_level)) {
    errors.push({ resource: "CheckRun", code: "invalid", field: "annotations.annotation_level" });
  }
  if (errors.length > 0) throw validationFailed(errors, docs);
  return a as unknown as CheckAnnotation;
}

function findCheckRun(ctx: RouteContext): CheckRun {
  const id = Number(ctx.params.check_run_id);
  const run = ctx.state.checkRuns.find((r) => r.id === id && r.repo === ctx.repo.fullName);
  if (!run) throw notFound(`${DOCS}#get-a-check-run`);
  return run;
}

/** Check runs and their annotations. */
export function registerCheckRoutes(router: Router): void {
  router.route("POST", "/repos/{owner}/{repo}/check-runs", "installation", async (ctx) => {
    const docs = `${DOCS}#create-a-check-run`;
    validateBody(ctx.body, "CheckRun", { required: { name: "string", head_sha: "string" } }, docs);
    const headSha = await ctx.repo.git.resolveCommit(ctx.body.head_sha as string);
    if (!headSha || headSha !== ctx.body.head_sha) {
      throw validationFailed([{ resource: "CheckRun", code: "invalid", field: "head_sha" }], docs);
    }
    const run: CheckRun = {
      id: ctx.state.nextId(),
      repo: ctx.repo.fullName,
      name: ctx.body.name as string,
      headSha,
      status: "queued",
      conclusion: null,
      externalId: null,
      detailsUrl: null,
      startedAt: ctx.state.now(),
      completedAt: null,
      output: { title: null, summary: null, text: null },
      annotations: [],
      actions: [],
    };
    applyFields(ctx, run, docs);
    ctx.state.checkRuns.push(run);
    return { status: 201, body: checkRunJson(ctx.state, ctx.repo, run) };
  });

  router.route("PATCH", "/repos/{owner}/{repo}/check-runs/{check_run_id}", "installation", (ctx) => {
    const run = findCheckRun(ctx);
    const copy: CheckRun = { ...run, output: { ...run.output }, annotations: [...run.annotations] };
    applyFields(ctx, copy, `${DOCS}#update-a-check-run`);
    Object.assign(run, copy);
    return { status: 200, body: checkRunJson(ctx.state, ctx.repo, run) };
  });

  router.route("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}", "installation", (ctx) => ({
    status: 200,
    body: checkRunJson(ctx.state, ctx.repo, findCheckRun(ctx)),
  }));

  router.route("GET", "/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", "installation", (ctx) => {
    const run = findCheckRun(ctx);
    const { page, headers } = paginate(ctx, run.annotations);
    return {
      status: 200,
      headers,
      body: page.map((a) => ({
        path: a.path,
        blob_href: `https://github.com/${ctx.repo.fullName}/blob/${run.headSha}/${a.path}`,
        start_line: a.start_line,
        end_line: a.end_line,
        start_column: a.start_column ?? null,
        end_column: a.end_column ?? null,
        annotation_level: a.annotation_level,
        title: a.title ?? null,
        message: a.message,
        raw_details: a.raw_details ?? null,
      })),
    };
  });

  router.route("GET", "/repos/{owner}/{repo}/commits/{ref}/check-runs", "installation", async (ctx) => {
    const sha = await ctx.repo.git.resolveCommit(ctx.params.ref!);
    if (!sha) throw notFound(`${DOCS}#list-check-runs-for-a-git-reference`);
    const filter = ctx.query.filter ?? "latest";
    const all = ctx.state.checkRuns.filter((r) => r.repo === ctx.repo.fullName && r.headSha === sha);
    // `filter=latest` (the default) keeps only the most recent check run of each name, as GitHub does.
    const latest = all.filter((r) => !all.some((o) => o.name === r.name && o.id > r.id));
    const runs = (filter === "all" ? all : latest)
      .filter((r) => !ctx.query.check_name || r.name === ctx.query.check_name)
      .filter((r) => !ctx.query.status || r.status === ctx.query.status);
    const { page, headers } = paginate(ctx, runs);
    return {
      status: 200,
      headers,
      body: { total_count: runs.length, check_runs: page.map((r) => checkRunJson(ctx.state, ctx.repo, r)) },
    };
  });
}
