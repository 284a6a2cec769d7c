import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getRequestListener } from "@hono/node-server";
import { createOidcIssuer } from "../oidc/index.js";
import { mintInstallationToken } from "./auth/installation-tokens.js";
import type { FakeGitHub, StartFakeGitHubOptions } from "./fake-github.js";
import { handleGitRequest } from "./git/smart-http.js";
import { FaultTable } from "./http/faults.js";
import { Router } from "./http/router.js";
import { commentJson, iso } from "./http/serializers.js";
import {
  actingUser,
  addLabels,
  closePullRequest,
  createComment,
  deliverAll,
  findIssueItem,
  findPull,
  mergeBranch,
  mergePullRequest,
  react,
  refUpdateEvents,
  removeLabel,
} from "./operations/index.js";
import { registerActionsRoutes } from "./routes/actions-routes.js";
import { registerAppRoutes } from "./routes/app-routes.js";
import { registerBlobRoutes } from "./routes/blob-routes.js";
import { registerCheckRoutes } from "./routes/check-routes.js";
import { registerCommentRoutes } from "./routes/comment-routes.js";
import { registerGitDataRoutes } from "./routes/git-data-routes.js";
import { registerLabelRoutes } from "./routes/label-routes.js";
import { registerMergeRoutes } from "./routes/merge-routes.js";
import { registerPullRoutes } from "./routes/pull-routes.js";
import { registerReactionRoutes } from "./routes/reaction-routes.js";
import { registerRepoRoutes } from "./routes/repo-routes.js";
import { ensureAccount } from "./seed/accounts.js";
import { addWorkflowRun } from "./seed/add-workflow-run.js";
import { commitFiles, createRepository, openIssue, openPullRequest, requireRepo } from "./seed/seed-repositories.js";
import type { Delivery, FakeGitHubState } from "./state.js";
import { repoKey } from "./state.js";

function appKeys(options: StartFakeGitHubOptions): { privateKey: string | undefined; publicKey: KeyObject } {
  if (options.publicKey) return { privateKey: options.privateKey, publicKey: createPublicKey(options.publicKey) };
  if (options.privateKey) {
    return { privateKey: options.privateKey, publicKey: createPublicKey(createPrivateKey(options.privateKey)) };
  }
  // RSA generation costs up to a second on a busy machine; one pair serves every fake of a process.
  defaultKeys ??= (() => {
    const pair = generateKeyPairSync("rsa", { modulusLength: 2048 });
    // GitHub hands out App keys as PKCS#1 ("BEGIN RSA PRIVATE KEY"); clients must cope with that.
    return {
      privateKey: pair.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
      publicKey: pair.publicKey,
    };
  })();
  return defaultKeys;
}

const sent = (deliveries: Array<Delivery | undefined>): Delivery[] => deliveries.filter((d) => d !== undefined);

let defaultKeys: { privateKey: string; publicKey: KeyObject } | undefined;

