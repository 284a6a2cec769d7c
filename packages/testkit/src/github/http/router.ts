import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { type Context, Hono } from "hono";
import { lookupToken, parseAuthorization, tokenCanSee } from "../auth/installation-tokens.js";
import { acceptedPermissionsHeader, tokenAllows } from "../auth/route-permissions.js";
import { verifyAppJwt } from "../auth/verify-app-jwt.js";
import { type FakeGitHubState, type InstallationToken, type Repository, repoKey } from "../state.js";
import type { FaultTable } from "./faults.js";
import { badCredentials, DOCS, GitHubHttpError, notFound } from "./github-http-error.js";

export type AuthKind = "app" | "installation" | "none";

export interface Reply {
  status: number;
  body?: unknown;
  /** A non-JSON body (raw file contents, plain text). */
  raw?: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface RouteContext {
  state: FakeGitHubState;
  params: Record<string, string>;
  query: Record<string, string>;
  /** The parsed JSON body (an object), or `{}` when the request had none. */
  body: Record<string, unknown>;
  headers: Headers;
  /** The body as sent, for the few routes that also take a JSON array. */
  rawBody: unknown;
  /** The URL of this request as the client used it (for `Link` headers). */
  url: URL;
  token: InstallationToken | null;
  /** The repository named by `{owner}/{repo}`, already checked against the token. */
  repo: Repository;
}

export type Handler = (ctx: RouteContext) => Promise<Reply> | Reply;

const WIDE_PARAMS = new Set(["ref", "path"]);

function toHonoPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => (WIDE_PARAMS.has(name) ? `:${name}{.+}` : `:${name}`));
}

/** Routes GitHub also lets take a bare JSON array as the body ("Add labels to an issue"). */
const ARRAY_BODY_ROUTES = new Set(["POST /repos/{owner}/{repo}/issues/{issue_number}/labels"]);

const API_VERSIONS = ["2022-11-28", "2026-03-10"];

const SECONDARY_RATE_LIMIT =
  "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID";

/**
 * The fake's REST router: every route goes through one wrapper that records the call, applies
 * injected faults, checks auth and repository access, counts the rate limit and sets the
 * headers GitHub sends.
 */
export class Router {
  readonly app = new Hono();

  constructor(
    private readonly state: FakeGitHubState,
    private readonly faults: FaultTable,
  ) {
    this.app.notFound(async (c) => {
      const requestId = newRequestId();
      const call = await this.record(c, null);
      call.status = 404;
      return this.respond({ status: 404, body: notFound().body() }, requestId, null);
    });
    this.app.onError((error, c) => {
      console.error("fake GitHub handler failed", c.req.method, c.req.path, error);
      return this.respond({ status: 500, body: new GitHubHttpError(500, "Server Error").body() }, newRequestId(), null);
    });
  }

  /** Hands every request under `prefix` to another fetch-style handler (the OIDC issuer). */
  mount(prefix: string, handle: (request: Request) => Promise<Response | undefined>): void {
    this.app.all(`${prefix}/*`, async (c) => {
      const response = await handle(c.req.raw);
      return response ?? this.respond({ status: 404, body: notFound().body() }, newRequestId(), null);
    });
  }

  route(method: string, template: string, auth: AuthKind, handler: Handler, aliases: string[] = []): void {
    const routeName = `${method} ${template}`;
    for (const path of [template, ...aliases]) {
      this.app.on(method, toHonoPath(path), (c) => this.handle(c, routeName, template, auth, handler));
    }
  }

  private async record(c: Context, route: string | null) {
    const url = new URL(c.req.url);
    let body: unknown;
    if (!["GET", "HEAD", "DELETE"].includes(c.req.method)) {
      const text = await c.req.text();
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
    }
    const call = {
      method: c.req.method,
      path: url.pathname,
      route,
      query: Object.fromEntries(url.searchParams),
      body,
      status: 0,
      installationId: null as number | null,
      at: this.state.now(),
    };
    this.state.calls.push(call);
    return call;
  }

