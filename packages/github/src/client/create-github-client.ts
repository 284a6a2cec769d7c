import { App } from "@octokit/app";
import Bottleneck from "bottleneck";
import { classifyGitHubError } from "../errors/classify-github-error.js";
import { GitHubOctokit } from "./github-octokit.js";
import { createInstallationAuth } from "./installation-auth.js";
import { InstallationTokens } from "./installation-tokens.js";
import { timeoutFetch } from "./timeout-fetch.js";

export interface GitHubLog {
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface GitHubClientOptions {
  appId: number | string;
  /** PEM, PKCS#1 or PKCS#8. */
  privateKey: string;
  /** GITHUB_API_URL: https://api.github.com, or https://<host>/api/v3 for GitHub Enterprise Server. */
  baseUrl?: string;
  /** The clock tokens are judged by (tests pass the fake's). */
  now?: () => number;
  /** Every API call gives up after this long. */
  requestTimeoutMs?: number;
  /** Renew an installation token this long before it expires. */
  renewBeforeMs?: number;
  /** Retries of 5xx answers (plugin-retry), with (n+1)² × retryBaseMs between them. */
  retries?: number;
  /** The unit of every wait: plugin-retry's backoff and the throttling plugin's retry-after/reset. */
  retryBaseMs?: number;
  /** A rate limit that asks for a longer wait is not waited out here: the job is retried later. */
  maxRateLimitWaitSeconds?: number;
  /** How often one request may be retried after a rate-limit answer. */
  rateLimitRetries?: number;
  /** Spacing of writes and of writes that notify people (GitHub's guidance: 1 s and 3 s). */
  writeSpacingMs?: number;
  notificationSpacingMs?: number;
  log?: GitHubLog;
  userAgent?: string;
}

export interface GitHubClient {
  app: App;
  tokens: InstallationTokens;
  baseUrl: string;
  /** An Octokit acting as the installation; its token is renewed as needed. */
  forInstallation(installationId: number): GitHubOctokit;
  /** The installation of a repository, looked up with the App JWT and cached. */
  installationIdFor(owner: string, repo: string): Promise<number>;
  /** Every secret value this client has handled (installation tokens), for redaction. */
  secrets(): string[];
}

const SILENT: GitHubLog = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * The App and its installations' Octokits, configured once: App JWT through @octokit/app,
 * installation tokens cached and renewed, retries of 5xx, GitHub's rate-limit rules, a timeout
 * on every call.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const baseUrl = (options.baseUrl ?? "https://api.github.com").replace(/\/+$/, "");
  const log = options.log ?? SILENT;
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxWait = options.maxRateLimitWaitSeconds ?? 600;
  const rateLimitRetries = options.rateLimitRetries ?? 2;
  // Our own limiter groups, so spacing can be tuned and one client's queue is not another's.
  const spacing = (minTime: number, id: string) => new Bottleneck.Group({ id, maxConcurrent: 1, minTime });
  const throttleState = {
    write: spacing(options.writeSpacingMs ?? 1000, "fixfleet-write"),
    notifications: spacing(options.notificationSpacingMs ?? 3000, "fixfleet-notifications"),
  };

  const shouldWait =
    (kind: string) => (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number) => {
      if (retryCount < rateLimitRetries && retryAfter <= maxWait) {
        log.warn(`GitHub ${kind} on ${req.method} ${req.url}; retrying in ${retryAfter} s (retry ${retryCount + 1})`);
        return true;
      }
      log.warn(`GitHub ${kind} on ${req.method} ${req.url}; asks for ${retryAfter} s, giving up for now`);
      return false;
    };

  const throttle = {
    ...throttleState,
    retryAfterBaseValue: retryBaseMs,
    onRateLimit: shouldWait("rate limit"),
    onSecondaryRateLimit: shouldWait("secondary rate limit"),
  };
  const Octokit = GitHubOctokit.defaults({
    baseUrl,
    userAgent: options.userAgent ?? "fixfleet",
    request: { fetch: timeoutFetch(options.requestTimeoutMs ?? 30_000) },
    // Not request.retries: plugin-retry then retries every status, 404 and 422 included.
    retry: { retryAfterBaseValue: retryBaseMs, retries: options.retries ?? 3 },
    throttle,
    log,
  });

  const app = new App({ appId: options.appId, privateKey: options.privateKey, Octokit, log });
  const tokens = new InstallationTokens({
    now: options.now,
    renewBeforeMs: options.renewBeforeMs,
    create: async (installationId) => {
      const { data } = await app.octokit.request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id: installationId,
      });
      return data;
    },
  });

  const installations = new Map<string, Promise<number>>();
  const octokits = new Map<number, GitHubOctokit>();

  return {
    app,
    tokens,
    baseUrl,
    forInstallation(installationId) {
      let octokit = octokits.get(installationId);
      if (!octokit) {
        // GitHub's write spacing applies per token: each installation gets its own queue (the
        // throttle id), so one installation's writes never wait behind another's.
        octokit = new Octokit({
          authStrategy: createInstallationAuth,
          auth: { installationId, tokens },
          throttle: { ...throttle, id: `installation-${installationId}` },
        });
        octokits.set(installationId, octokit);
      }
      return octokit;
    },
    installationIdFor(owner, repo) {
      const key = `${owner}/${repo}`.toLowerCase();
      let pending = installations.get(key);
      if (!pending) {
        pending = app.octokit
          .request("GET /repos/{owner}/{repo}/installation", { owner, repo })
          .then(({ data }) => data.id)
          .catch((error: unknown) => {
            installations.delete(key);
            throw classifyGitHubError(error, `finding the App's installation on ${owner}/${repo}`);
          });
        installations.set(key, pending);
      }
      return pending;
    },
    secrets: () => tokens.secrets(),
  };
}
