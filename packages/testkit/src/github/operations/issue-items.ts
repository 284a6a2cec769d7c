import { type FakeGitHubState, type Issue, type PullRequest, type Repository, repoKey } from "../state.js";

export type IssueItem = { kind: "pull"; item: PullRequest } | { kind: "issue"; item: Issue };

/** The pull request or plain issue with this number (they share one sequence, as on GitHub). */
export function findIssueItem(state: FakeGitHubState, repo: Repository, number: number): IssueItem | undefined {
  const key = repoKey(repo.owner.login, repo.name);
  const pull = (state.pulls.get(key) ?? []).find((p) => p.number === number);
  if (pull) return { kind: "pull", item: pull };
  const issue = (state.issues.get(key) ?? []).find((i) => i.number === number);
  return issue ? { kind: "issue", item: issue } : undefined;
}

export function findPull(state: FakeGitHubState, repo: Repository, number: number): PullRequest | undefined {
  return (state.pulls.get(repoKey(repo.owner.login, repo.name)) ?? []).find((p) => p.number === number);
}
