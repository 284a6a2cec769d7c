import { describe, expect, it } from "vitest";
import { COMMENT_MARKER, hasCommentMarker } from "./comment-marker.js";
import type { FixReport } from "./fix-report.js";
import { renderCheckRun } from "./render-check-run.js";
import { MAX_COMMENT_CHARS, renderFixComment } from "./render-fix-comment.js";

const SHA = "3f5e0c1d9b2a4e6f8a0b1c2d3e4f5a6b7c8d9e0f";
const PATCH = `diff --git a/src/price.ts b/src/price.ts
--- a/src/price.ts
+++ b/src/price.ts
@@ -1,3 +1,3 @@
-  return prices.reduce((sum, p) => sum + p.amount, "0");
+  return prices.reduce((sum, p) => sum + p.amount, 0);
`;

function report(result: FixReport["result"]): FixReport {
  return {
    repository: "acme/shop",
    webUrl: "https://github.com",
    sha: SHA,
    pr: 42,
    failures: [
      {
        name: "typecheck",
        step: "Run npx tsc -p .",
        url: "https://github.com/acme/shop/actions/runs/1/job/2",
        keyLines: ["src/price.ts:3:3 - error TS2322: Type 'string' is not assignable to type 'number'."],
      },
    ],
    result,
    spend: { inputTokens: 48_211, outputTokens: 3_120, durationMs: 154_000, turns: 9 },
  };
}

const fixed = report({
  kind: "fixed",
  files: [
    { path: "src/price.ts", status: "modified", additions: 1, deletions: 1 },
    { path: "bin/run", status: "modified", additions: 0, deletions: 0, oldMode: "100644", newMode: "100755" },
  ],
  patch: PATCH,
  verification: [{ command: "npx tsc -p .", ok: true, exitCode: 0, durationMs: 8_400 }],
  delivery: { kind: "branch", branch: "fixfleet/pr-42", commitSha: "a".repeat(40) },
});

describe("renderFixComment", () => {
  it("says what failed, what changed, how it was verified, where the fix is and what it cost", () => {
    const body = renderFixComment(fixed);
    expect(hasCommentMarker(body)).toBe(true);
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("[typecheck](https://github.com/acme/shop/actions/runs/1/job/2) · step `Run npx tsc -p .`");
    expect(body).toContain("error TS2322");
    expect(body).toContain("| `src/price.ts` | modified | +1 −1 |");
    expect(body).toContain("| `bin/run` | modified (mode 100644 → 100755) | +0 −0 |");
    expect(body).toContain("2 files, +1 −1.");
    expect(body).toContain("- ✅ `npx tsc -p .` passed in 8 s");
    expect(body).toContain(
      `**Branch:** [\`fixfleet/pr-42\`](https://github.com/acme/shop/tree/fixfleet/pr-42), commit [\`aaaaaaa\`](https://github.com/acme/shop/commit/${"a".repeat(40)})`,
    );
    expect(body).toContain(`[compare](https://github.com/acme/shop/compare/${SHA}...fixfleet/pr-42)`);
    expect(body).toContain("<details><summary>Diff (2 files, +1 −1)</summary>");
    expect(body).toContain("+  return prices.reduce((sum, p) => sum + p.amount, 0);");
    expect(body).toContain("<sub>48,211 input + 3,120 output tokens · 9 turns · 2 min 34 s</sub>");
  });

  it("shows which packages the fix was limited to, with the evidence, when given", () => {
    const scope = "| package | why |\n| --- | --- |\n| `@shop/web` (packages/web) | report paths: packages/web |";
    const body = renderFixComment({ ...fixed, scope });
    expect(body).toContain("<details><summary>Scope of the fix</summary>");
    expect(body).toContain("report paths: packages/web");
    expect(renderFixComment(fixed)).not.toContain("Scope of the fix");
  });

  it("puts the whole patch in the comment, open, when the head is a fork", () => {
    const body = renderFixComment(
      report({
        kind: "fixed",
        files: [{ path: "src/price.ts", status: "modified", additions: 1, deletions: 1 }],
        patch: PATCH,
        verification: [{ command: "npx tsc -p .", ok: true, exitCode: 0, durationMs: 1000 }],
        delivery: { kind: "patch", reason: "the pull request comes from a fork, which the App cannot push to" },
      }),
    );
    expect(body).toContain("apply the patch below");
    expect(body).toContain("<details open><summary><b>Patch</b>");
    expect(body).toContain(PATCH.trimEnd());
    expect(body).not.toContain("**Branch:**");
  });

  it("explains a failed attempt and what to do", () => {
    const body = renderFixComment(
      report({
        kind: "not_fixed",
        reason: "the tests still fail after 40 turns",
        advice: "raise limits.turns in .github/fixfleet.yml or fix it by hand; the attempt's diff is below",
        patch: PATCH,
        files: [{ path: "src/price.ts", status: "modified", additions: 1, deletions: 1 }],
        verification: [{ command: "npm test", ok: false, exitCode: 1, durationMs: 61_000 }],
      }),
    );
    expect(body).toContain("could not fix the failure");
    expect(body).toContain("**Why:** the tests still fail after 40 turns");
    expect(body).toContain("**What to do:** raise limits.turns");
    expect(body).toContain("What the attempt changed (not committed)");
    expect(body).toContain("- ❌ `npm test` failed (exit 1) in 1 min 1 s");
  });

  it("names each bad key of an invalid config and nothing else", () => {
    const body = renderFixComment(
      report({
        kind: "invalid_config",
        path: ".github/fixfleet.yml",
        problems: [{ key: "limits.turns", line: 4, column: 10, message: "must be a number (model turns)" }],
      }),
    );
    expect(body).toContain("`.github/fixfleet.yml` is invalid");
    expect(body).toContain("- line 4, column 10: `limits.turns` must be a number (model turns)");
    expect(body).not.toContain("What failed");
  });

  it("keeps within GitHub's comment limit by shortening a huge diff", () => {
    const huge = `diff --git a/x b/x\n${"+a line of generated code that goes on\n".repeat(5000)}`;
    const body = renderFixComment(
      report({
        kind: "fixed",
        files: [{ path: "x", status: "modified", additions: 5000, deletions: 0 }],
        patch: huge,
        verification: [],
        delivery: { kind: "branch", branch: "fixfleet/pr-42", commitSha: "b".repeat(40) },
      }),
    );
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_CHARS);
    expect(body).toContain("shortened");
  });

  it("fences text that itself contains backticks", () => {
    const body = renderFixComment({
      ...fixed,
      failures: [{ name: "lint", keyLines: ["```", "error: use `const`"] }],
    });
    expect(body).toContain("````\n```\nerror: use `const`\n````");
  });
});

