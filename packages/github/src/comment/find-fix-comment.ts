import type { RepoHandle } from "../context/repo-ref.js";
import { hasCommentMarker } from "./comment-marker.js";

/** An issue comment as the REST API lists it (the fields fixfleet reads). */
export interface ListedComment {
  id: number;
  body?: string | undefined;
  html_url: string;
  user?: { login: string } | null;
  reactions?: Partial<Record<string, number>> | undefined;
}

/**
 * fixfleet's one comment on a pull request: the comment with the hidden marker, written by
 * `botLogin` when given (so a person quoting the marker does not take its place).
 */
export async function findFixComment(
  handle: RepoHandle,
  issueNumber: number,
  options: { botLogin?: string } = {},
): Promise<ListedComment | undefined> {
  const { octokit, owner, repo } = handle;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments.find(
    (c) => hasCommentMarker(c.body) && (!options.botLogin || c.user?.login === options.botLogin),
  );
  return ours as ListedComment | undefined;
}
