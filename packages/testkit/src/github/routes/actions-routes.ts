import { randomBytes } from "node:crypto";
import { GitHubHttpError, notFound } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { RouteContext, Router } from "../http/router.js";
import { jobJson, runJson } from "../http/serializers.js";
import type { WorkflowRun } from "../state.js";
import { pullShas, pullsOf } from "./pull-routes.js";

const DOCS = "https://docs.github.com/rest/actions/workflow-runs";
const LOG_URL_TTL_MS = 60_000;

function findRun(ctx: RouteContext): WorkflowRun {
  const id = Number(ctx.params.run_id);
  const run = ctx.state.runs.find((r) => r.id === id && r.repo === ctx.repo.fullName);
  if (!run) throw notFound(`${DOCS}#get-a-workflow-run`);
  return run;
}

async function runBody(ctx: RouteContext, run: WorkflowRun) {
  const pulls = [];
  for (const number of run.pullRequests) {
    const pull = pullsOf(ctx.state, ctx.repo).find((p) => p.number === number);
    if (!pull) continue;
    const shas = await pullShas(ctx.state, ctx.repo, pull);
    const repoRef = { id: ctx.repo.id, url: `${ctx.state.baseUrl}/repos/${ctx.repo.fullName}`, name: ctx.repo.name };
    pulls.push({
      url: `${ctx.state.baseUrl}/repos/${ctx.repo.fullName}/pulls/${pull.number}`,
      id: pull.id,
      number: pull.number,
      head: { ref: pull.headRef, sha: shas.head, repo: repoRef },
      base: { ref: pull.baseRef, sha: shas.base, repo: repoRef },
    });
  }
  return runJson(ctx.state, ctx.repo, run, pulls);
}

/** Workflow runs, their jobs, job logs (302 to a short-lived blob URL) and re-runs. */
export function registerActionsRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}/actions/runs", "installation", async (ctx) => {
    const q = ctx.query;
    const runs = ctx.state.runs
      .filter((r) => r.repo === ctx.repo.fullName)
      .filter((r) => !q.branch || r.headBranch === q.branch)
      .filter((r) => !q.head_sha || r.headSha === q.head_sha)
      .filter((r) => !q.event || r.event === q.event)
      .filter((r) => !q.status || r.status === q.status || r.conclusion === q.status)
      .sort((a, b) => b.id - a.id);
    const { page, headers } = paginate(ctx, runs);
    const workflowRuns = [];
    for (const run of page) workflowRuns.push(await runBody(ctx, run));
    return { status: 200, headers, body: { total_count: runs.length, workflow_runs: workflowRuns } };
  });

  router.route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}", "installation", async (ctx) => ({
    status: 200,
    body: await runBody(ctx, findRun(ctx)),
  }));

  router.route("GET", "/repos/{owner}/{repo}/actions/runs/{run_id}/jobs", "installation", (ctx) => {
    const run = findRun(ctx);
    const filter = ctx.query.filter ?? "latest";
    if (filter !== "latest" && filter !== "all") {
      throw new GitHubHttpError(422, "Invalid request.\n\nfilter must be one of: latest, all.", {
        documentationUrl: "https://docs.github.com/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run",
      });
    }
    const jobs = run.jobs.filter((j) => filter === "all" || j.runAttempt === run.runAttempt);
    const { page, headers } = paginate(ctx, jobs);
    return {
      status: 200,
      headers,
      body: { total_count: jobs.length, jobs: page.map((j) => jobJson(ctx.state, ctx.repo, run, j)) },
    };
  });

  router.route(
    "GET",
    "/repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs",
    "installation",
    (ctx) => {
      const run = findRun(ctx);
      const attempt = Number(ctx.params.attempt_number);
      if (!Number.isInteger(attempt) || attempt < 1 || attempt > run.runAttempt) {
        throw notFound("https://docs.github.com/rest/actions/workflow-jobs#list-jobs-for-a-workflow-run-attempt");
      }
      const jobs = run.jobs.filter((j) => j.runAttempt === attempt);
      const { page, headers } = paginate(ctx, jobs);
      return {
        status: 200,
        headers,
        body: { total_count: jobs.length, jobs: page.map((j) => jobJson(ctx.state, ctx.repo, run, j)) },
      };
    },
  );

  const findJob = (ctx: RouteContext) => {
    const id = Number(ctx.params.job_id);
    for (const run of ctx.state.runs) {
      if (run.repo !== ctx.repo.fullName) continue;
      const job = run.jobs.find((j) => j.id === id);
      if (job) return { run, job };
    }
    throw notFound("https://docs.github.com/rest/actions/workflow-jobs#get-a-job-for-a-workflow-run");
  };

  router.route("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}", "installation", (ctx) => {
    const { run, job } = findJob(ctx);
    return { status: 200, body: jobJson(ctx.state, ctx.repo, run, job) };
  });

  router.route("GET", "/repos/{owner}/{repo}/actions/jobs/{job_id}/logs", "installation", (ctx) => {
    const { job } = findJob(ctx);
    const key = randomBytes(16).toString("hex");
    ctx.state.logBlobs.set(key, { text: job.log, expiresAt: ctx.state.now() + LOG_URL_TTL_MS });
    return { status: 302, headers: { location: `${ctx.state.baseUrl}/_blobs/job-logs/${job.id}?sig=${key}` } };
  });

  const rerun = (kind: "rerun" | "rerun-failed-jobs") => (ctx: RouteContext) => {
    const run = findRun(ctx);
    if (run.status !== "completed") {
      throw new GitHubHttpError(403, "This workflow is already running", {
        documentationUrl: `${DOCS}#re-run-a-workflow`,
      });
    }
    if (
      kind === "rerun-failed-jobs" &&
      !run.jobs.some((j) => j.runAttempt === run.runAttempt && isFailed(j.conclusion))
    ) {
      throw new GitHubHttpError(403, "This workflow run cannot be rerun because it has no failed jobs.", {
        documentationUrl: `${DOCS}#re-run-failed-jobs-from-a-workflow-run`,
      });
    }
    ctx.state.reruns.push({
      repo: ctx.repo.fullName,
      runId: run.id,
      kind,
      enableDebugLogging: ctx.body.enable_debug_logging === true,
      at: ctx.state.now(),
    });
    // A new attempt starts queued; the jobs it re-runs are queued copies of the previous attempt's.
    const previous = run.jobs.filter((j) => j.runAttempt === run.runAttempt);
    run.runAttempt += 1;
    run.status = "queued";
    run.conclusion = null;
    run.updatedAt = ctx.state.now();
    for (const job of previous) {
      const again = kind === "rerun" || isFailed(job.conclusion);
      run.jobs.push({
        ...job,
        id: again ? ctx.state.nextId() : job.id,
        runAttempt: run.runAttempt,
        status: again ? "queued" : job.status,
        conclusion: again ? null : job.conclusion,
        steps: again ? [] : job.steps,
      });
    }
    return { status: 201, body: {} };
  };
  router.route(
    "POST",
    "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs",
    "installation",
    rerun("rerun-failed-jobs"),
  );
  router.route("POST", "/repos/{owner}/{repo}/actions/runs/{run_id}/rerun", "installation", rerun("rerun"));
}

function isFailed(conclusion: string | null): boolean {
  return (
    conclusion === "failure" ||
    conclusion === "timed_out" ||
    conclusion === "cancelled" ||
    conclusion === "startup_failure"
  );
}
