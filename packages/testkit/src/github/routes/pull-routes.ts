import { diffFiles } from "../git/diff-files.js";
import { runGit } from "../git/run-git.js";
import { notFound, unprocessable, validationFailed } from "../http/github-http-error.js";
import { paginate } from "../http/paginate.js";
import type { Router } from "../http/router.js";
import { pullJson } from "../http/serializers.js";
import { validateBody } from "../http/validate.js";
import { pullDetailsJson } from "../operations/pull-details.js";
import { openPullRequest } from "../seed/seed-repositories.js";
import { type FakeGitHubState, type PullRequest, type Repository, repoKey } from "../state.js";
import { fileJson } from "./repo-routes.js";

/** Head and base shas follow their branches, as they do on GitHub while a pull request is open. */
export async function pullShas(
  state: FakeGitHubState,
  repo: Repository,
  pull: PullRequest,
): Promise<{ head: string; base: string }> {
  if (pull.closedShas) return pull.closedShas;
  const base = (await repo.git.readRef(`refs/heads/${pull.baseRef}`))!;
  const pullRef = `refs/pull/${pull.number}/head`;
  const headRepo = pull.headRepo ? state.repositories.get(pull.headRepo.toLowerCase()) : undefined;
  if (!headRepo) {
    const head = (await repo.git.readRef(`refs/heads/${pull.headRef}`)) ?? (await repo.git.readRef(pullRef))!;
    return { head, base };
  }
  // A fork's head lives in the fork; GitHub mirrors it into the base repository as refs/pull/N/head.
  const head = (await headRepo.git.readRef(`refs/heads/${pull.headRef}`)) ?? (await repo.git.readRef(pullRef))!;
  if ((await repo.git.readRef(pullRef)) !== head) await mirrorPullHead(repo, headRepo, pull);
  return { head, base };
}

export async function mirrorPullHead(base: Repository, head: Repository, pull: PullRequest): Promise<void> {
  await runGit(base.git.gitDir, [
    "fetch",
    "--quiet",
    "--no-tags",
    head.git.gitDir,
    `+refs/heads/${pull.headRef}:refs/pull/${pull.number}/head`,
  ]);
}

/** `owner:branch` of a pull request's head, the fork's owner for a fork. */
export function headLabel(repo: Repository, pull: PullRequest): string {
  const owner = pull.headRepo ? pull.headRepo.split("/")[0] : repo.owner.login;
  return `${owner}:${pull.headRef}`;
}

export function pullsOf(state: FakeGitHubState, repo: Repository): PullRequest[] {
  return state.pulls.get(repoKey(repo.owner.login, repo.name)) ?? [];
}

/** Pull requests, their changed files, and the pull requests of a commit. */
export function registerPullRoutes(router: Router): void {
  router.route("GET", "/repos/{owner}/{repo}/pulls", "installation", async (ctx) => {
    const { state, repo, query } = ctx;
    const wanted = query.state ?? "open";
    let pulls = pullsOf(state, repo).filter((p) => wanted === "all" || p.state === wanted);
    if (query.head) pulls = pulls.filter((p) => headLabel(repo, p).toLowerCase() === query.head!.toLowerCase());
    if (query.base) pulls = pulls.filter((p) => p.baseRef === query.base);
    pulls = [...pulls].sort((a, b) => b.number - a.number);
    if (query.direction === "asc") pulls.reverse();
    const { page, headers } = paginate(ctx, pulls);
    const body = [];
    for (const pull of page) body.push(pullJson(state, repo, pull, await pullShas(state, repo, pull)));
    return { status: 200, body, headers };
  });

  // https://docs.github.com/rest/pulls/pulls#create-a-pull-request: head and base are required,
  // and so is title (unless an issue is converted, which the fake does not do); 422 otherwise.
  router.route("POST", "/repos/{owner}/{repo}/pulls", "installation", async (ctx) => {
    const { state, repo, body } = ctx;
    const docs = "https://docs.github.com/rest/pulls/pulls#create-a-pull-request";
    validateBody(
      body,
      "PullRequest",
      {
        required: { head: "string", base: "string", title: "string" },
        optional: { body: "nullable-string", draft: "boolean", maintainer_can_modify: "boolean" },
      },
      docs,
    );
    const head = String(body.head).replace(/^[^:]+:/, "");
    const base = String(body.base);
    if (!(await repo.git.readRef(`refs/heads/${head}`)) || !(await repo.git.readRef(`refs/heads/${base}`))) {
      throw validationFailed([{ resource: "PullRequest", field: "base", code: "invalid" }], docs);
    }
    const existing = pullsOf(state, repo).find((p) => p.state === "open" && p.headRef === head && p.baseRef === base);
    if (existing) {
      throw unprocessable(`A pull request already exists for ${repo.owner.login}:${head}.`, docs);
    }
    const opened = await openPullRequest(state, {
      repo: `${repo.owner.login}/${repo.name}`,
      head,
      base,
      title: String(body.title),
      ...(typeof body.body === "string" ? { body: body.body } : {}),
      ...(typeof body.draft === "boolean" ? { draft: body.draft } : {}),
      user: `${state.app.slug}[bot]`,
    });
    const pull = pullsOf(state, repo).find((p) => p.number === opened.number)!;
    return { status: 201, body: pullJson(state, repo, pull, await pullShas(state, repo, pull)) };
  });

  router.route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}", "installation", async ({ state, repo, params }) => {
    const pull = pullsOf(state, repo).find((p) => p.number === Number(params.pull_number));
    if (!pull) throw notFound("https://docs.github.com/rest/pulls/pulls#get-a-pull-request");
    return { status: 200, body: await pullDetailsJson(state, repo, pull) };
  });

  router.route("GET", "/repos/{owner}/{repo}/pulls/{pull_number}/files", "installation", async (ctx) => {
    const { state, repo, params } = ctx;
    const pull = pullsOf(state, repo).find((p) => p.number === Number(params.pull_number));
    if (!pull) throw notFound("https://docs.github.com/rest/pulls/pulls#list-pull-requests-files");
    const shas = await pullShas(state, repo, pull);
    const mergeBase = (await repo.git.mergeBase(shas.base, shas.head)) ?? shas.base;
    // GitHub lists at most 3000 files of a pull request.
    const files = (await diffFiles(repo.git, mergeBase, shas.head)).slice(0, 3000);
    const { page, headers } = paginate(ctx, files);
    return { status: 200, body: page.map((f) => fileJson(state, repo.fullName, shas.head, f)), headers };
  });

  router.route("GET", "/repos/{owner}/{repo}/commits/{commit_sha}/pulls", "installation", async (ctx) => {
    const { state, repo, params } = ctx;
    const sha = await repo.git.resolveCommit(params.commit_sha!);
    if (!sha) {
      throw unprocessable(
        `No commit found for SHA: ${params.commit_sha}`,
        "https://docs.github.com/rest/commits/commits#list-pull-requests-associated-with-a-commit",
      );
    }
    const found = [];
    for (const pull of pullsOf(state, repo)) {
      const shas = await pullShas(state, repo, pull);
      const inHead = await repo.git.isAncestor(sha, shas.head);
      const inBase = await repo.git.isAncestor(sha, shas.base);
      if (inHead && !inBase) found.push(pullJson(state, repo, pull, shas));
    }
    const { page, headers } = paginate(ctx, found);
    return { status: 200, body: page, headers };
  });
}
