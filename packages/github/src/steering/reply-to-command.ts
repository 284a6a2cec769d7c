import { fullName, type RepoHandle } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";

export type ReactionContent = "+1" | "-1" | "laugh" | "confused" | "heart" | "hooray" | "rocket" | "eyes";

/** A reaction on a person's comment: how fixfleet says "seen" to a command without a new comment. */
export async function reactToComment(handle: RepoHandle, commentId: number, content: ReactionContent): Promise<void> {
  try {
    await handle.octokit.rest.reactions.createForIssueComment({
      owner: handle.owner,
      repo: handle.repo,
      comment_id: commentId,
      content,
    });
  } catch (error) {
    throw classifyGitHubError(error, `reacting to comment ${commentId} in ${fullName(handle)}`);
  }
}

/**
 * A short answer to a command on the pull request, as its own comment (the fix comment is for
 * fixes). The text must not start a line with a command, or fixfleet would read its own reply.
 */
export async function replyOnPullRequest(handle: RepoHandle, pr: number, body: string): Promise<string> {
  if (/^\s*\/fixfleet\b/im.test(body)) throw new Error("a reply must not hold a /fixfleet command line");
  try {
    const { data } = await handle.octokit.rest.issues.createComment({
      owner: handle.owner,
      repo: handle.repo,
      issue_number: pr,
      body,
    });
    return data.html_url;
  } catch (error) {
    throw classifyGitHubError(error, `replying on #${pr} of ${fullName(handle)}`);
  }
}
