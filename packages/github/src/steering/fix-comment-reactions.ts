import { findFixComment } from "../comment/find-fix-comment.js";
import { fullName, type RepoHandle } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";

export const REACTION_KINDS = ["+1", "-1", "laugh", "confused", "heart", "hooray", "rocket", "eyes"] as const;
export type ReactionCounts = Record<(typeof REACTION_KINDS)[number], number>;

/**
 * The reactions people left on fixfleet's comment of a pull request (GitHub sends no webhook
 * for reactions, so they are read when the pull request closes). Undefined without a comment.
 */
export async function fixCommentReactions(
  handle: RepoHandle,
  pr: number,
  options: { botLogin?: string } = {},
): Promise<ReactionCounts | undefined> {
  try {
    const ours = await findFixComment(handle, pr, options);
    if (!ours) return undefined;
    const reactions = ours.reactions ?? {};
    return Object.fromEntries(REACTION_KINDS.map((k) => [k, Number(reactions[k] ?? 0)])) as ReactionCounts;
  } catch (error) {
    throw classifyGitHubError(error, `reading the reactions on fixfleet's comment of #${pr} in ${fullName(handle)}`);
  }
}
