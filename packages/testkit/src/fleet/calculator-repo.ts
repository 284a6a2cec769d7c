import { bash, editor, type FakeAnthropic, text } from "../anthropic/index.js";
import type { FakeGitHub } from "../github/index.js";

export const GOOD_SUM = "export function sum(a, b) {\n  return a + b;\n}\n";
export const BAD_SUM = "export function sum(a, b) {\n  return a - b;\n}\n";

export interface SeededRepo {
  fullName: string;
  id: number;
  installationId: number;
  pr: number;
  headSha: string;
  runId: number;
}

/**
 * A small repository whose pull request broke `sum`, with the failed workflow run GitHub
 * would show for it. Real code: `node --test` fails in the sandbox until `sum` adds.
 */
export async function seedCalculator(
  gh: FakeGitHub,
  options: { name?: string; jobs?: readonly string[] } = {},
): Promise<SeededRepo> {
  const name = options.name ?? "calc";
  const repo = await gh.createRepository({
    owner: "octo",
    name,
    files: {
      "package.json": JSON.stringify(
        { name, version: "1.0.0", type: "module", scripts: { test: "node --test" } },
        null,
        2,
      ),
      "src/sum.js": GOOD_SUM,
      "test/sum.test.js":
        'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { sum } from "../src/sum.js";\n\ntest("sum adds", () => {\n  assert.equal(sum(1, 2), 3);\n});\n',
    },
  });
  await gh.commit({
    repo: repo.fullName,
    branch: "feature",
    files: { "src/sum.js": BAD_SUM },
    message: "refactor sum",
  });
  const pr = await gh.openPullRequest({ repo: repo.fullName, head: "feature", title: "Refactor sum" });
  const run = await gh.addWorkflowRun({
    repo: repo.fullName,
    headSha: pr.headSha,
    headBranch: "feature",
    name: "CI",
    event: "pull_request",
    conclusion: "failure",
    pullRequests: [pr.number],
    jobs: (options.jobs ?? ["test"]).map((jobName) => ({
      name: jobName,
      conclusion: "failure",
      steps: [
        { name: "Set up job", conclusion: "success" },
        { name: "Run npm test", conclusion: "failure" },
      ],
      log: [
        "2026-11-29T10:00:00.0000000Z ##[group]Run npm test",
        "2026-11-29T10:00:00.1000000Z npm test",
        "2026-11-29T10:00:00.2000000Z ##[endgroup]",
        "2026-11-29T10:00:01.0000000Z ✖ sum adds (1.2ms)",
        "2026-11-29T10:00:01.0000000Z   AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
        "2026-11-29T10:00:01.0000000Z   -1 !== 3",
        "2026-11-29T10:00:01.1000000Z ℹ tests 1",
        "2026-11-29T10:00:01.1000000Z ℹ fail 1",
        "2026-11-29T10:00:01.2000000Z ##[error]Process completed with exit code 1.",
      ].join("\n"),
    })),
  });
  return {
    fullName: repo.fullName,
    id: repo.id,
    installationId: repo.installationId,
    pr: pr.number,
    headSha: pr.headSha,
    runId: run.id,
  };
}

/** The model's side of a fix of `sum`: look, edit, test, explain. */
export function scriptSumFix(ai: FakeAnthropic): void {
  ai.script(
    [text("Let me read the function under test."), editor.view("/workspace/src/sum.js")],
    [editor.strReplace("/workspace/src/sum.js", "return a - b;", "return a + b;")],
    [bash.command("cd /workspace && npm test")],
    [text("Fixed: `sum` subtracted instead of adding; `npm test` passes now.")],
  );
}

export function report(seed: SeededRepo, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    v: 1,
    run_id: seed.runId,
    run_attempt: 1,
    sha: seed.headSha,
    pr: seed.pr,
    job: "test",
    command: "npm test",
    ...overrides,
  };
}
