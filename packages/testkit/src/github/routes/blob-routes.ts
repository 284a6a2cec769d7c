import { GitHubHttpError, notFound } from "../http/github-http-error.js";
import type { Router } from "../http/router.js";

/**
 * What GitHub's redirects point at: job logs on a short-lived signed URL (no Authorization
 * needed, as on GitHub's blob storage) and raw file downloads.
 */
export function registerBlobRoutes(router: Router): void {
  router.route("GET", "/_blobs/job-logs/{job_id}", "none", ({ state, query }) => {
    const blob = query.sig ? state.logBlobs.get(query.sig) : undefined;
    if (!blob || blob.expiresAt <= state.now()) {
      throw new GitHubHttpError(
        403,
        "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
      );
    }
    return { status: 200, raw: blob.text, contentType: "text/plain; charset=utf-8" };
  });

  router.route("GET", "/_raw/{owner}/{repo}/{sha}/{path}", "installation", async ({ repo, params }) => {
    const sha = await repo.git.resolveCommit(params.sha!);
    const entry = sha ? await repo.git.entryAt(sha, params.path!) : null;
    if (entry?.type !== "blob") throw notFound();
    return { status: 200, raw: await repo.git.readBlob(entry.sha), contentType: "text/plain; charset=utf-8" };
  });
}
