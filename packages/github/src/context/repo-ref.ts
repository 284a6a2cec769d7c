import type { GitHubOctokit } from "../client/github-octokit.js";

/** A repository and the installation Octokit that speaks for the App on it. */
export interface RepoHandle {
  octokit: GitHubOctokit;
  owner: string;
  repo: string;
}

export const fullName = (r: RepoHandle) => `${r.owner}/${r.repo}`;
