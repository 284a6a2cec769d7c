import { parseRepoConfig } from "../config/parse-repo-config.js";
import { REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config-schema.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";
import { fullName, type RepoHandle } from "./repo-ref.js";

export interface LoadedRepoConfig {
  config: RepoConfig;
  defaultBranch: string;
  /** The repository's `clone_url`, read in the same call (the fix stage clones from it). */
  cloneUrl?: string | undefined;
  /** False when the repository has no config file and the defaults apply. */
  found: boolean;
}

/**
 * `.github/fixfleet.yml` from the default branch, never from the pull request (a PR must not
 * widen its own limits or protected paths). Absent: the defaults. Invalid: RepoConfigError.
 */
export async function loadRepoConfig(handle: RepoHandle): Promise<LoadedRepoConfig> {
  const { octokit, owner, repo } = handle;
  let defaultBranch: string;
  let cloneUrl: string | undefined;
  let text: string | undefined;
  try {
    const { data: repository } = await octokit.rest.repos.get({ owner, repo });
    defaultBranch = repository.default_branch;
    cloneUrl = repository.clone_url;
    const { data } = await octokit.rest.repos.getContent({
      owner,
      repo,
      path: REPO_CONFIG_PATH,
      ref: defaultBranch,
      mediaType: { format: "raw" },
    });
    text = typeof data === "string" ? data : undefined;
  } catch (error) {
    if ((error as { status?: number }).status !== 404) {
      throw classifyGitHubError(error, `reading ${REPO_CONFIG_PATH} of ${fullName(handle)}`);
    }
    defaultBranch ??= "";
    if (!defaultBranch) throw classifyGitHubError(error, `reading ${fullName(handle)}`);
  }
  return { config: parseRepoConfig(text), defaultBranch, cloneUrl, found: text !== undefined };
}
