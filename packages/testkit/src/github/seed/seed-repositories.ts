import { join } from "node:path";
import type { CommitInput, CreateRepositoryInput, OpenPullRequestInput, SeededRepository } from "../fake-github.js";
import { BareRepository } from "../git/bare-repository.js";
import { buildTree } from "../git/build-tree.js";
import { runGit } from "../git/run-git.js";
import { cloneUrl } from "../http/serializers.js";
import { mirrorPullHead } from "../routes/pull-routes.js";
import { type FakeGitHubState, type PullRequest, type Repository, repoKey } from "../state.js";
import { ensureAccount, ensureInstallation } from "./accounts.js";
import { toTreeChanges } from "./file-map.js";

export function requireRepo(state: FakeGitHubState, fullName: string): Repository {
  const [owner, name] = fullName.split("/");
  const repo = owner && name ? state.repositories.get(repoKey(owner, name)) : undefined;
  if (!repo) throw new Error(`fake GitHub has no repository ${fullName}`);
  return repo;
}

const SEED_AUTHOR = { name: "Test Author", email: "author@example.com" };

export async function createRepository(
  state: FakeGitHubState,
  input: CreateRepositoryInput,
): Promise<SeededRepository> {
  const key = repoKey(input.owner, input.name);
  if (state.repositories.has(key)) throw new Error(`repository ${input.owner}/${input.name} already exists`);
  if (!/^[A-Za-z0-9_.-]+$/.test(input.name) || !/^[A-Za-z0-9-]+$/.test(input.owner)) {
    throw new Error(`invalid repository name ${input.owner}/${input.name}`);
  }
  const owner = ensureAccount(state, input.owner, input.ownerType ?? "Organization");
  const installation = ensureInstallation(state, owner);
  const defaultBranch = input.defaultBranch ?? "main";
  const git = new BareRepository(join(state.dataDir, owner.login, `${input.name}.git`));
  await git.init(defaultBranch);
  const repo: Repository = {
    id: state.nextId(),
    owner,
    name: input.name,
    fullName: `${owner.login}/${input.name}`,
    private: input.private ?? true,
    defaultBranch,
    installationId: installation.id,
    installed: input.installed ?? true,
    git,
    createdAt: state.now(),
    permissions: new Map(),
  };
  let headSha: string;
  if (input.forkOf) {
    const parent = requireRepo(state, input.forkOf);
    if (input.files) throw new Error("a fork starts from its parent's branches; seed files with commit()");
    repo.parent = parent;
    repo.defaultBranch = parent.defaultBranch;
    await runGit(git.gitDir, ["fetch", "--quiet", "--no-tags", parent.git.gitDir, "+refs/heads/*:refs/heads/*"]);
    await runGit(git.gitDir, ["symbolic-ref", "HEAD", `refs/heads/${parent.defaultBranch}`]);
    headSha = (await git.readRef(`refs/heads/${parent.defaultBranch}`))!;
  } else {
    const tree = await buildTree(git, null, toTreeChanges(input.files ?? {}));
    const seconds = Math.floor(state.now() / 1000);
    headSha = await git.writeCommit({
      tree,
      parents: [],
      message: input.message ?? "Initial commit",
      author: { ...SEED_AUTHOR, date: seconds },
      committer: { ...SEED_AUTHOR, date: seconds },
    });
    await git.updateRef(`refs/heads/${defaultBranch}`, headSha, null);
  }
  state.repositories.set(key, repo);
  return {
    id: repo.id,
    owner: owner.login,
    name: repo.name,
    fullName: repo.fullName,
    cloneUrl: cloneUrl(state, repo),
    defaultBranch: repo.defaultBranch,
    headSha,
    installationId: installation.id,
  };
}

