import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { lookupToken, tokenCanSee } from "../auth/installation-tokens.js";
import type { FaultTable } from "../http/faults.js";
import { type FakeGitHubState, repoKey } from "../state.js";

const GIT_PATH = /^\/([^/]+)\/([^/]+?)\.git(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.*))$/;

/** The route names git calls are recorded and faulted under, in the same "METHOD /template" form. */
export function gitRouteName(method: string, rest: string): string {
  const service = rest.startsWith("/objects/") ? "/objects/{path}" : rest;
  return `${method} /{owner}/{repo}.git${service}`;
}

/**
 * Git smart HTTP at `http://host/<owner>/<name>.git`, served by `git http-backend` (CGI) after
 * checking basic auth `x-access-token:<installation token>` as github.com does. Returns false
 * for requests that are not git's, so the REST router can take them.
 */
export function handleGitRequest(
  state: FakeGitHubState,
  faults: FaultTable,
  req: IncomingMessage,
  res: ServerResponse,
): boolean {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const match = GIT_PATH.exec(url.pathname);
  if (!match) return false;
  const [, owner, name, rest] = match as unknown as [string, string, string, string];
  const method = req.method ?? "GET";
  const routeName = gitRouteName(method, rest);
  const call = {
    method,
    path: url.pathname,
    route: routeName,
    query: Object.fromEntries(url.searchParams),
    body: undefined,
    status: 0,
    installationId: null as number | null,
    at: state.now(),
    ...(typeof req.headers["git-protocol"] === "string" ? { gitProtocol: req.headers["git-protocol"] } : {}),
  };
  state.calls.push(call);
  const requestId = randomUUID().toUpperCase();
  const finish = (status: number, text: string, headers: Record<string, string> = {}) => {
    call.status = status;
    res.writeHead(status, {
      "content-type": "text/plain; charset=utf-8",
      "x-github-request-id": requestId,
      ...headers,
    });
    res.end(text);
    req.resume();
  };
  void (async () => {
    for (const fault of faults.take(routeName)) {
      if ("delayMs" in fault) await sleep(fault.delayMs);
      else if ("status" in fault) return finish(fault.status, "Server Error\n");
      else
        return finish(403, "rate limited\n", {
          "retry-after": String("retryAfter" in fault ? (fault.retryAfter ?? 60) : 60),
        });
    }
    const credentials = basicAuth(req.headers.authorization);
    const repo = state.repositories.get(repoKey(owner, name));
    const pushing = rest === "/git-receive-pack" || url.searchParams.get("service") === "git-receive-pack";
    const challenge = () =>
      finish(401, "Invalid username or token. Password authentication is not supported for Git operations.\n", {
        "www-authenticate": 'Basic realm="GitHub"',
      });
    // Public repositories can be fetched anonymously, as on github.com; anything else needs a token.
    if (!credentials && repo && !repo.private && !pushing) {
      return runBackend(state, req, res, `/${repo.fullName}.git${rest}`, url.search.slice(1), null, (status) => {
        call.status = status;
      });
    }
    const token =
      credentials && credentials.user === "x-access-token" ? lookupToken(state, credentials.password) : null;
    if (!token) return challenge();
    call.installationId = token.installationId;
    if (!repo || !tokenCanSee(token, repo)) return finish(404, "Repository not found.\n");
    if (pushing && token.permissions.contents !== "write") {
      return finish(403, `Permission to ${repo.fullName}.git denied to ${state.app.slug}[bot].\n`);
    }
    runBackend(state, req, res, `/${repo.fullName}.git${rest}`, url.search.slice(1), "x-access-token", (status) => {
      call.status = status;
    });
  })().catch((error: unknown) => {
    console.error("fake GitHub git handler failed", error);
    if (!res.headersSent) finish(500, "Internal Server Error\n");
    else res.destroy();
  });
  return true;
}

function basicAuth(header: string | undefined): { user: string; password: string } | null {
  const match = /^\s*basic\s+(\S+)\s*$/i.exec(header ?? "");
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon === -1) return null;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function runBackend(
  state: FakeGitHubState,
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  query: string,
  remoteUser: string | null,
  onStatus: (status: number) => void,
): void {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: state.dataDir,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_PROJECT_ROOT: state.dataDir,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: pathInfo,
    REQUEST_METHOD: req.method ?? "GET",
    QUERY_STRING: query,
    REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    CONTENT_TYPE: req.headers["content-type"] ?? "",
    SERVER_PROTOCOL: "HTTP/1.1",
    GATEWAY_INTERFACE: "CGI/1.1",
  };
  // http-backend enables receive-pack only for an authenticated REMOTE_USER.
  if (remoteUser) env.REMOTE_USER = remoteUser;
  if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
  if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
  // Protocol v2 is negotiated through this header; http-backend reads it from GIT_PROTOCOL.
  const protocol = req.headers["git-protocol"];
  if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
  const child = spawn("git", ["http-backend"], { env, stdio: ["pipe", "pipe", "pipe"] });
  req.pipe(child.stdin);
  child.stdin.on("error", () => {});
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf("\r\n\r\n");
    const lf = head.indexOf("\n\n");
    const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
    if (end === -1) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon === -1) continue;
      const key = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (key.toLowerCase() === "status") status = Number.parseInt(value, 10) || 200;
      else headers[key] = value;
    }
    onStatus(status);
    res.writeHead(status, { ...headers, "x-github-request-id": randomUUID().toUpperCase() });
    res.write(head.subarray(end));
  });
  child.on("close", (code) => {
    if (!headersDone) {
      onStatus(500);
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(`git http-backend failed (${code}): ${stderr}`);
      return;
    }
    res.end();
  });
  child.on("error", (error) => {
    if (!res.headersSent) res.writeHead(500);
    res.end(String(error));
  });
}
