import { mergeCommits } from "../git/merge-trees.js";
import { GitHubHttpError } from "../http/github-http-error.js";
import type { Account, Delivery, FakeGitHubState, Repository } from "../state.js";
import { gitIdentityOf } from "./acting-user.js";
import { deliverAll, refUpdateEvents } from "./push-event.js";

const DOCS = "https://docs.github.com/rest/branches/branches#merge-a-branch";

/**
 * `POST /repos/{o}/{r}/merges`: merges `head` (branch or sha) into the branch `base` with a merge
 * commit. Null when `base` already contains `head` (GitHub answers 204); 404 for a missing base
 * or head and 409 on a conflict, with GitHub's messages. Queues `push` for the base branch.
 */
export async function mergeBranch(
  state: FakeGitHubState,
  repo: Repository,
  input: { base: string; head: string; commitMessage?: string; user: Account },
): Promise<{ sha: string; delivered: Promise<Array<Delivery | undefined>> } | null> {
  const { git } = repo;
  const ref = `refs/heads/${input.base}`;
  const baseSha = await git.readRef(ref);
  if (!baseSha) throw new GitHubHttpError(404, "Base does not exist", { documentationUrl: DOCS });
  const headSha = await git.resolveCommit(input.head);
  if (!headSha) throw new GitHubHttpError(404, "Head does not exist", { documentationUrl: DOCS });
  if (await git.isAncestor(headSha, baseSha)) return null;
  const tree = await mergeCommits(git, baseSha, headSha);
  if (!tree) throw new GitHubHttpError(409, "Merge conflict", { documentationUrl: DOCS });
  const seconds = Math.floor(state.now() / 1000);
  const sha = await git.writeCommit({
    tree,
    parents: [baseSha, headSha],
    message: `${input.commitMessage ?? `Merge ${input.head} into ${input.base}`}\n`,
    author: gitIdentityOf(input.user, seconds),
    committer: { name: "GitHub", email: "noreply@github.com", date: seconds },
  });
  await git.updateRef(ref, sha, baseSha);
  const events = await refUpdateEvents(state, repo, { ref, before: baseSha, after: sha }, input.user);
  return { sha, delivered: deliverAll(state, events) };
}
