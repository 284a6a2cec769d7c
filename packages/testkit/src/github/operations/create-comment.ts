import { deliverWebhook } from "../delivery/deliver-webhook.js";
import { commentJson, issueJson } from "../http/serializers.js";
import type { Account, Delivery, FakeGitHubState, IssueComment, Repository } from "../state.js";
import type { IssueItem } from "./issue-items.js";

/**
 * Writes an issue comment (on a pull request or an issue) as `user` and queues the
 * `issue_comment` `created` webhook GitHub sends for it, also for the App's own comments.
 */
export function createComment(
  state: FakeGitHubState,
  repo: Repository,
  target: IssueItem,
  body: string,
  user: Account,
): { comment: IssueComment; delivered: Promise<Delivery | undefined> } {
  const now = state.now();
  const comment: IssueComment = {
    id: state.nextId(),
    repo: repo.fullName,
    issueNumber: target.item.number,
    body,
    user,
    createdAt: now,
    updatedAt: now,
  };
  state.comments.push(comment);
  const delivered = deliverWebhook(state, {
    event: "issue_comment",
    repo,
    sender: user,
    body: { action: "created", issue: issueJson(state, repo, target.item), comment: commentJson(state, comment) },
  });
  return { comment, delivered };
}