/** Starts a fake GitHub on 127.0.0.1 and a random port; see README.md beside this file. */
export async function startFakeGitHub(options: StartFakeGitHubOptions = {}): Promise<FakeGitHub> {
  const ownDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), "fake-github-")));
  const keys = appKeys(options);
  const now = options.now ?? Date.now;
  let counter = 1000 + Math.floor(Math.random() * 1000);
  const appId = options.appId ?? 100_000 + Math.floor(Math.random() * 900_000);
  const state: FakeGitHubState = {
    baseUrl: "",
    dataDir,
    now,
    app: {
      id: appId,
      slug: options.appSlug ?? "fixfleet-test",
      name: options.appSlug ?? "fixfleet-test",
      owner: { login: "fixfleet", id: 1, type: "Organization" },
      createdAt: now(),
    },
    publicKey: keys.publicKey,
    tokenTtlMs: options.tokenTtlMs ?? 3_600_000,
    rateLimit: options.rateLimit ?? 5000,
    accounts: new Map(),
    installations: new Map(),
    repositories: new Map(),
    tokens: new Map(),
    rateUsage: new Map(),
    pulls: new Map(),
    issues: new Map(),
    comments: [],
    labels: new Map(),
    reactions: [],
    webhook: options.webhook,
    deliveries: [],
    deliveryQueue: Promise.resolve(),
    runs: [],
    checkRuns: [],
    dispatches: [],
    reruns: [],
    calls: [],
    nextId: () => {
      counter += 1;
      return counter;
    },
    logBlobs: new Map(),
  };

  const faults = new FaultTable();
  const router = new Router(state, faults);
  // Specific routes before the ones whose `{ref}` would swallow their tail.
  registerPullRoutes(router);
  registerCheckRoutes(router);
  registerAppRoutes(router);
  registerRepoRoutes(router);
  registerMergeRoutes(router);
  registerReactionRoutes(router);
  registerLabelRoutes(router);
  registerCommentRoutes(router);
  registerActionsRoutes(router);
  registerGitDataRoutes(router);
  registerBlobRoutes(router);

  // The issuer is the server's root URL, like token.actions.githubusercontent.com: its two
  // `/.well-known/` documents sit beside the REST routes without clashing with any of them.
  const oidc = await createOidcIssuer({
    issuer: () => state.baseUrl,
    ...(options.oidcAudience ? { audience: options.oidcAudience } : {}),
  });
  router.mount("/.well-known", (request) => oidc.handle(request));

  const rest = getRequestListener(router.app.fetch);
  const server = createServer((req, res) => {
    if (handleGitRequest(state, faults, req, res)) return;
    void rest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  state.baseUrl = url;

  const installationFor = (owner: string) => {
    const account = state.accounts.get(owner.toLowerCase());
    const installation = [...state.installations.values()].find((i) => i.account.id === account?.id);
    if (!installation) throw new Error(`fake GitHub has no installation on ${owner}`);
    return installation.id;
  };
  const inRepo = <T extends { repo: string }>(items: T[], fullName: string) => {
    const wanted = requireRepo(state, fullName).fullName;
    return items.filter((item) => item.repo === wanted);
  };

  return {
    url,
    port,
    appId,
    appSlug: state.app.slug,
    privateKey: keys.privateKey,
    publicKey: keys.publicKey.export({ type: "spki", format: "pem" }).toString(),
    dataDir,
    oidc,
    oidcIssuerUrl: url,
    mintActionsToken: (claims, mintOptions) => {
      const [owner = "", name = ""] = claims.repository.split("/");
      const repo = state.repositories.get(repoKey(owner, name));
      const known = repo
        ? {
            repository: repo.fullName,
            repository_id: String(repo.id),
            repository_owner: repo.owner.login,
            repository_owner_id: String(repo.owner.id),
            repository_visibility: repo.private ? ("private" as const) : ("public" as const),
          }
        : {};
      return oidc.mintToken({ ...known, ...claims }, mintOptions);
    },
    faults: { inject: (route, fault) => faults.inject(route, fault), clear: () => faults.clear() },
    calls: state.calls,
    callsTo: (route) => {
      const [method, path] = route.trim().split(/\s+/);
      return state.calls.filter((c) => c.route === `${method!.toUpperCase()} ${path}`);
    },

    createRepository: (input) => createRepository(state, input),
    commit: async (input) => {
      const repo = requireRepo(state, input.repo);
      const ref = `refs/heads/${input.branch}`;
      const before = (await repo.git.readRef(ref)) ?? "0".repeat(40);
      const sha = await commitFiles(state, input);
      const pusher = input.user ? actingUser(state, input.user) : repo.owner;
      await deliverAll(state, await refUpdateEvents(state, repo, { ref, before, after: sha }, pusher));
      return sha;
    },
    openPullRequest: (input) => openPullRequest(state, input),
    openIssue: (input) => openIssue(state, input),
    addWorkflowRun: (input) => addWorkflowRun(state, input),
    setPermission: (repo, username, permission) => {
      ensureAccount(state, username);
      requireRepo(state, repo).permissions.set(username.toLowerCase(), permission);
    },
    setInstalled: (repo, installed) => {
      requireRepo(state, repo).installed = installed;
    },
    installationId: installationFor,
    createInstallationToken: (which) => {
      const id = typeof which === "number" ? which : installationFor(which);
      if (!state.installations.has(id)) throw new Error(`fake GitHub has no installation ${id}`);
      const token = mintInstallationToken(state, id);
      return { token: token.token, expiresAt: iso(token.expiresAt)! };
    },
    cloneUrlWithToken: (repo, token) => {
      const target = new URL(`${url}/${requireRepo(state, repo).fullName}.git`);
      target.username = "x-access-token";
      target.password = token;
      return target.toString();
    },

    comments: (repo, issueNumber) => inRepo(state.comments, repo).filter((c) => c.issueNumber === issueNumber),
    branches: async (repo) => {
      const refs = await requireRepo(state, repo).git.listRefs("refs/heads/");
      return Object.fromEntries(refs.map((r) => [r.ref.slice("refs/heads/".length), r.sha]));
    },
    readFile: async (repo, ref, path) => {
      const git = requireRepo(state, repo).git;
      const sha = await git.resolveCommit(ref);
      const entry = sha ? await git.entryAt(sha, path) : null;
      return entry && entry.type === "blob" ? (await git.readBlob(entry.sha)).toString("utf8") : null;
    },
    listFiles: async (repo, ref) => {
      const git = requireRepo(state, repo).git;
      const sha = await git.resolveCommit(ref);
      if (!sha) throw new Error(`no ref ${ref} in ${repo}`);
      return (await git.listTree(sha, { recursive: true })).map((e) => e.path);
    },
    checkRuns: (repo) => inRepo(state.checkRuns, repo),
    dispatches: (repo) => inRepo(state.dispatches, repo),
    reruns: (repo) => inRepo(state.reruns, repo),
    pullRequests: (repo) =>
      state.pulls.get(repoKey(...(requireRepo(state, repo).fullName.split("/") as [string, string]))) ?? [],

    setWebhookTarget: (target) => {
      state.webhook = target;
    },
    deliveries: state.deliveries,
    webhooksSettled: () => state.deliveryQueue,

    comment: async ({ repo: fullName, issueNumber, body, user }) => {
      const repo = requireRepo(state, fullName);
      const target = findIssueItem(state, repo, issueNumber);
      if (!target) throw new Error(`${fullName} has no pull request or issue #${issueNumber}`);
      const { comment, delivered } = createComment(state, repo, target, body, actingUser(state, user));
      return { id: comment.id, htmlUrl: commentJson(state, comment).html_url, delivery: await delivered };
    },
    addLabel: async ({ repo: fullName, number, label, user }) => {
      const repo = requireRepo(state, fullName);
      const target = findIssueItem(state, repo, number);
      if (!target) throw new Error(`${fullName} has no pull request or issue #${number}`);
      const { delivered } = await addLabels(state, repo, target, [label], actingUser(state, user));
      return { delivery: (await delivered)[0] };
    },
    removeLabel: async ({ repo: fullName, number, label, user }) => {
      const repo = requireRepo(state, fullName);
      const target = findIssueItem(state, repo, number);
      if (!target) throw new Error(`${fullName} has no pull request or issue #${number}`);
      const { removed, delivered } = await removeLabel(state, repo, target, label, actingUser(state, user));
      return { removed, delivery: await delivered };
    },
    react: ({ repo: fullName, commentId, content, user }) => {
      const wanted = requireRepo(state, fullName).fullName;
      const comment = state.comments.find((c) => c.id === commentId && c.repo === wanted);
      if (!comment) throw new Error(`${fullName} has no issue comment ${commentId}`);
      const { reaction, created } = react(state, comment, content, actingUser(state, user));
      return { id: reaction.id, created };
    },
    mergePullRequest: async ({ repo: fullName, number, user, method, sha, commitTitle, commitMessage }) => {
      const repo = requireRepo(state, fullName);
      const pull = findPull(state, repo, number);
      if (!pull) throw new Error(`${fullName} has no pull request #${number}`);
      const merged = await mergePullRequest(state, repo, pull, {
        method: method ?? "merge",
        user: actingUser(state, user),
        ...(sha !== undefined ? { sha } : {}),
        ...(commitTitle !== undefined ? { commitTitle } : {}),
        ...(commitMessage !== undefined ? { commitMessage } : {}),
      });
      return { sha: merged.sha, deliveries: sent(await merged.delivered) };
    },
    closePullRequest: async ({ repo: fullName, number, user }) => {
      const repo = requireRepo(state, fullName);
      const pull = findPull(state, repo, number);
      if (!pull) throw new Error(`${fullName} has no pull request #${number}`);
      const { delivered } = await closePullRequest(state, repo, pull, actingUser(state, user));
      return { deliveries: sent(await delivered) };
    },
    mergeBranch: async ({ repo: fullName, base, head, user, commitMessage }) => {
      const repo = requireRepo(state, fullName);
      const merged = await mergeBranch(state, repo, {
        base,
        head,
        user: actingUser(state, user),
        ...(commitMessage !== undefined ? { commitMessage } : {}),
      });
      return merged ? { sha: merged.sha, deliveries: sent(await merged.delivered) } : { sha: null, deliveries: [] };
    },
    labels: (fullName, number) => {
      const target = findIssueItem(state, requireRepo(state, fullName), number);
      return target ? target.item.labels.map((l) => l.name) : [];
    },
    reactions: (fullName, commentId) => {
      const wanted = requireRepo(state, fullName).fullName;
      const comment = state.comments.find((c) => c.id === commentId && c.repo === wanted);
      return comment ? state.reactions.filter((r) => r.commentId === comment.id) : [];
    },

    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownDataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
