import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { App } from "@octokit/app";
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import { restEndpointMethods } from "@octokit/plugin-rest-endpoint-methods";
import { retry } from "@octokit/plugin-retry";
import type { FakeGitHub } from "../../src/github/index.js";

const run = promisify(execFile);

export const TestOctokit = Octokit.plugin(paginateRest, restEndpointMethods, retry);
export type TestOctokitInstance = InstanceType<typeof TestOctokit>;

/** The real App client, pointed at the fake, with retries quick enough for a test. */
export function appFor(gh: FakeGitHub, warnings: string[] = []) {
  const quiet = () => {};
  return new App({
    appId: gh.appId,
    privateKey: gh.privateKey!,
    log: { debug: quiet, info: quiet, warn: (message: string) => warnings.push(message), error: quiet },
    Octokit: TestOctokit.defaults({ baseUrl: gh.url, retry: { retryAfterBaseValue: 5 } }),
  });
}

/** An installation-authenticated octokit, as the worker gets one. */
export async function installationOctokit(gh: FakeGitHub, owner: string): Promise<TestOctokitInstance> {
  return (await appFor(gh).getInstallationOctokit(gh.installationId(owner))) as unknown as TestOctokitInstance;
}

/** An octokit with a fixed token (or none), for requests that must fail on auth. */
export function tokenOctokit(gh: FakeGitHub, token?: string): TestOctokitInstance {
  return new TestOctokit({ baseUrl: gh.url, ...(token ? { auth: token } : {}), retry: { enabled: false } });
}

export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await run("git", args, {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: "0", GIT_CONFIG_NOSYSTEM: "1", GIT_CONFIG_GLOBAL: "/dev/null" },
  });
  return stdout.trim();
}

export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), "fake-github-test-"));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface ReceivedWebhook {
  headers: Record<string, string>;
  body: string;
  // biome-ignore lint/suspicious/noExplicitAny: a webhook payload as GitHub sends it
  payload: any;
}

/** A local HTTP endpoint standing in for the App's webhook URL; answers `status` (default 202). */
export async function startWebhookReceiver(options: { status?: number; delayMs?: number } = {}) {
  const received: ReceivedWebhook[] = [];
  const settings = { status: options.status ?? 202, delayMs: options.delayMs ?? 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const headers = Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(",") : (value ?? ""),
        ]),
      );
      received.push({ headers, body, payload: JSON.parse(body) });
      setTimeout(() => {
        res.writeHead(settings.status).end();
      }, settings.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/github`,
    received,
    settings,
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Keys the real example of an object has that ours lacks (top level of that object). */
export function missingKeys(example: object, actual: object): string[] {
  return Object.keys(example).filter((key) => !(key in actual));
}
