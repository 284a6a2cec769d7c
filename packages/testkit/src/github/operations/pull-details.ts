import { diffFiles } from "../git/diff-files.js";
import { mergeCommits } from "../git/merge-trees.js";
import { runGit } from "../git/run-git.js";
import { pullJson } from "../http/serializers.js";
import { pullShas } from "../routes/pull-routes.js";
import type { FakeGitHubState, PullRequest, Repository } from "../state.js";

/**
 * A pull request in full, as `GET /pulls/{n}` and `pull_request` webhooks carry it: with
 * mergeability computed by a real merge (open pull requests only) and the commit and line counts.
 */
export async function pullDetailsJson(state: FakeGitHubState, repo: Repository, pull: PullRequest) {
  const shas = await pullShas(state, repo, pull);
  let mergeability: Parameters<typeof pullJson>[4];
  if (pull.state === "open") {
    const clean = (await mergeCommits(repo.git, shas.base, shas.head)) !== null;
    mergeability = { mergeable: clean, rebaseable: clean, mergeableState: clean ? "clean" : "dirty" };
  }
  const mergeBase = (await repo.git.mergeBase(shas.base, shas.head)) ?? shas.base;
  const files = await diffFiles(repo.git, mergeBase, shas.head);
  const count = (await runGit(repo.git.gitDir, ["rev-list", "--count", shas.head, "--not", mergeBase])).stdout;
  return {
    ...pullJson(state, repo, pull, shas, mergeability),
    commits: Number(count.toString("utf8").trim()),
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}