export async function commitFiles(state: FakeGitHubState, input: CommitInput): Promise<string> {
  const repo = requireRepo(state, input.repo);
  const ref = `refs/heads/${input.branch}`;
  const current = await repo.git.readRef(ref);
  const parent = current ?? (await repo.git.resolveCommit(input.from ?? repo.defaultBranch));
  if (!parent) throw new Error(`cannot start ${input.branch} from ${input.from ?? repo.defaultBranch}: no such ref`);
  const base = (await repo.git.readCommit(parent))!;
  const tree = await buildTree(repo.git, base.tree, toTreeChanges(input.files));
  const seconds = Math.floor(state.now() / 1000);
  const who = input.author ?? SEED_AUTHOR;
  const sha = await repo.git.writeCommit({
    tree,
    parents: [parent],
    message: input.message ?? `Update ${Object.keys(input.files).join(", ")}`,
    author: { ...who, date: seconds },
    committer: { ...who, date: seconds },
  });
  await repo.git.updateRef(ref, sha, current);
  for (const pull of state.pulls.get(repoKey(repo.owner.login, repo.name)) ?? []) {
    if (pull.headRef === input.branch && pull.state === "open" && !pull.headRepo) {
      await repo.git.updateRef(`refs/pull/${pull.number}/head`, sha);
      pull.updatedAt = state.now();
    }
  }
  return sha;
}

function nextIssueNumber(state: FakeGitHubState, key: string): number {
  const numbers = [...(state.pulls.get(key) ?? []), ...(state.issues.get(key) ?? [])].map((i) => i.number);
  return Math.max(0, ...numbers) + 1;
}

export function openIssue(
  state: FakeGitHubState,
  input: { repo: string; title?: string; body?: string; user?: string },
): { number: number } {
  const repo = requireRepo(state, input.repo);
  const key = repoKey(repo.owner.login, repo.name);
  const number = nextIssueNumber(state, key);
  const issues = state.issues.get(key) ?? [];
  const now = state.now();
  issues.push({
    number,
    id: state.nextId(),
    title: input.title ?? `Issue ${number}`,
    body: input.body ?? null,
    user: ensureAccount(state, input.user ?? "octocat"),
    state: "open",
    labels: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
  });
  state.issues.set(key, issues);
  return { number };
}

export async function openPullRequest(
  state: FakeGitHubState,
  input: OpenPullRequestInput,
): Promise<{ number: number; headSha: string; baseSha: string }> {
  const repo = requireRepo(state, input.repo);
  const base = input.base ?? repo.defaultBranch;
  const headRepo = input.headRepo ? requireRepo(state, input.headRepo) : repo;
  if (headRepo !== repo && headRepo.parent !== repo) {
    throw new Error(`${headRepo.fullName} is not a fork of ${repo.fullName}`);
  }
  const headSha = await headRepo.git.readRef(`refs/heads/${input.head}`);
  const baseSha = await repo.git.readRef(`refs/heads/${base}`);
  if (!headSha) throw new Error(`no branch ${input.head} in ${headRepo.fullName}`);
  if (!baseSha) throw new Error(`no branch ${base} in ${repo.fullName}`);
  const key = repoKey(repo.owner.login, repo.name);
  const pulls = state.pulls.get(key) ?? [];
  const number = nextIssueNumber(state, key);
  const now = state.now();
  const pull: PullRequest = {
    id: state.nextId(),
    number,
    repo: repo.fullName,
    title: input.title ?? `Update ${input.head}`,
    body: input.body ?? null,
    user: ensureAccount(state, input.user ?? "octocat"),
    headRef: input.head,
    ...(headRepo !== repo ? { headRepo: headRepo.fullName } : {}),
    baseRef: base,
    state: "open",
    draft: input.draft ?? false,
    labels: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    mergedAt: null,
    mergeCommitSha: null,
    mergedBy: null,
    closedShas: null,
  };
  pulls.push(pull);
  state.pulls.set(key, pulls);
  if (headRepo === repo) await repo.git.updateRef(`refs/pull/${number}/head`, headSha);
  else await mirrorPullHead(repo, headRepo, pull);
  return { number, headSha, baseSha };
}
