import { deliverWebhook, type WebhookEvent } from "../delivery/deliver-webhook.js";
import type { BareRepository, CommitObject, GitIdentity } from "../git/bare-repository.js";
import { gitText, runGit } from "../git/run-git.js";
import { iso } from "../http/serializers.js";
import { type Account, type Delivery, type FakeGitHubState, type Repository, repoKey } from "../state.js";
import { gitIdentityOf } from "./acting-user.js";
import { pullDetailsJson } from "./pull-details.js";

const ZERO = "0".repeat(40);
/** GitHub lists at most 2048 commits in a push payload. */
const MAX_COMMITS = 2048;

export interface RefUpdate {
  /** Full ref, `refs/heads/main`. */
  ref: string;
  /** Sha before the update; all zeros when the ref was created. */
  before: string;
  /** Sha after it; all zeros when the ref was deleted. */
  after: string;
}

async function changedPaths(git: BareRepository, commit: CommitObject) {
  const args = commit.parents[0]
    ? ["diff-tree", "-r", "-z", "--name-status", commit.parents[0], commit.sha]
    : ["diff-tree", "-r", "-z", "--name-status", "--root", commit.sha];
  const parts = (await runGit(git.gitDir, args)).stdout.toString("utf8").split("\0").filter(Boolean);
  const paths = { added: [] as string[], removed: [] as string[], modified: [] as string[] };
  // --root prints the commit sha first.
  if (parts[0] === commit.sha) parts.shift();
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const status = parts[i]!;
    const path = parts[i + 1]!;
    if (status === "A") paths.added.push(path);
    else if (status === "D") paths.removed.push(path);
    else paths.modified.push(path);
  }
  return paths;
}

function personJson(state: FakeGitHubState, who: GitIdentity) {
  const account = [...state.accounts.values()].find((a) => who.email === `${a.id}+${a.login}@users.noreply.github.com`);
  return { name: who.name, email: who.email, ...(account ? { username: account.login } : {}) };
}

async function revList(git: BareRepository, args: string[]): Promise<string[]> {
  const text = await gitText(git.gitDir, ["rev-list", ...args]);
  return text ? text.split("\n") : [];
}

/** The `push` webhook body GitHub sends for one ref update (read after the ref moved). */
export async function pushBody(state: FakeGitHubState, repo: Repository, update: RefUpdate, pusher: Account) {
  const { git } = repo;
  const created = update.before === ZERO;
  const deleted = update.after === ZERO;
  // Other refs hold what the repository had already; a pull request's own ref that followed
  // this very push (refs/pull/N/head) does not count.
  const others = (await git.listRefs("refs/"))
    .filter((r) => r.ref !== update.ref && !(r.ref.startsWith("refs/pull/") && r.sha === update.after))
    .map((r) => r.sha);
  let commits: CommitObject[] = [];
  let distinct = new Set<string>();
  if (!deleted) {
    const range = created ? [update.after, "--not", ...others] : [update.after, "--not", update.before];
    const shas = (await revList(git, ["--reverse", "--topo-order", ...range])).slice(-MAX_COMMITS);
    commits = (await Promise.all(shas.map((sha) => git.readCommit(sha)))).filter((c) => c !== null);
    const before = created ? [] : [update.before];
    distinct = new Set(await revList(git, [update.after, "--not", ...before, ...others]));
  }
  const url = (sha: string) => `https://github.com/${repo.fullName}/commit/${sha}`;
  const commitJson = async (commit: CommitObject) => ({
    id: commit.sha,
    tree_id: commit.tree,
    distinct: distinct.has(commit.sha),
    message: commit.message.replace(/\n$/, ""),
    timestamp: iso(commit.author.date * 1000),
    url: url(commit.sha),
    author: personJson(state, commit.author),
    committer: personJson(state, commit.committer),
    ...(await changedPaths(git, commit)),
  });
  const head = deleted
    ? null
    : commits.at(-1)?.sha === update.after
      ? commits.at(-1)!
      : await git.readCommit(update.after);
  const forced = !created && !deleted && !(await git.isAncestor(update.before, update.after));
  const short = (sha: string) => sha.slice(0, 12);
  const identity = gitIdentityOf(pusher, 0);
  return {
    ref: update.ref,
    before: update.before,
    after: update.after,
    created,
    deleted,
    forced,
    base_ref: null,
    compare: created
      ? url(short(update.after))
      : `https://github.com/${repo.fullName}/compare/${short(update.before)}...${short(update.after)}`,
    commits: await Promise.all(commits.map(commitJson)),
    head_commit: head ? await commitJson(head) : null,
    pusher: { name: identity.name, email: identity.email },
  };
}

/**
 * What GitHub sends when a branch moves: `push`, then `pull_request` `synchronize` for each open
 * pull request whose head is that branch. Built now (they read the repository as it is).
 */
export async function refUpdateEvents(
  state: FakeGitHubState,
  repo: Repository,
  update: RefUpdate,
  pusher: Account,
): Promise<WebhookEvent[]> {
  if (!state.webhook || update.before === update.after) return [];
  const events: WebhookEvent[] = [
    { event: "push", repo, sender: pusher, body: await pushBody(state, repo, update, pusher) },
  ];
  const branch = update.ref.startsWith("refs/heads/") ? update.ref.slice("refs/heads/".length) : null;
  if (branch && update.after !== ZERO) {
    for (const pull of state.pulls.get(repoKey(repo.owner.login, repo.name)) ?? []) {
      if (pull.state !== "open" || pull.headRef !== branch || pull.headRepo) continue;
      events.push({
        event: "pull_request",
        repo,
        sender: pusher,
        body: {
          action: "synchronize",
          number: pull.number,
          before: update.before,
          after: update.after,
          pull_request: await pullDetailsJson(state, repo, pull),
        },
      });
    }
  }
  return events;
}

/** Queues events in order; the promise settles when every one was answered. */
export function deliverAll(state: FakeGitHubState, events: WebhookEvent[]): Promise<Array<Delivery | undefined>> {
  return Promise.all(events.map((event) => deliverWebhook(state, event)));
}
