import type { CheckRunOutput } from "../comment/render-check-run.js";
import type { RepoHandle } from "../context/repo-ref.js";
import { fullName } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";

export const CHECK_RUN_NAME = "fixfleet";

export interface CheckRunRef {
  id: number;
  created: boolean;
}

/**
 * The fix's check run on the head sha, in progress. `externalId` (the batch key) identifies it:
 * a retried job finds and reuses the run it started instead of adding a second one.
 */
export async function startCheckRun(
  handle: RepoHandle,
  input: { headSha: string; externalId: string; name?: string; detailsUrl?: string },
): Promise<CheckRunRef> {
  const { octokit, owner, repo } = handle;
  const name = input.name ?? CHECK_RUN_NAME;
  try {
    const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
      owner,
      repo,
      ref: input.headSha,
      check_name: name,
      filter: "all",
      per_page: 100,
    });
    const existing = runs.find((r) => r.external_id === input.externalId);
    if (existing) {
      if (existing.status !== "in_progress" && existing.status !== "completed") {
        await octokit.rest.checks.update({ owner, repo, check_run_id: Number(existing.id), status: "in_progress" });
      }
      return { id: Number(existing.id), created: false };
    }
    const { data } = await octokit.rest.checks.create({
      owner,
      repo,
      name,
      head_sha: input.headSha,
      external_id: input.externalId,
      status: "in_progress",
      started_at: new Date().toISOString(),
      output: { title: "Working on a fix", summary: "fixfleet is reproducing the failure and working on a fix." },
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    });
    return { id: Number(data.id), created: true };
  } catch (error) {
    throw classifyGitHubError(
      error,
      `starting the fixfleet check run on ${input.headSha.slice(0, 7)} of ${fullName(handle)}`,
    );
  }
}

/** Completes the check run with the same summary as the comment. Repeating it changes nothing. */
export async function completeCheckRun(handle: RepoHandle, id: number, result: CheckRunOutput): Promise<void> {
  try {
    await handle.octokit.rest.checks.update({
      owner: handle.owner,
      repo: handle.repo,
      check_run_id: id,
      status: "completed",
      conclusion: result.conclusion,
      completed_at: new Date().toISOString(),
      output: result.output,
    });
  } catch (error) {
    throw classifyGitHubError(error, `completing check run ${id} of ${fullName(handle)}`);
  }
}
