import { classifyGitHubError, type RepoHandle } from "@fixfleet/github";

const FAILED = new Set(["failure", "timed_out"]);

/**
 * Whether one of these jobs also failed on the pull request's base commit: then the PR did not
 * cause the failure, and fixing it there would fix someone else's break in the wrong place.
 */
export async function failsOnBase(handle: RepoHandle, baseSha: string, jobNames: readonly string[]): Promise<string[]> {
  if (jobNames.length === 0) return [];
  const { octokit, owner, repo } = handle;
  try {
    const runs = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, {
      owner,
      repo,
      head_sha: baseSha,
      per_page: 100,
    });
    const failing: string[] = [];
    for (const run of runs.filter((r) => r.conclusion && FAILED.has(r.conclusion))) {
      const jobs = await octokit.paginate(octokit.rest.actions.listJobsForWorkflowRun, {
        owner,
        repo,
        run_id: run.id,
        filter: "latest",
        per_page: 100,
      });
      for (const job of jobs) {
        if (job.conclusion && FAILED.has(job.conclusion) && jobNames.includes(job.name)) failing.push(job.name);
      }
    }
    return [...new Set(failing)];
  } catch (error) {
    throw classifyGitHubError(error, `reading the runs of base commit ${baseSha.slice(0, 7)} of ${owner}/${repo}`);
  }
}
