import {
  checkHeadCurrent,
  DEFAULT_REPO_CONFIG,
  fetchFailureContext,
  findPullRequestForSha,
  type GitHubClient,
  getPullRequestContext,
  type LoadedRepoConfig,
  loadRepoConfig,
  RepoConfigError,
  type RepoHandle,
} from "@fixfleet/github";
import { type FixJobData, type Logger, PermanentError, startBatch } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import type { FailedJobContext, FixContext } from "./fix-context.js";

export interface GatherContextDeps {
  redis: Redis;
  prefix: string;
  github: GitHubClient;
  /** Known secret values, removed from every log excerpt. */
  secrets: readonly string[];
  logger: Logger;
}

/**
 * The context stage: the batch's reports (closing the batch to new ones), the installation,
 * the repository config from the default branch, the pull request, and what each failed job's
 * log says. Decides up front when no fix may be attempted (config off or invalid, stale head).
 */
export async function gatherContext(job: FixJobData, deps: GatherContextDeps): Promise<FixContext> {
  const { owner, name } = job.repository;
  const fullName = `${owner}/${name}`;
  const batch = await startBatch(deps.redis, deps.prefix, job.batchId);
  if (!batch) throw new PermanentError(`the reports of batch ${job.batchId} are no longer in Redis (expired or lost)`);
  const reports = batch.reports;

  const installationId =
    job.installationId ??
    reports.find((r) => r.installationId !== undefined)?.installationId ??
    (await deps.github.installationIdFor(owner, name));
  const handle: RepoHandle = { octokit: deps.github.forInstallation(installationId), owner, repo: name };

  const base = {
    batchId: job.batchId,
    repository: { owner, name, fullName, id: job.repository.id },
    installationId,
    sha: job.sha,
    ref: job.ref,
    ...(job.trigger ? { trigger: job.trigger } : {}),
    reports,
    commands: unique(reports.map((r) => r.report.command)),
    paths: unique(reports.flatMap((r) => r.report.paths ?? [])),
    webUrl: webUrlOf(deps.github.baseUrl),
  };

  let loaded: LoadedRepoConfig;
  let configError: FixContext["configError"];
  try {
    loaded = await loadRepoConfig(handle);
  } catch (error) {
    if (!(error instanceof RepoConfigError)) throw error;
    // Invalid config: nothing is attempted, and the comment names each bad key.
    loaded = { config: DEFAULT_REPO_CONFIG, defaultBranch: "", found: true };
    configError = { path: error.path, problems: error.problems };
  }
  const prNumber =
    job.pr ??
    reports.find((r) => r.report.pr !== undefined)?.report.pr ??
    reports.flatMap((r) => r.workflowRun?.pullRequests ?? [])[0] ??
    (await findPullRequestForSha(handle, job.sha));
  const pr = prNumber === undefined ? undefined : await getPullRequestContext(handle, prNumber);

  const context: FixContext = {
    ...base,
    pr: pr && {
      number: pr.number,
      headRef: pr.headRef,
      headSha: pr.headSha,
      baseRef: pr.baseRef,
      baseSha: pr.baseSha,
      isFork: pr.isFork,
      labels: pr.labels,
    },
    jobs: [],
    changedFiles: pr?.changedFiles.map((f) => f.path) ?? [],
    repoConfig: loaded.config,
    defaultBranch: loaded.defaultBranch,
    ...(loaded.cloneUrl ? { cloneUrl: loaded.cloneUrl } : {}),
  };
  if (configError) {
    return { ...context, configError, skip: { kind: "not_fixable", reason: `${configError.path} is invalid` } };
  }
  if (!loaded.config.enabled) {
    return {
      ...context,
      skip: {
        kind: "skipped",
        reason: "fixfleet is turned off for this repository (`enabled: false` in .github/fixfleet.yml)",
      },
    };
  }
  if (pr && pr.headSha !== job.sha) {
    return {
      ...context,
      skip: { kind: "stale", reason: `the pull request's head moved on to ${pr.headSha.slice(0, 7)}` },
    };
  }
  context.jobs = await failedJobs(handle, reports, deps);
  return context;
}

/** Whether the failing commit is still the head of its pull request. */
export async function isCurrentHead(context: FixContext, github: GitHubClient): Promise<boolean> {
  if (!context.pr) return true;
  const handle: RepoHandle = {
    octokit: github.forInstallation(context.installationId),
    owner: context.repository.owner,
    repo: context.repository.name,
  };
  const head = await checkHeadCurrent(handle, context.pr.number, context.sha);
  return head.current && head.open;
}

async function failedJobs(
  handle: RepoHandle,
  reports: FixContext["reports"],
  deps: GatherContextDeps,
): Promise<FailedJobContext[]> {
  const jobs: FailedJobContext[] = [];
  const runIds = unique(reports.map((r) => r.report.run_id));
  for (const runId of runIds) {
    const named = new Set(
      reports.filter((r) => r.report.run_id === runId).flatMap((r) => (r.report.job ? [r.report.job] : [])),
    );
    let context: Awaited<ReturnType<typeof fetchFailureContext>>;
    try {
      context = await fetchFailureContext(handle, { runId, extract: { secrets: [...deps.secrets] } });
    } catch (error) {
      // A CI step's report may name a run we cannot read; its command is re-run in the sandbox instead.
      if ((error as { kind?: string }).kind === "permanent") {
        deps.logger.warn({ runId, err: error }, "workflow run not readable; relying on the report's command");
        continue;
      }
      throw error;
    }
    // Reports name their job; when none of those names is a failed job of the run, keep them all.
    const matching = context.failedJobs.filter((j) => named.has(j.name));
    for (const job of matching.length > 0 ? matching : context.failedJobs) {
      jobs.push({
        name: job.name,
        step: job.failedSteps[0]?.name,
        url: job.htmlUrl,
        logExcerpt: job.log?.text ?? "",
        keyLines: job.log?.excerpt.keyLines ?? (job.logError ? [`(log unavailable: ${job.logError})`] : []),
        runId,
        jobId: job.id,
      });
    }
  }
  // A report whose job the run does not show (a CI step's own name for it) still counts as a failure.
  for (const stored of reports) {
    const name = stored.report.job;
    if (name && !jobs.some((j) => j.name === name))
      jobs.push({ name, logExcerpt: "", keyLines: [], runId: stored.report.run_id });
  }
  return jobs;
}

function unique<T>(values: readonly (T | undefined)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined))];
}

/** The web address of repositories: github.com for the public API, the host itself for GHES. */
function webUrlOf(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === "api.github.com") return "https://github.com";
  return `${url.protocol}//${url.host}`;
}
