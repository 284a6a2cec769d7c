import type { CommitObject } from "../git/bare-repository.js";
import { repoApiUrl } from "../http/serializers.js";
import type { FakeGitHubState, Repository } from "../state.js";

const gitDate = (seconds: number) => new Date(seconds * 1000).toISOString().replace(".000Z", "Z");

/** A commit as the Git Data API shows it (`GET/POST /git/commits`). */
export function gitCommitJson(state: FakeGitHubState, repo: Repository, commit: CommitObject) {
  const api = repoApiUrl(state, repo);
  return {
    sha: commit.sha,
    node_id: Buffer.from(`0:Commit${commit.sha.slice(0, 8)}`).toString("base64"),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `https://github.com/${repo.fullName}/commit/${commit.sha}`,
    author: { name: commit.author.name, email: commit.author.email, date: gitDate(commit.author.date) },
    committer: { name: commit.committer.name, email: commit.committer.email, date: gitDate(commit.committer.date) },
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message.replace(/\n$/, ""),
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
    })),
    verification: { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null },
  };
}

/** A commit as the Repos API shows it (`GET /repos/{o}/{r}/commits/{ref}`, branches). */
export function repoCommitJson(state: FakeGitHubState, repo: Repository, commit: CommitObject) {
  const api = repoApiUrl(state, repo);
  const git = gitCommitJson(state, repo, commit);
  return {
    sha: commit.sha,
    node_id: git.node_id,
    commit: {
      author: git.author,
      committer: git.committer,
      message: git.message,
      tree: git.tree,
      url: git.url,
      comment_count: 0,
      verification: git.verification,
    },
    url: `${api}/commits/${commit.sha}`,
    html_url: git.html_url,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    author: null,
    committer: null,
    parents: commit.parents.map((sha) => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `https://github.com/${repo.fullName}/commit/${sha}`,
    })),
  };
}
