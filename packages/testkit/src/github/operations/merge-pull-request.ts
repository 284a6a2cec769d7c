import type { GitIdentity } from "../git/bare-repository.js";
import { cherryPickTree, commitsBetween, mergeCommits } from "../git/merge-trees.js";
import { GitHubHttpError } from "../http/github-http-error.js";
import { headLabel, pullShas } from "../routes/pull-routes.js";
import type { Account, Delivery, FakeGitHubState, PullRequest, Repository } from "../state.js";
import { gitIdentityOf } from "./acting-user.js";
import { pullDetailsJson } from "./pull-details.js";
import { deliverAll, refUpdateEvents } from "./push-event.js";

export type MergeMethod = "merge" | "squash" | "rebase";

export interface MergePullRequestOptions {
  method: MergeMethod;
  user: Account;
  /** The head sha the merger saw; a different head is 409, as GitHub answers. */
  sha?: string;
  commitTitle?: string;
  commitMessage?: string;
}

const DOCS = "https://docs.github.com/rest/pulls/pulls#merge-a-pull-request";
/** Web and API merges are committed by GitHub itself. */
const committer = (date: number): GitIdentity => ({ name: "GitHub", email: "noreply@github.com", date });

const notMergeable = () => new GitHubHttpError(405, "Pull Request is not mergeable", { documentationUrl: DOCS });

/**
 * Merges a pull request into its base branch in the bare repository the way GitHub's merge
 * button does (merge commit, squash, or rebase), closes it as merged and queues `push` for the
 * base branch, then `pull_request` `closed`.
 */
export async function mergePullRequest(
  state: FakeGitHubState,
  repo: Repository,
  pull: PullRequest,
  options: MergePullRequestOptions,
): Promise<{ sha: string; delivered: Promise<Array<Delivery | undefined>> }> {
  if (pull.state !== "open") throw notMergeable();
  const shas = await pullShas(state, repo, pull);
  if (options.sha !== undefined && options.sha !== shas.head) {
    throw new GitHubHttpError(409, "Head branch was modified. Review and try the merge again.", {
      documentationUrl: DOCS,
    });
  }
  const seconds = Math.floor(state.now() / 1000);
  const merger = gitIdentityOf(options.user, seconds);
  const { git } = repo;
  let sha: string;
  if (options.method === "rebase") {
    let onto = shas.base;
    for (const commit of await commitsBetween(git, shas.base, shas.head)) {
      const tree = await cherryPickTree(git, commit, onto);
      if (!tree) throw notMergeable();
      const original = (await git.readCommit(commit))!;
      onto = await git.writeCommit({
        tree,
        parents: [onto],
        message: original.message,
        author: original.author,
        committer: committer(seconds),
      });
    }
    sha = onto;
  } else {
    const tree = await mergeCommits(git, shas.base, shas.head);
    if (!tree) throw notMergeable();
    const squash = options.method === "squash";
    const title = options.commitTitle ?? defaultTitle(repo, pull, squash);
    const body = options.commitMessage ?? (squash ? await squashBody(repo, shas) : pull.title);
    sha = await git.writeCommit({
      tree,
      parents: squash ? [shas.base] : [shas.base, shas.head],
      message: body ? `${title}\n\n${body}\n` : `${title}\n`,
      author: squash ? gitIdentityOf(pull.user, seconds) : merger,
      committer: committer(seconds),
    });
  }
  // Atomic against a concurrent push to the base branch.
  await git.updateRef(`refs/heads/${pull.baseRef}`, sha, shas.base);
  const now = state.now();
  Object.assign(pull, {
    state: "closed",
    closedAt: now,
    mergedAt: now,
    updatedAt: now,
    mergeCommitSha: sha,
    mergedBy: options.user,
    closedShas: shas,
  } satisfies Partial<PullRequest>);
  const events = await refUpdateEvents(
    state,
    repo,
    { ref: `refs/heads/${pull.baseRef}`, before: shas.base, after: sha },
    options.user,
  );
  if (state.webhook) {
    events.push({
      event: "pull_request",
      repo,
      sender: options.user,
      body: { action: "closed", number: pull.number, pull_request: await pullDetailsJson(state, repo, pull) },
    });
  }
  return { sha, delivered: deliverAll(state, events) };
}

/** GitHub's default titles: "Merge pull request #N from owner/branch" or "<title> (#N)". */
function defaultTitle(repo: Repository, pull: PullRequest, squash: boolean): string {
  return squash
    ? `${pull.title} (#${pull.number})`
    : `Merge pull request #${pull.number} from ${headLabel(repo, pull).replace(":", "/")}`;
}

/** GitHub's default squash message lists the pull request's commits, `* message` each. */
async function squashBody(repo: Repository, shas: { head: string; base: string }): Promise<string> {
  const messages: string[] = [];
  for (const commit of await commitsBetween(repo.git, shas.base, shas.head)) {
    messages.push(`* ${(await repo.git.readCommit(commit))!.message.trim()}`);
  }
  return messages.join("\n\n");
}

/** Closes a pull request without merging it and queues `pull_request` `closed` (`merged: false`). */
export async function closePullRequest(
  state: FakeGitHubState,
  repo: Repository,
  pull: PullRequest,
  user: Account,
): Promise<{ delivered: Promise<Array<Delivery | undefined>> }> {
  if (pull.state === "closed") return { delivered: Promise.resolve([]) };
  const shas = await pullShas(state, repo, pull);
  const now = state.now();
  Object.assign(pull, {
    state: "closed",
    closedAt: now,
    updatedAt: now,
    closedShas: shas,
  } satisfies Partial<PullRequest>);
  const events = state.webhook
    ? [
        {
          event: "pull_request",
          repo,
          sender: user,
          body: { action: "closed", number: pull.number, pull_request: await pullDetailsJson(state, repo, pull) },
        },
      ]
    : [];
  return { delivered: deliverAll(state, events) };
}