describe("renderCheckRun", () => {
  it("completes with the same summary and a conclusion that fits the outcome", () => {
    const run = renderCheckRun(fixed);
    expect(run.conclusion).toBe("success");
    expect(run.output.title).toBe("Verified fix: 2 files changed on fixfleet/pr-42");
    expect(run.output.summary).toContain("How it was verified");
    expect(run.output.summary).not.toContain(COMMENT_MARKER);
    const invalid = renderCheckRun(
      report({
        kind: "invalid_config",
        path: ".github/fixfleet.yml",
        problems: [{ key: "mode", line: 1, column: 7, message: "x" }],
      }),
    );
    expect(invalid.conclusion).toBe("action_required");
    expect(invalid.output.title).toBe(".github/fixfleet.yml is invalid: mode");
  });
});

describe("an explain comment (/fixfleet explain)", () => {
  const analysis =
    'The sum starts from the string `"0"`.\n/fixfleet stop\nAsk @octocat.\n```ts\nreduce((s, p) => s + p, 0)\n```';
  const text = renderFixComment(report({ kind: "explained", analysis, requestedBy: "alice" }));

  it("says who asked and that nothing was changed, with what failed", () => {
    expect(text).toContain("fixfleet's analysis of the failure of");
    expect(text).toContain("by @alice");
    expect(text).toMatch(/nothing was changed or committed/);
    expect(text).toContain("#### What failed");
  });

  it("quotes the model's words, so a command line in them is not a command and mentions ping nobody", () => {
    expect(text).toContain("> /fixfleet stop");
    expect(text).not.toMatch(/^\/fixfleet/m);
    expect(text).toContain("@\u200boctocat");
    expect(text).not.toContain("@octocat");
    expect(text).toContain("> ```ts");
  });

  it("completes the check run as neutral", () => {
    expect(renderCheckRun(report({ kind: "explained", analysis })).conclusion).toBe("neutral");
  });
});

describe("a skipped fix", () => {
  it("says nothing was attempted and why, and skips the check run", () => {
    const result = { kind: "skipped" as const, reason: "the pull request has the fixfleet:skip label" };
    const text = renderFixComment(report(result));
    expect(text).toContain("fixfleet did not attempt a fix for");
    expect(text).toContain("**Why:** the pull request has the fixfleet:skip label");
    expect(text).not.toContain("could not fix");
    expect(renderCheckRun(report(result))).toMatchObject({ conclusion: "skipped" });
  });
});
