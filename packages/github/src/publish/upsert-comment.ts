import { findFixComment } from "../comment/find-fix-comment.js";
import type { RepoHandle } from "../context/repo-ref.js";
import { fullName } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";

export interface UpsertedComment {
  id: number;
  url: string;
  action: "created" | "updated" | "unchanged";
}

/**
 * The one fixfleet comment of a pull request: found by its hidden marker (written by `botLogin`
 * when given) and edited in place, or created. A retried call finds what the first one wrote.
 */
export async function upsertFixComment(
  handle: RepoHandle,
  issueNumber: number,
  body: string,
  options: { botLogin?: string } = {},
): Promise<UpsertedComment> {
  const { octokit, owner, repo } = handle;
  try {
    const ours = await findFixComment(handle, issueNumber, options);
    if (ours) {
      if (ours.body === body) return { id: Number(ours.id), url: ours.html_url, action: "unchanged" };
      const { data } = await octokit.rest.issues.updateComment({ owner, repo, comment_id: Number(ours.id), body });
      return { id: Number(data.id), url: data.html_url, action: "updated" };
    }
    const { data } = await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
    return { id: Number(data.id), url: data.html_url, action: "created" };
  } catch (error) {
    throw classifyGitHubError(error, `writing the fixfleet comment on #${issueNumber} of ${fullName(handle)}`);
  }
}
