import type { AddWorkflowRunInput } from "../fake-github.js";
import type { FakeGitHubState, WorkflowJob, WorkflowRun } from "../state.js";
import { requireRepo } from "./seed-repositories.js";

const FAILED = new Set(["failure", "timed_out", "cancelled", "startup_failure"]);

/** Records a finished (or running) workflow run with its jobs, steps and logs. */
export function addWorkflowRun(
  state: FakeGitHubState,
  input: AddWorkflowRunInput,
): { id: number; runNumber: number; jobs: Array<{ id: number; name: string }> } {
  const repo = requireRepo(state, input.repo);
  const id = state.nextId();
  const name = input.name ?? "CI";
  const now = state.now();
  const status = input.status ?? "completed";
  const runAttempt = input.runAttempt ?? 1;
  const jobs: WorkflowJob[] = input.jobs.map((job) => {
    const jobStatus = job.status ?? status;
    const conclusion = jobStatus === "completed" ? (job.conclusion ?? "success") : null;
    const steps = job.steps ?? [
      { name: "Set up job", conclusion: jobStatus === "completed" ? "success" : null },
      { name: "Run tests", conclusion },
    ];
    return {
      id: state.nextId(),
      runId: id,
      runAttempt,
      name: job.name,
      status: jobStatus,
      conclusion,
      steps: steps.map((step, index) => ({
        name: step.name,
        number: index + 1,
        status: step.status ?? jobStatus,
        conclusion: step.conclusion === undefined ? (jobStatus === "completed" ? "success" : null) : step.conclusion,
      })),
      log: job.log ?? `${new Date(now).toISOString()} ##[group]Run ${job.name}\n`,
      startedAt: now,
      completedAt: jobStatus === "completed" ? now : null,
    };
  });
  const conclusion =
    status !== "completed"
      ? null
      : input.conclusion !== undefined
        ? input.conclusion
        : jobs.some((j) => FAILED.has(j.conclusion ?? ""))
          ? "failure"
          : "success";
  const sameName = state.runs.filter((r) => r.repo === repo.fullName && r.name === name);
  const runNumber = state.runs.filter((r) => r.repo === repo.fullName).length + 1;
  const run: WorkflowRun = {
    id,
    repo: repo.fullName,
    name,
    path: input.path ?? `.github/workflows/${name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.yml`,
    workflowId: sameName[0]?.workflowId ?? state.nextId(),
    runNumber,
    runAttempt,
    event: input.event ?? "pull_request",
    status,
    conclusion,
    headSha: input.headSha,
    headBranch: input.headBranch === undefined ? null : input.headBranch,
    pullRequests: input.pullRequests ?? [],
    jobs,
    createdAt: now,
    updatedAt: now,
  };
  state.runs.push(run);
  return { id, runNumber, jobs: jobs.map((j) => ({ id: j.id, name: j.name })) };
}