  private async handle(c: Context, routeName: string, template: string, auth: AuthKind, handler: Handler) {
    const requestId = newRequestId();
    const call = await this.record(c, routeName);
    let token: InstallationToken | null = null;
    let rateKey: string | null = null;
    try {
      for (const fault of this.faults.take(routeName)) {
        if ("delayMs" in fault) await sleep(fault.delayMs);
        const faulted = this.faultReply(fault, requestId);
        if (faulted) {
          call.status = faulted.status;
          return this.respond(faulted, requestId, null);
        }
      }
      const version = c.req.header("x-github-api-version");
      if (version !== undefined && !API_VERSIONS.includes(version)) {
        throw new GitHubHttpError(
          400,
          `Unsupported 'X-GitHub-Api-Version' header '${version}'. The supported versions are ${API_VERSIONS.join(", ")}.`,
          { documentationUrl: "https://docs.github.com/rest/overview/api-versions" },
        );
      }
      if (typeof call.body === "string") throw new GitHubHttpError(400, "Problems parsing JSON");
      if (
        call.body !== undefined &&
        (typeof call.body !== "object" ||
          call.body === null ||
          (Array.isArray(call.body) && !ARRAY_BODY_ROUTES.has(routeName)))
      ) {
        throw new GitHubHttpError(400, "Problems parsing JSON");
      }
      const authorization = parseAuthorization(c.req.header("authorization"));
      if (auth === "app") {
        if (authorization?.scheme !== "bearer") {
          throw new GitHubHttpError(401, "A JSON web token could not be decoded", { documentationUrl: DOCS });
        }
        await verifyAppJwt(authorization.credential, this.state.publicKey, this.state.app.id, this.state.now());
        rateKey = `app:${this.state.app.id}`;
      } else if (auth === "installation") {
        token =
          authorization && ["token", "bearer"].includes(authorization.scheme)
            ? lookupToken(this.state, authorization.credential)
            : null;
        if (!token) throw badCredentials();
        call.installationId = token.installationId;
        rateKey = `installation:${token.installationId}`;
      }
      const rate = rateKey ? this.spendRate(rateKey) : null;
      if (rate && rate.remaining < 0) {
        const reply: Reply = {
          status: 403,
          body: new GitHubHttpError(403, `API rate limit exceeded for installation ID ${token?.installationId}.`, {
            documentationUrl: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
          }).body(),
        };
        call.status = 403;
        return this.respond(reply, requestId, rateKey);
      }
      // Hono hands over decoded parameters (octokit sends `feature%2Fx` for a branch `feature/x`).
      const decoded = c.req.param() as Record<string, string>;
      let repo: Repository | undefined;
      if (template.includes("{owner}/{repo}")) {
        repo = this.state.repositories.get(repoKey(decoded.owner!, decoded.repo!));
        if (!repo || (token && !tokenCanSee(token, repo))) throw notFound();
      }
      const accepted = acceptedPermissionsHeader(routeName);
      if (token && !tokenAllows(token, routeName)) {
        throw new GitHubHttpError(403, "Resource not accessible by integration", {
          headers: accepted ? { "x-accepted-github-permissions": accepted } : {},
        });
      }
      const reply = await handler({
        state: this.state,
        params: decoded,
        query: call.query,
        body: Array.isArray(call.body) ? {} : ((call.body as Record<string, unknown> | undefined) ?? {}),
        rawBody: call.body,
        headers: c.req.raw.headers,
        url: new URL(c.req.url),
        token,
        repo: repo as Repository,
      });
      call.status = reply.status;
      if (accepted) reply.headers = { "x-accepted-github-permissions": accepted, ...reply.headers };
      return this.respond(reply, requestId, rateKey);
    } catch (error) {
      if (!(error instanceof GitHubHttpError)) throw error;
      call.status = error.status;
      return this.respond(
        { status: error.status, body: error.body(), headers: error.extra.headers ?? {} },
        requestId,
        rateKey,
      );
    }
  }

