import { fullName, type RepoHandle } from "../context/repo-ref.js";
import { classifyGitHubError } from "../errors/classify-github-error.js";

/** GitHub's role of a user on a repository: admin, maintain, write, triage, read or none. */
export type RepositoryRole = "admin" | "maintain" | "write" | "triage" | "read" | "none";

const ROLES = new Set<string>(["admin", "maintain", "write", "triage", "read", "none"]);

/**
 * The user's role on the repository, asked of GitHub (never guessed from a login): `role_name`
 * where GitHub gives it (it tells maintain and triage apart), else the legacy `permission`.
 * A user GitHub does not know (404) has no role.
 */
export async function collaboratorPermission(handle: RepoHandle, login: string): Promise<RepositoryRole> {
  try {
    const { data } = await handle.octokit.rest.repos.getCollaboratorPermissionLevel({
      owner: handle.owner,
      repo: handle.repo,
      username: login,
    });
    const role = (data as { role_name?: string }).role_name ?? data.permission;
    return ROLES.has(role) ? (role as RepositoryRole) : "none";
  } catch (error) {
    if ((error as { status?: number }).status === 404) return "none";
    throw classifyGitHubError(error, `reading the permission of ${login} on ${fullName(handle)}`);
  }
}
