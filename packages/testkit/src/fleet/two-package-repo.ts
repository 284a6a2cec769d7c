import type { FakeGitHub } from "../github/index.js";
import type { SeededRepo } from "./calculator-repo.js";

/** The file the pull request breaks (`web` formats cents as dollars). */
export const WEB_PRICE_PATH = "packages/web/src/price.js";
export const GOOD_PRICE = "export function price(cents) {\n  return `$${(cents / 100).toFixed(2)}`;\n}\n";
export const BAD_PRICE = "export function price(cents) {\n  return `$${(cents / 10).toFixed(2)}`;\n}\n";

/** A file of `api` the pull request also changes, harmlessly: a plausible but wrong place to look. */
export const API_MONEY_PATH = "packages/api/src/money.js";
export const API_MONEY_BEFORE = "export function toCents(dollars) {\n  return Math.round(dollars * 100);\n}\n";
export const API_MONEY_PR =
  "export const CENTS_PER_DOLLAR = 100;\n\nexport function toCents(dollars) {\n  return Math.round(dollars * CENTS_PER_DOLLAR);\n}\n";

const testFile = (imports: string, body: string) =>
  `import assert from "node:assert/strict";\nimport { test } from "node:test";\n${imports}\n\n${body}\n`;

function manifest(name: string): string {
  return JSON.stringify({ name, version: "1.0.0", type: "module", scripts: { test: "node --test" } }, null, 2);
}

/**
 * An npm-workspaces repository of two packages, `packages/web` and `packages/api`, with no
 * dependencies to install. Its pull request changes both, but only `web` breaks: `price` divides
 * by 10. The failed run's job is `test (web)`, which ran `npm test -w packages/web`; the
 * package tests are real and run under `node --test` in the sandbox.
 */
export async function seedTwoPackageRepo(gh: FakeGitHub, options: { name?: string } = {}): Promise<SeededRepo> {
  const name = options.name ?? "shop";
  const repo = await gh.createRepository({
    owner: "octo",
    name,
    files: {
      "package.json": JSON.stringify(
        { name, private: true, workspaces: ["packages/*"], scripts: { test: "npm test --workspaces" } },
        null,
        2,
      ),
      "packages/web/package.json": manifest("@shop/web"),
      [WEB_PRICE_PATH]: GOOD_PRICE,
      "packages/web/test/price.test.js": testFile(
        'import { price } from "../src/price.js";',
        'test("price formats cents as dollars", () => {\n  assert.equal(price(1999), "$19.99");\n});',
      ),
      "packages/api/package.json": manifest("@shop/api"),
      [API_MONEY_PATH]: API_MONEY_BEFORE,
      "packages/api/test/money.test.js": testFile(
        'import { toCents } from "../src/money.js";',
        'test("toCents rounds to whole cents", () => {\n  assert.equal(toCents(19.99), 1999);\n});',
      ),
    },
  });
  await gh.commit({
    repo: repo.fullName,
    branch: "feature",
    files: { [WEB_PRICE_PATH]: BAD_PRICE, [API_MONEY_PATH]: API_MONEY_PR },
    message: "name the cents-per-dollar constant",
  });
  const pr = await gh.openPullRequest({ repo: repo.fullName, head: "feature", title: "Cents per dollar" });
  const run = await gh.addWorkflowRun({
    repo: repo.fullName,
    headSha: pr.headSha,
    headBranch: "feature",
    name: "CI",
    event: "pull_request",
    conclusion: "failure",
    pullRequests: [pr.number],
    jobs: [
      {
        name: "test (api)",
        conclusion: "success",
        steps: [{ name: "Run npm test -w packages/api", conclusion: "success" }],
      },
      {
        name: "test (web)",
        conclusion: "failure",
        steps: [
          { name: "Set up job", conclusion: "success" },
          { name: "Run npm test -w packages/web", conclusion: "failure" },
        ],
        log: [
          "2026-11-29T10:00:00.0000000Z ##[group]Run npm test -w packages/web",
          "2026-11-29T10:00:00.1000000Z npm test -w packages/web",
          "2026-11-29T10:00:00.2000000Z ##[endgroup]",
          "2026-11-29T10:00:01.0000000Z > @shop/web@1.0.0 test",
          "2026-11-29T10:00:01.0000000Z > node --test",
          "2026-11-29T10:00:01.1000000Z not ok 1 - price formats cents as dollars",
          "2026-11-29T10:00:01.1000000Z   location: '/home/runner/work/shop/shop/packages/web/test/price.test.js:5:1'",
          "2026-11-29T10:00:01.1000000Z   error: Expected values to be strictly equal: '$199.90' !== '$19.99'",
          "2026-11-29T10:00:01.1000000Z # fail 1",
          "2026-11-29T10:00:01.2000000Z npm error workspace @shop/web@1.0.0",
          "2026-11-29T10:00:01.2000000Z npm error location /home/runner/work/shop/shop/packages/web",
          "2026-11-29T10:00:01.3000000Z ##[error]Process completed with exit code 1.",
        ].join("\n"),
      },
    ],
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
