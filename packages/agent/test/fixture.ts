import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import Anthropic from "@anthropic-ai/sdk";
import { buildScope, createLocalReader, discoverWorkspace, mapBatch, type Scope } from "@fixfleet/monorepo";
import { createSandbox, type Sandbox } from "@fixfleet/sandbox";
import { createRedactor } from "@fixfleet/shared";
import { ensureDockerEngine, ensureSandboxImage, type FakeAnthropic, startFakeAnthropic } from "@fixfleet/testkit";
import type Docker from "dockerode";
import { type RunFixAgentOptions, runFixAgent } from "../src/index.js";

export const WS = "/workspace";
export const SUM = `${WS}/packages/web/src/sum.js`;
export const TEST_FILE = "packages/web/test/sum.test.js";
export const VERIFY = "node --test packages/web/test/";
/** An installation token shape; it appears in the CI log and in a repository file. */
export const GITHUB_TOKEN = "ghs_AgentTestToken0123456789abcdefghijklmn";

const FILES: Record<string, string> = {
  "package.json": JSON.stringify({ name: "acme", private: true, workspaces: ["packages/*"] }, null, 2),
  "packages/web/package.json": JSON.stringify(
    { name: "@acme/web", type: "module", scripts: { test: "node --test test/" } },
    null,
    2,
  ),
  "packages/web/src/sum.js": "export function sum(a, b) {\n  return a - b;\n}\n",
  [TEST_FILE]: [
    'import assert from "node:assert/strict";',
    'import { test } from "node:test";',
    'import { sum } from "../src/sum.js";',
    "",
    'test("adds two numbers", () => {',
    "  assert.equal(sum(1, 2), 3);",
    "});",
    "",
    'test("adds zero", () => {',
    "  assert.equal(sum(5, 0), 5);",
    "});",
    "",
  ].join("\n"),
  "packages/web/notes.txt": "alpha\nbeta\nbeta\n",
  "packages/api/package.json": JSON.stringify(
    { name: "@acme/api", type: "module", scripts: { test: "node --test" } },
    null,
    2,
  ),
  "packages/api/src/index.js": "export const api = 1;\n",
  ".github/workflows/ci.yml":
    "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test\n",
};

/** A two-package npm workspace whose `web` package has a failing test (sum subtracts). */
export function makeRepo(extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "fixfleet-agent-"));
  for (const [path, content] of Object.entries({ ...FILES, ...extra })) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  // Symlinks that leave the workspace: a file and a directory.
  symlinkSync("/tmp/fixfleet-outside.txt", join(dir, "packages/web/escape.txt"));
  symlinkSync("/tmp", join(dir, "packages/web/tmpdir"));
  return dir;
}

/** The scope @fixfleet/monorepo derives for a failure in `packages/web`. */
export async function webScope(dir: string): Promise<Scope> {
  const workspace = await discoverWorkspace(createLocalReader(dir));
  const failures = [{ job: "test (packages/web)", command: VERIFY, paths: ["packages/web"] }];
  const mapping = mapBatch({ workspace, failures });
  return buildScope({ workspace, mapping, failures });
}

export const LOG_EXCERPT = [
  "##[group]Run node --test packages/web/test/",
  "✖ adds two numbers (1.2ms)",
  "  AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
  "",
  "  -1 !== 3",
  "",
  "      at TestContext.<anonymous> (file:///home/runner/work/acme/acme/packages/web/test/sum.test.js:6:10)",
  "ℹ tests 2",
  "ℹ pass 1",
  "ℹ fail 1",
  `git remote: https://x-access-token:${GITHUB_TOKEN}@github.com/acme/acme.git`,
  "##[error]Process completed with exit code 1.",
].join("\n");

export interface Harness {
  docker: Docker;
  image: string;
  fake: FakeAnthropic;
  stop(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const docker = await ensureDockerEngine();
  const image = await ensureSandboxImage(docker);
  const fake = await startFakeAnthropic();
  return { docker, image, fake, stop: () => fake.stop() };
}

export interface Prepared {
  sandbox: Sandbox;
  dir: string;
  scope: Scope;
  cleanup(): Promise<void>;
}

export async function prepareSandbox(h: Harness, name: string, extra: Record<string, string> = {}): Promise<Prepared> {
  const dir = makeRepo(extra);
  const sandbox = await createSandbox(h.docker, {
    image: h.image,
    jobId: `agent-${name}`,
    workerId: "agent-tests",
    ttlMs: 10 * 60_000,
  });
  try {
    await sandbox.copyIn(dir);
  } catch (error) {
    await sandbox.destroy();
    throw error;
  }
  const scope = await webScope(dir);
  return {
    sandbox,
    dir,
    scope,
    cleanup: async () => {
      await sandbox.destroy();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function client(fake: FakeAnthropic, maxRetries = 0): Anthropic {
  return new Anthropic({ baseURL: fake.url, apiKey: fake.apiKey, maxRetries });
}

/** The batch every test runs unless it says otherwise: the web package's failing test. */
export function failureOf(p: Prepared): RunFixAgentOptions["failure"] {
  return {
    repository: "acme/acme",
    sha: "a".repeat(40),
    pr: 7,
    jobs: [
      {
        name: "test (packages/web)",
        logExcerpt: LOG_EXCERPT,
        fullLog: `${"setup line\n".repeat(2000)}${LOG_EXCERPT}`,
      },
    ],
    commands: [VERIFY],
    scope: p.scope,
    changedFiles: ["packages/web/src/sum.js"],
    repoConfig: { enabled: true, mode: "branch" },
  };
}

export function run(h: Harness, p: Prepared, overrides: Partial<RunFixAgentOptions> = {}) {
  return runFixAgent({
    anthropic: client(h.fake),
    model: "claude-sonnet-4-6",
    sandbox: p.sandbox,
    failure: failureOf(p),
    redact: createRedactor([GITHUB_TOKEN, h.fake.apiKey]),
    retry: { baseDelayMs: 10, maxDelayMs: 50 },
    ...overrides,
  });
}