  private faultReply(
    fault: Exclude<ReturnType<FaultTable["take"]>[number], undefined>,
    requestId: string,
  ): Reply | null {
    if ("secondaryRateLimit" in fault) {
      return {
        status: 403,
        body: new GitHubHttpError(403, `${SECONDARY_RATE_LIMIT} ${requestId}.`, {
          documentationUrl:
            "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
        }).body(),
        headers: { "retry-after": String(fault.retryAfter ?? 60) },
      };
    }
    if ("primaryRateLimit" in fault) {
      const reset = Math.ceil(this.state.now() / 1000) + 3600;
      return {
        status: 403,
        body: new GitHubHttpError(403, "API rate limit exceeded for installation.", {
          documentationUrl: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api",
        }).body(),
        headers: {
          "x-ratelimit-limit": String(this.state.rateLimit),
          "x-ratelimit-remaining": "0",
          "x-ratelimit-used": String(this.state.rateLimit),
          "x-ratelimit-reset": String(reset),
          "x-ratelimit-resource": "core",
        },
      };
    }
    if ("status" in fault) {
      const message = STATUS_MESSAGES[fault.status] ?? "Server Error";
      return {
        status: fault.status,
        body: fault.body ?? new GitHubHttpError(fault.status, message).body(),
        headers: fault.headers ?? {},
      };
    }
    return null;
  }

  private spendRate(key: string): { limit: number; remaining: number; used: number; reset: number } {
    const now = this.state.now();
    let usage = this.state.rateUsage.get(key);
    if (!usage || usage.resetAt <= now) {
      usage = { used: 0, resetAt: now + 3_600_000 };
      this.state.rateUsage.set(key, usage);
    }
    usage.used += 1;
    return this.rateOf(key)!;
  }

  private rateOf(key: string) {
    const usage = this.state.rateUsage.get(key);
    if (!usage) return null;
    return {
      limit: this.state.rateLimit,
      remaining: this.state.rateLimit - usage.used,
      used: usage.used,
      reset: Math.ceil(usage.resetAt / 1000),
    };
  }

  private respond(reply: Reply, requestId: string, rateKey: string | null): Response {
    const headers = new Headers();
    headers.set("x-github-request-id", requestId);
    headers.set("x-github-api-version-selected", "2022-11-28");
    headers.set("x-github-media-type", "github.v3; format=json");
    headers.set("date", new Date(this.state.now()).toUTCString());
    headers.set("server", "github.com");
    const rate = rateKey ? this.rateOf(rateKey) : null;
    if (rate) {
      headers.set("x-ratelimit-limit", String(rate.limit));
      headers.set("x-ratelimit-remaining", String(Math.max(0, rate.remaining)));
      headers.set("x-ratelimit-reset", String(rate.reset));
      headers.set("x-ratelimit-used", String(rate.used));
      headers.set("x-ratelimit-resource", "core");
    }
    for (const [name, value] of Object.entries(reply.headers ?? {})) headers.set(name, value);
    if (reply.status === 204 || reply.status === 304 || (reply.body === undefined && reply.raw === undefined)) {
      return new Response(null, { status: reply.status, headers });
    }
    if (reply.raw !== undefined) {
      headers.set("content-type", reply.contentType ?? "text/plain; charset=utf-8");
      return new Response(reply.raw, { status: reply.status, headers });
    }
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(reply.body), { status: reply.status, headers });
  }
}

const STATUS_MESSAGES: Record<number, string> = {
  400: "Bad Request",
  401: "Bad credentials",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Validation Failed",
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
};

function newRequestId(): string {
  const hex = randomBytes(10).toString("hex").toUpperCase();
  return `${hex.slice(0, 4)}:${hex.slice(4, 9)}:${hex.slice(9, 15)}:${hex.slice(15, 20)}:${Date.now().toString(16).toUpperCase().slice(-8)}`;
}
