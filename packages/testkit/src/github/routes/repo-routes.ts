import { repositoryRole } from "../auth/repository-role.js";
import { diffFiles } from "../git/diff-files.js";
import { GitHubHttpError, notFound, unprocessable } from "../http/github-http-error.js";
import type { RouteContext, Router } from "../http/router.js";
import { accountJson, repoApiUrl, repositoryJson } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { repoCommitJson } from "./git-json.js";

const CONTENTS_DOCS = "https://docs.github.com/rest/repos/contents#get-repository-content";
const DISPATCH_DOCS = "https://docs.github.com/rest/repos/repos#create-a-repository-dispatch-event";
const ONE_MB = 1024 * 1024;

/** Repository, branch, commit, contents, collaborator permission and repository_dispatch. */
export function registerRepoRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}", "installation", ({ state, repo }) => {
    let source = repo.parent;
    while (source?.parent) source = source.parent;
    const lineage = repo.parent
      ? { parent: repositoryJson(state, repo.parent), source: repositoryJson(state, source!) }
      : {};
    return { status: 200, body: { ...repositoryJson(state, repo), ...lineage } };
  });

  router.route("GET", "/repos/{owner}/{repo}/branches/{branch}", "installation", async ({ state, repo, params }) => {
    const sha = await repo.git.readRef(`refs/heads/${params.branch}`);
    if (!sha)
      throw new GitHubHttpError(404, "Branch not found", {
        documentationUrl: "https://docs.github.com/rest/branches/branches#get-a-branch",
      });
    const commit = (await repo.git.readCommit(sha))!;
    const api = repoApiUrl(state, repo);
    return {
      status: 200,
      body: {
        name: params.branch,
        commit: repoCommitJson(state, repo, commit),
        _links: {
          self: `${api}/branches/${params.branch}`,
          html: `https://github.com/${repo.fullName}/tree/${params.branch}`,
        },
        protected: false,
        protection: { enabled: false, required_status_checks: { enforcement_level: "off", contexts: [], checks: [] } },
        protection_url: `${api}/branches/${params.branch}/protection`,
      },
    };
  });

  router.route("GET", "/repos/{owner}/{repo}/commits/{ref}", "installation", async ({ state, repo, params }) => {
    const sha = await repo.git.resolveCommit(params.ref!);
    if (!sha)
      throw unprocessable(
        `No commit found for SHA: ${params.ref}`,
        "https://docs.github.com/rest/commits/commits#get-a-commit",
      );
    const commit = (await repo.git.readCommit(sha))!;
    const base = commit.parents[0];
    const files = base ? await diffFiles(repo.git, base, sha) : [];
    const additions = files.reduce((n, f) => n + f.additions, 0);
    const deletions = files.reduce((n, f) => n + f.deletions, 0);
    return {
      status: 200,
      body: {
        ...repoCommitJson(state, repo, commit),
        stats: { total: additions + deletions, additions, deletions },
        files: files.map((f) => fileJson(state, repo.fullName, sha, f)),
      },
    };
  });

  const contents = async (ctx: RouteContext) => {
    const { state, repo } = ctx;
    const ref = ctx.query.ref || repo.defaultBranch;
    const path = (ctx.params.path ?? "").replace(/^\/+|\/+$/g, "");
    const sha = await repo.git.resolveCommit(ref);
    if (!sha) throw new GitHubHttpError(404, `No commit found for the ref ${ref}`, { documentationUrl: CONTENTS_DOCS });
    const entry = await repo.git.entryAt(sha, path);
    if (!entry) throw notFound(CONTENTS_DOCS);
    const api = repoApiUrl(state, repo);
    const describe = (p: string, e: { mode: string; type: string; sha: string; size?: number }) => {
      const type =
        e.type === "tree" ? "dir" : e.type === "commit" ? "submodule" : e.mode === "120000" ? "symlink" : "file";
      const self = `${api}/contents/${p}?ref=${encodeURIComponent(ref)}`;
      const html = `https://github.com/${repo.fullName}/${type === "dir" ? "tree" : "blob"}/${ref}/${p}`;
      const gitUrl = `${api}/git/${e.type === "tree" ? "trees" : "blobs"}/${e.sha}`;
      return {
        name: p.split("/").pop() ?? "",
        path: p,
        sha: e.sha,
        size: e.size ?? 0,
        url: self,
        html_url: html,
        git_url: gitUrl,
        download_url: type === "file" ? `${state.baseUrl}/_raw/${repo.fullName}/${sha}/${p}` : null,
        type,
        _links: { self, git: gitUrl, html },
      };
    };
    if (entry.type === "tree") {
      const children = await repo.git.listTree(entry.sha);
      return {
        status: 200,
        body: children.map((child) => describe(path ? `${path}/${child.path}` : child.path, child)),
      };
    }
    if (entry.type === "commit") return { status: 200, body: { ...describe(path, entry), submodule_git_url: null } };
    const data = await repo.git.readBlob(entry.sha);
    if (/application\/vnd\.github(\.v3)?\.raw/.test(ctx.headers.get("accept") ?? "")) {
      return { status: 200, raw: data, contentType: "text/plain; charset=utf-8" };
    }
    if (entry.mode === "120000") {
      return { status: 200, body: { ...describe(path, entry), target: data.toString("utf8") } };
    }
    const tooLarge = data.length > ONE_MB;
    return {
      status: 200,
      body: {
        ...describe(path, entry),
        content: tooLarge ? "" : wrapBase64(data.toString("base64")),
        encoding: tooLarge ? "none" : "base64",
      },
    };
  };
  router.route("GET", "/repos/{owner}/{repo}/contents/{path}", "installation", contents, [
    "/repos/{owner}/{repo}/contents",
    "/repos/{owner}/{repo}/contents/",
  ]);

  router.route(
    "GET",
    "/repos/{owner}/{repo}/collaborators/{username}/permission",
    "installation",
    ({ state, repo, params }) => {
      const login = params.username!.toLowerCase();
      const account = state.accounts.get(login);
      if (!account)
        throw notFound(
          "https://docs.github.com/rest/collaborators/collaborators#get-repository-permissions-for-a-user",
        );
      const role = repositoryRole(repo, login);
      const legacy = role === "maintain" ? "write" : role === "triage" ? "read" : role;
      const rank = ["none", "read", "triage", "write", "maintain", "admin"].indexOf(role);
      return {
        status: 200,
        body: {
          permission: legacy,
          role_name: role,
          user: {
            ...accountJson(state, account),
            permissions: {
              admin: rank >= 5,
              maintain: rank >= 4,
              push: rank >= 3,
              triage: rank >= 2,
              pull: rank >= 1,
            },
            role_name: role,
          },
        },
      };
    },
  );

  router.route("POST", "/repos/{owner}/{repo}/dispatches", "installation", ({ state, repo, body }) => {
    validateBody(
      body,
      "Repository",
      { required: { event_type: "string" }, optional: { client_payload: "object" } },
      DISPATCH_DOCS,
    );
    const eventType = body.event_type as string;
    if (eventType.length < 1 || eventType.length > 100) {
      throw unprocessable("Invalid request.\n\nevent_type is too long (maximum is 100 characters).", DISPATCH_DOCS);
    }
    const payload = (body.client_payload as Record<string, unknown> | undefined) ?? {};
    const count = Object.keys(payload).length;
    if (count > 10) {
      throw unprocessable(
        `Invalid request.\n\nNo more than 10 properties are allowed; ${count} were supplied.`,
        DISPATCH_DOCS,
      );
    }
    state.dispatches.push({ repo: repo.fullName, eventType, clientPayload: payload, at: state.now() });
    return { status: 204 };
  });
}

function wrapBase64(text: string): string {
  return `${text.replace(/.{1,60}/g, "$&\n")}`;
}

export function fileJson(
  state: RouteContext["state"],
  fullName: string,
  headSha: string,
  f: Awaited<ReturnType<typeof diffFiles>>[number],
) {
  const api = repoApiUrl(state, fullName);
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `https://github.com/${fullName}/blob/${headSha}/${f.filename}`,
    raw_url: `https://github.com/${fullName}/raw/${headSha}/${f.filename}`,
    contents_url: `${api}/contents/${f.filename}?ref=${headSha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename !== undefined ? { previous_filename: f.previousFilename } : {}),
  };
}
