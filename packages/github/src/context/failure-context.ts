import { classifyGitHubError } from "../errors/classify-github-error.js";
import { type ExtractedLog, type ExtractLogOptions, extractLog } from "../logs/extract-log.js";
import { fullName, type RepoHandle } from "./repo-ref.js";
import { type StreamJobLogOptions, streamJobLog } from "./stream-job-log.js";

export interface FailedStep {
  number: number;
  name: string;
  conclusion: string | null;
}

export interface Annotation {
  path: string;
  startLine: number;
  endLine: number;
  level: string;
  message: string;
  title?: string | undefined;
}

export interface FailedJobContext {
  id: number;
  name: string;
  conclusion: string | null;
  htmlUrl: string | undefined;
  failedSteps: FailedStep[];
  /** What the model sees of the job's log; undefined when it could not be fetched (see logError). */
  log: ExtractedLog | undefined;
  logError: string | undefined;
  annotations: Annotation[];
}

export interface FailureContext {
  run: {
    id: number;
    name: string | null | undefined;
    headSha: string;
    headBranch: string | null;
    event: string;
    conclusion: string | null;
    runAttempt: number | undefined;
    htmlUrl: string;
    pullRequests: number[];
  };
  failedJobs: FailedJobContext[];
}

export interface FailureContextOptions {
  runId: number;
  /** Only the job of this name (a report from one CI step names its job). */
  jobName?: string | undefined;
  /** At most this many failed jobs get their logs fetched. */
  maxJobs?: number;
  /** Extraction budget and known secrets for redaction. */
  extract?: ExtractLogOptions;
  log?: StreamJobLogOptions;
}

const FAILED = new Set(["failure", "timed_out", "startup_failure"]);

/**
 * Everything GitHub knows about why a run failed: the run, its failed jobs and steps, each
 * failed job's log reduced to what explains the failure, and the jobs' annotations. A log that
 * cannot be fetched does not fail the whole context: the job carries the reason instead (the
 * worker can then re-run the report's command in the sandbox).
 */
export async function fetchFailureContext(handle: RepoHandle, options: FailureContextOptions): Promise<FailureContext> {
  const { octokit, owner, repo } = handle;
  const doing = `reading workflow run ${options.runId} of ${fullName(handle)}`;
  let run: Awaited<ReturnType<typeof octokit.rest.actions.getWorkflowRun>>["data"];
  let jobs: Awaited<ReturnType<typeof octokit.rest.actions.listJobsForWorkflowRun>>["data"]["jobs"];
  try {
    run = (await octokit.rest.actions.getWorkflowRun({ owner, repo, run_id: options.runId })).data;
    jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
      owner,
      repo,
      run_id: options.runId,
      filter: "latest",
      per_page: 100,
    });
  } catch (error) {
    throw classifyGitHubError(error, doing);
  }
  const failed = jobs
    .filter((j) => j.conclusion !== null && FAILED.has(j.conclusion))
    .filter((j) => !options.jobName || j.name === options.jobName)
    .slice(0, options.maxJobs ?? 10);

  const failedJobs: FailedJobContext[] = [];
  for (const job of failed) {
    let log: ExtractedLog | undefined;
    let logError: string | undefined;
    try {
      log = await extractLog(await streamJobLog(handle, job.id, options.log), { title: job.name, ...options.extract });
    } catch (error) {
      logError = classifyGitHubError(error).reason;
    }
    failedJobs.push({
      id: job.id,
      name: job.name,
      conclusion: job.conclusion,
      htmlUrl: job.html_url ?? undefined,
      failedSteps: (job.steps ?? [])
        .filter((s) => s.conclusion !== null && FAILED.has(s.conclusion))
        .map((s) => ({ number: s.number, name: s.name, conclusion: s.conclusion })),
      log,
      logError,
      annotations: await annotationsOf(handle, job.check_run_url),
    });
  }
  return {
    run: {
      id: run.id,
      name: run.name,
      headSha: run.head_sha,
      headBranch: run.head_branch,
      event: run.event,
      conclusion: run.conclusion,
      runAttempt: run.run_attempt,
      htmlUrl: run.html_url,
      pullRequests: (run.pull_requests ?? []).map((p) => p.number),
    },
    failedJobs,
  };
}

/** A job's annotations live on its check run; a job without one simply has none. */
async function annotationsOf(handle: RepoHandle, checkRunUrl: string | undefined): Promise<Annotation[]> {
  const id = Number(checkRunUrl?.split("/").pop());
  if (!Number.isInteger(id) || id <= 0) return [];
  try {
    const list = await handle.octokit.paginate(handle.octokit.rest.checks.listAnnotations, {
      owner: handle.owner,
      repo: handle.repo,
      check_run_id: id,
      per_page: 100,
    });
    return list.slice(0, 50).map((a) => ({
      path: a.path,
      startLine: a.start_line,
      endLine: a.end_line,
      level: a.annotation_level ?? "failure",
      message: a.message ?? "",
      title: a.title ?? undefined,
    }));
  } catch (error) {
    if ((error as { status?: number }).status === 404) return [];
    throw classifyGitHubError(error, `reading the annotations of check run ${id}`);
  }
}
