import type { Account, FakeGitHubState, IssueComment, Reaction, ReactionContent } from "../state.js";

/**
 * A user's reaction to an issue comment: the existing one when they already reacted with that
 * content (GitHub answers 200 then), else a new one (201). GitHub sends no webhook for reactions.
 */
export function react(
  state: FakeGitHubState,
  comment: IssueComment,
  content: ReactionContent,
  user: Account,
): { reaction: Reaction; created: boolean } {
  const existing = state.reactions.find(
    (r) => r.commentId === comment.id && r.content === content && r.user.id === user.id,
  );
  if (existing) return { reaction: existing, created: false };
  const reaction: Reaction = { id: state.nextId(), commentId: comment.id, content, user, createdAt: state.now() };
  state.reactions.push(reaction);
  return { reaction, created: true };
}
