import { classifyGitHubError } from "../errors/classify-github-error.js";
import { fullName, type RepoHandle } from "./repo-ref.js";

export interface ChangedPath {
  path: string;
  previousPath: string | undefined;
  status: string;
  additions: number;
  deletions: number;
}

export interface PullRequestContext {
  number: number;
  state: string;
  title: string;
  htmlUrl: string;
  baseRef: string;
  baseSha: string;
  headRef: string;
  headSha: string;
  /** `owner/name` of the head repository; null when the fork was deleted. */
  headRepo: string | null;
  /** The head lives in another repository: the App cannot push there, the comment carries the patch. */
  isFork: boolean;
  /** Label names: `fixfleet:skip` turns fixfleet off for the pull request. */
  labels: string[];
  changedFiles: ChangedPath[];
}

/**
 * Whether a pull request's head lives outside its base repository (a fork, or a fork since
 * deleted, which GitHub shows as a null head repository).
 */
export function isForkHead(pr: {
  head: { repo: { full_name: string } | null };
  base: { repo: { full_name: string } };
}): boolean {
  const head = pr.head.repo?.full_name;
  return !head || head.toLowerCase() !== pr.base.repo.full_name.toLowerCase();
}

/** The open pull request whose head is this commit (or that contains it), when there is one. */
export async function findPullRequestForSha(handle: RepoHandle, sha: string): Promise<number | undefined> {
  try {
    const { data } = await handle.octokit.rest.repos.listPullRequestsAssociatedWithCommit({
      owner: handle.owner,
      repo: handle.repo,
      commit_sha: sha,
      per_page: 100,
    });
    const open = data.filter((p) => p.state === "open");
    return (open.find((p) => p.head.sha === sha) ?? open[0])?.number;
  } catch (error) {
    if ((error as { status?: number }).status === 422) return undefined; // unknown commit
    throw classifyGitHubError(error, `finding the pull request of ${sha.slice(0, 7)} in ${fullName(handle)}`);
  }
}

export async function getPullRequestContext(handle: RepoHandle, number: number): Promise<PullRequestContext> {
  const { octokit, owner, repo } = handle;
  try {
    const { data: pr } = await octokit.rest.pulls.get({ owner, repo, pull_number: number });
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner,
      repo,
      pull_number: number,
      per_page: 100,
    });
    const headRepo = pr.head.repo?.full_name ?? null;
    return {
      number: pr.number,
      state: pr.state,
      title: pr.title,
      htmlUrl: pr.html_url,
      baseRef: pr.base.ref,
      baseSha: pr.base.sha,
      headRef: pr.head.ref,
      headSha: pr.head.sha,
      headRepo,
      isFork: isForkHead(pr),
      labels: pr.labels.map((l) => l.name),
      changedFiles: files.map((f) => ({
        path: f.filename,
        previousPath: f.previous_filename ?? undefined,
        status: f.status,
        additions: f.additions,
        deletions: f.deletions,
      })),
    };
  } catch (error) {
    throw classifyGitHubError(error, `reading pull request #${number} of ${fullName(handle)}`);
  }
}

/** Whether `sha` is still the pull request's head: a newer push makes a fix for it stale. */
export async function checkHeadCurrent(
  handle: RepoHandle,
  number: number,
  sha: string,
): Promise<{ current: boolean; headSha: string; open: boolean }> {
  try {
    const { data } = await handle.octokit.rest.pulls.get({
      owner: handle.owner,
      repo: handle.repo,
      pull_number: number,
    });
    return { current: data.head.sha === sha, headSha: data.head.sha, open: data.state === "open" };
  } catch (error) {
    throw classifyGitHubError(error, `checking the head of pull request #${number} of ${fullName(handle)}`);
  }
}
