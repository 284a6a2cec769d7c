import type { InstallationToken } from "../state.js";

type Level = "read" | "write";

/**
 * The installation permission each route needs (any one of the alternatives), as GitHub's REST
 * docs list under "Fine-grained access tokens". A token minted with fewer permissions gets 403
 * `Resource not accessible by integration`, as on GitHub.
 */
const ROUTE_PERMISSIONS: Record<string, Array<[string, Level]>> = {
  "GET /repos/{owner}/{repo}": [["metadata", "read"]],
  "GET /repos/{owner}/{repo}/collaborators/{username}/permission": [["metadata", "read"]],
  "GET /repos/{owner}/{repo}/branches/{branch}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/commits/{ref}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/contents/{path}": [["contents", "read"]],
  "GET /_raw/{owner}/{repo}/{sha}/{path}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/blobs/{file_sha}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/trees/{tree_sha}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/commits/{commit_sha}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/ref/{ref}": [["contents", "read"]],
  "GET /repos/{owner}/{repo}/git/matching-refs/{ref}": [["contents", "read"]],
  "POST /repos/{owner}/{repo}/git/blobs": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/git/trees": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/git/commits": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/git/refs": [["contents", "write"]],
  "PATCH /repos/{owner}/{repo}/git/refs/{ref}": [["contents", "write"]],
  "DELETE /repos/{owner}/{repo}/git/refs/{ref}": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/dispatches": [["contents", "write"]],
  "GET /repos/{owner}/{repo}/pulls": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/pulls/{pull_number}/files": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls": [["pull_requests", "read"]],
  "GET /repos/{owner}/{repo}/issues/{issue_number}/comments": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "POST /repos/{owner}/{repo}/issues/{issue_number}/comments": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "GET /repos/{owner}/{repo}/issues/{issue_number}": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "GET /repos/{owner}/{repo}/issues/{issue_number}/labels": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "POST /repos/{owner}/{repo}/issues/{issue_number}/labels": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "DELETE /repos/{owner}/{repo}/issues/{issue_number}/labels/{name}": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "GET /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": [
    ["issues", "read"],
    ["pull_requests", "read"],
  ],
  "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "DELETE /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions/{reaction_id}": [
    ["issues", "write"],
    ["pull_requests", "write"],
  ],
  "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge": [["contents", "write"]],
  "POST /repos/{owner}/{repo}/merges": [["contents", "write"]],
  "GET /repos/{owner}/{repo}/actions/runs": [["actions", "read"]],
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}": [["actions", "read"]],
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs": [["actions", "read"]],
  "GET /repos/{owner}/{repo}/actions/runs/{run_id}/attempts/{attempt_number}/jobs": [["actions", "read"]],
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}": [["actions", "read"]],
  "GET /repos/{owner}/{repo}/actions/jobs/{job_id}/logs": [["actions", "read"]],
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun-failed-jobs": [["actions", "write"]],
  "POST /repos/{owner}/{repo}/actions/runs/{run_id}/rerun": [["actions", "write"]],
  "POST /repos/{owner}/{repo}/check-runs": [["checks", "write"]],
  "PATCH /repos/{owner}/{repo}/check-runs/{check_run_id}": [["checks", "write"]],
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}": [["checks", "read"]],
  "GET /repos/{owner}/{repo}/check-runs/{check_run_id}/annotations": [["checks", "read"]],
  "GET /repos/{owner}/{repo}/commits/{ref}/check-runs": [["checks", "read"]],
};

export function requiredPermissions(route: string): Array<[string, Level]> | undefined {
  return ROUTE_PERMISSIONS[route];
}

/** `x-accepted-github-permissions` as GitHub sends it: alternatives separated by `;`. */
export function acceptedPermissionsHeader(route: string): string | undefined {
  return ROUTE_PERMISSIONS[route]?.map(([name, level]) => `${name}=${level}`).join("; ");
}

export function tokenAllows(token: InstallationToken, route: string): boolean {
  const needed = ROUTE_PERMISSIONS[route];
  if (!needed) return true;
  return needed.some(([name, level]) => {
    const granted = token.permissions[name] ?? (name === "metadata" ? "read" : undefined);
    return granted === "write" || (granted === "read" && level === "read");
  });
}
