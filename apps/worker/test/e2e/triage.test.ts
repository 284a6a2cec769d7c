import {
  BAD_SUM,
  bash,
  dockerAvailable,
  editor,
  type Fleet,
  GOOD_SUM,
  report,
  scriptSumFix,
  seedCalculator,
  text,
  useFleet,
  waitFor,
} from "@fixfleet/testkit";
import { describe, expect, it } from "vitest";

const startTestFleet = useFleet();

const minute = 60_000;

function comment(f: Fleet, repo: string, pr: number) {
  return waitFor("the PR comment", () => f.gh.comments(repo, pr)[0], {
    timeoutMs: 2 * minute,
    context: () => f.logs(),
  });
}

describe.skipIf(!dockerAvailable())("triage before spending tokens", { timeout: 240_000 }, () => {
  it("calls a failure that does not reproduce flaky: no model request, the comment says so, one rerun", async () => {
    const fleet = await startTestFleet();
    // CI failed, but the code is right: the test only fails where GITHUB_ACTIONS is set (an environmental break).
    const seed = await seedCalculator(fleet.gh, { name: "flaky" });
    await fleet.gh.commit({
      repo: seed.fullName,
      branch: "feature",
      files: {
        "src/sum.js": GOOD_SUM,
        "test/sum.test.js":
          'import assert from "node:assert/strict";\nimport { test } from "node:test";\nimport { sum } from "../src/sum.js";\n\ntest("sum adds", () => {\n  assert.equal(sum(1, 2), process.env.GITHUB_ACTIONS ? 4 : 3);\n});\n',
      },
      message: "make the test depend on the runner",
    });
    const head = (await fleet.gh.branches(seed.fullName)).feature as string;
    const run = await fleet.gh.addWorkflowRun({
      repo: seed.fullName,
      headSha: head,
      headBranch: "feature",
      conclusion: "failure",
      pullRequests: [seed.pr],
      jobs: [{ name: "test", conclusion: "failure", log: "##[error]Process completed with exit code 1." }],
    });
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed, { sha: head, run_id: run.id }));

    const body = (await comment(fleet, seed.fullName, seed.pr)).body;
    expect(body).toMatch(/did not reproduce/);
    expect(body).toMatch(/flaky/);
    expect(fleet.ai.messageRequests()).toHaveLength(0);
    expect(fleet.gh.reruns(seed.fullName)).toEqual([
      expect.objectContaining({ runId: run.id, kind: "rerun-failed-jobs" }),
    ]);
  });

  it("leaves a failure that also fails on the base commit alone: no model request, the comment says pre-existing", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh, { name: "preexisting" });
    const pr = fleet.gh.pullRequests(seed.fullName).find((p) => p.number === seed.pr);
    const baseSha = (await fleet.gh.branches(seed.fullName)).main as string;
    expect(pr).toBeDefined();
    await fleet.gh.addWorkflowRun({
      repo: seed.fullName,
      headSha: baseSha,
      headBranch: "main",
      event: "push",
      conclusion: "failure",
      jobs: [{ name: "test", conclusion: "failure", log: "##[error]Process completed with exit code 1." }],
    });
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));

    const body = (await comment(fleet, seed.fullName, seed.pr)).body;
    expect(body).toMatch(/pre-existing/);
    expect(body).toMatch(/also fails on the base branch/);
    expect(fleet.ai.messageRequests()).toHaveLength(0);
  });

  it("stops when the same failure comes back after its fix was published: no second model run", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh, { name: "loop" });
    scriptSumFix(fleet.ai);
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));
    await waitFor("the fix branch", async () => (await fleet.gh.branches(seed.fullName))[`fixfleet/pr-${seed.pr}`], {
      timeoutMs: 2 * minute,
      context: () => fleet.logs(),
    });
    const requestsAfterFix = fleet.ai.messageRequests().length;

    // The PR moves on and CI fails again the same way.
    const head = await fleet.gh.commit({
      repo: seed.fullName,
      branch: "feature",
      files: { "NOTES.md": "x\n" },
      message: "more",
    });
    const run = await fleet.gh.addWorkflowRun({
      repo: seed.fullName,
      headSha: head,
      headBranch: "feature",
      conclusion: "failure",
      pullRequests: [seed.pr],
      jobs: [
        {
          name: "test",
          conclusion: "failure",
          log: sameFailureLog(),
        },
      ],
    });
    await fleet.dispatch(seed, report(seed, { sha: head, run_id: run.id }));
    await waitFor(
      "the comment to say the fix did not hold",
      () => /did not hold/.test(fleet.gh.comments(seed.fullName, seed.pr)[0]?.body ?? ""),
      {
        timeoutMs: 2 * minute,
        context: () => fleet.logs(),
      },
    );
    expect(fleet.ai.messageRequests()).toHaveLength(requestsAfterFix);
    expect(fleet.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
  });

  it("lets exactly one of two fixes racing for the last of a repository's daily budget run", async () => {
    // A first turn is estimated at 20k input + 2k output tokens ($0.09 at Sonnet prices): $0.15 covers one, not two.
    const fleet = await startTestFleet({ workerEnv: { BUDGET_USD_PER_REPO_DAY: "0.15", WORKER_CONCURRENCY: "2" } });
    const one = await seedCalculator(fleet.gh, { name: "budget" });
    // The second PR breaks `sum` the same way as the first, so the scripted turns below fix
    // whichever PR wins the budget: which job reaches the ledger first is up to the machine.
    await fleet.gh.commit({
      repo: one.fullName,
      branch: "second",
      files: { "src/sum.js": BAD_SUM },
      message: "subtract in sum",
      from: "main",
    });
    const pr2 = await fleet.gh.openPullRequest({ repo: one.fullName, head: "second", title: "Second" });
    const run2 = await fleet.gh.addWorkflowRun({
      repo: one.fullName,
      headSha: pr2.headSha,
      headBranch: "second",
      conclusion: "failure",
      pullRequests: [pr2.number],
      jobs: [{ name: "test", conclusion: "failure", log: "##[error]Process completed with exit code 1." }],
    });
    const commentsOfBoth = () => [
      fleet.gh.comments(one.fullName, one.pr)[0]?.body,
      fleet.gh.comments(one.fullName, pr2.number)[0]?.body,
    ];
    // Whichever fix reaches the model first holds its reservation through its first turn, which
    // is answered only once the other fix has tried to reserve and been refused: the race is
    // decided by the ledger, never by which job the loaded machine happened to start later.
    fleet.ai.script(
      async () => {
        await waitFor(
          "the other fix to be refused",
          () => (commentsOfBoth().some((b) => b && /daily budget is spent/.test(b)) ? true : undefined),
          { timeoutMs: 2 * minute, context: () => fleet.logs() },
        );
        return [text("Let me read the function under test."), editor.view("/workspace/src/sum.js")];
      },
      [editor.strReplace("/workspace/src/sum.js", "return a - b;", "return a + b;")],
      [bash.command("cd /workspace && npm test")],
      [text("Fixed: `sum` subtracted instead of adding; `npm test` passes now.")],
    );
    await fleet.dispatch(one, report(one));
    await fleet.dispatch(one, report(one, { sha: pr2.headSha, pr: pr2.number, run_id: run2.id }));
    await fleet.startWorker();

    const bodies = await waitFor(
      "both PRs to have their comment",
      () => {
        const [a, b] = commentsOfBoth();
        return a && b ? [a, b] : undefined;
      },
      { timeoutMs: 3 * minute, context: () => fleet.logs() },
    );
    const refused = bodies.filter((b) => /daily budget is spent/.test(b));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatch(/resets at \d{4}-/);
    // The other one ran: the model was asked, by one fix only (the refused one never reached it),
    // and its comment shows the fix.
    expect(fleet.ai.messageRequests().length, bodies.join("\n---\n")).toBeGreaterThanOrEqual(1);
    expect(
      bodies.filter((b) => /fixfleet fixed the failure/.test(b)),
      bodies.join("\n---\n"),
    ).toHaveLength(1);
  });
});

function sameFailureLog(): string {
  return [
    "2026-11-30T09:00:00.0000000Z ##[group]Run npm test",
    "2026-11-30T09:00:00.1000000Z npm test",
    "2026-11-30T09:00:00.2000000Z ##[endgroup]",
    "2026-11-30T09:00:01.0000000Z ✖ sum adds (0.9ms)",
    "2026-11-30T09:00:01.0000000Z   AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:",
    "2026-11-30T09:00:01.0000000Z   -1 !== 3",
    "2026-11-30T09:00:01.1000000Z ℹ tests 1",
    "2026-11-30T09:00:01.1000000Z ℹ fail 1",
    "2026-11-30T09:00:01.2000000Z ##[error]Process completed with exit code 1.",
  ].join("\n");
}
