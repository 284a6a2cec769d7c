import {
  BAD_SUM,
  dockerAvailable,
  GOOD_SUM,
  report,
  scriptSumFix,
  seedCalculator,
  useFleet,
  waitFor,
} from "@fixfleet/testkit";
import { describe, expect, it } from "vitest";

const startTestFleet = useFleet();

const minute = 60_000;

describe.skipIf(!dockerAvailable())("where a fix goes (.github/fixfleet.yml mode)", { timeout: 180_000 }, () => {
  it("mode push: commits the fix onto the failing branch as a fast-forward, and makes no fix branch", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh, { name: "pushed" });
    await fleet.gh.commit({ repo: seed.fullName, branch: "main", files: { ".github/fixfleet.yml": "mode: push\n" } });
    scriptSumFix(fleet.ai);
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));

    await waitFor(
      "the fix on the PR's branch",
      async () => (await fleet.gh.readFile(seed.fullName, "feature", "src/sum.js")) === GOOD_SUM,
      {
        timeoutMs: 2 * minute,
        context: () => fleet.logs(),
      },
    );
    const branches = await fleet.gh.branches(seed.fullName);
    expect(Object.keys(branches).filter((b) => b.startsWith("fixfleet/"))).toEqual([]);
    const commits = fleet.gh.calls.filter((c) => c.route === "POST /repos/{owner}/{repo}/git/commits");
    expect(commits.map((c) => (c.body as { parents?: string[] }).parents)).toEqual([[seed.headSha]]);
    await waitFor("the comment", () => fleet.gh.comments(seed.fullName, seed.pr).length === 1);
  });

  it("mode pull_request: proposes the fix branch as a pull request into the failing branch", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh, { name: "proposed" });
    await fleet.gh.commit({
      repo: seed.fullName,
      branch: "main",
      files: { ".github/fixfleet.yml": "mode: pull_request\n" },
    });
    scriptSumFix(fleet.ai);
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));

    const branch = `fixfleet/pr-${seed.pr}`;
    const proposal = await waitFor(
      "the proposed pull request",
      () => fleet.gh.pullRequests(seed.fullName).find((p) => p.headRef === branch),
      { timeoutMs: 2 * minute, context: () => fleet.logs() },
    );
    expect(proposal.baseRef).toBe("feature");
    expect(await fleet.gh.readFile(seed.fullName, branch, "src/sum.js")).toBe(GOOD_SUM);
    expect(await fleet.gh.readFile(seed.fullName, "feature", "src/sum.js")).toBe(BAD_SUM);
  });
});
