import type { BareRepository, GitIdentity } from "./bare-repository.js";
import { gitText, runGit } from "./run-git.js";

/**
 * The tree of merging two commits, by `git merge-tree --write-tree` (a real three-way merge on
 * their merge base, no work tree); null when the merge conflicts.
 */
export async function mergeCommits(git: BareRepository, ours: string, theirs: string): Promise<string | null> {
  const result = await runGit(git.gitDir, ["merge-tree", "--write-tree", "--no-messages", ours, theirs], {
    okCodes: [1],
  });
  if (result.code === 1) return null;
  return result.stdout.toString("utf8").split("\n")[0]!.trim();
}

/**
 * Applies the change `commit` made (against its first parent) on top of `onto`, as a cherry-pick
 * does; returns the resulting tree or null on conflict. git 2.39's merge-tree has no
 * `--merge-base`, so the base is given by history: two throwaway commits whose only parent is a
 * commit holding the parent's tree.
 */
export async function cherryPickTree(git: BareRepository, commit: string, onto: string): Promise<string | null> {
  const [tree, parentTree, ontoTree] = await Promise.all([
    gitText(git.gitDir, ["rev-parse", `${commit}^{tree}`]),
    gitText(git.gitDir, ["rev-parse", `${commit}^^{tree}`]),
    gitText(git.gitDir, ["rev-parse", `${onto}^{tree}`]),
  ]);
  const identity: GitIdentity = { name: "fake-github", email: "noreply@github.com", date: 0 };
  const scratch = (treeSha: string, parents: string[]) =>
    git.writeCommit({
      tree: treeSha,
      parents,
      message: "cherry-pick scratch\n",
      author: identity,
      committer: identity,
    });
  const base = await scratch(parentTree, []);
  const [ours, theirs] = await Promise.all([scratch(ontoTree, [base]), scratch(tree, [base])]);
  return mergeCommits(git, ours, theirs);
}

/** Commits reachable from `head` but not from `base`, oldest first (`git rev-list --reverse`). */
export async function commitsBetween(git: BareRepository, base: string, head: string): Promise<string[]> {
  const text = await gitText(git.gitDir, ["rev-list", "--reverse", "--topo-order", head, "--not", base]);
  return text ? text.split("\n") : [];
}
