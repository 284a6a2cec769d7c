import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
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
