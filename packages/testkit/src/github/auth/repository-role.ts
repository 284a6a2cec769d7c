import type { Account, FakeGitHubState, Permission, Repository } from "../state.js";

/** A user's role on a repository: set with `setPermission`; the owner is admin; others read public repos only. */
export function repositoryRole(repo: Repository, login: string): Permission {
  const key = login.toLowerCase();
  return (
    repo.permissions.get(key) ?? (repo.owner.login.toLowerCase() === key ? "admin" : repo.private ? "none" : "read")
  );
}

export type AuthorAssociation = "OWNER" | "MEMBER" | "COLLABORATOR" | "CONTRIBUTOR" | "NONE";

/**
 * `author_association` as GitHub derives it: the owner is OWNER; people given admin or maintain on
 * an organisation's repository are taken for its members (MEMBER); anyone else given a role is a
 * COLLABORATOR; someone whose pull request was merged is a CONTRIBUTOR; everyone else (and Apps'
 * bots) NONE.
 */
export function authorAssociation(state: FakeGitHubState, repo: Repository, account: Account): AuthorAssociation {
  if (account.type === "Bot") return "NONE";
  const key = account.login.toLowerCase();
  if (repo.owner.login.toLowerCase() === key) return "OWNER";
  const role = repo.permissions.get(key);
  if (role && role !== "none") {
    return repo.owner.type === "Organization" && (role === "admin" || role === "maintain") ? "MEMBER" : "COLLABORATOR";
  }
  const merged = (state.pulls.get(repo.fullName.toLowerCase()) ?? []).some(
    (p) => p.mergedAt !== null && p.user.id === account.id,
  );
  return merged ? "CONTRIBUTOR" : "NONE";
}
