import { createRedis, DEFAULT_KEY_PREFIX, QUEUE_NAMES } from "@fixfleet/shared";
import {
  BAD_SUM,
  dockerAvailable,
  type Fleet,
  GOOD_SUM,
  report,
  scriptSumFix,
  seedCalculator,
  text,
  useFleet,
  waitFor,
} from "@fixfleet/testkit";
import { Queue } from "bullmq";
import { describe, expect, it } from "vitest";

const startTestFleet = useFleet();

const minute = 60_000;

async function sandboxesLeft(f: Fleet): Promise<number> {
  const containers = await f.docker.listContainers({ all: true, filters: { label: ["fixfleet.job"] } });
  return containers.filter((c) => c.Labels["fixfleet.repo"]?.startsWith("octo/")).length;
}

async function fixBranch(f: Fleet, repo: string, branch: string) {
  return waitFor(`branch ${branch} in ${repo}`, async () => (await f.gh.branches(repo))[branch], {
    timeoutMs: 2 * minute,
    context: () => f.logs(),
  });
}

describe.skipIf(!dockerAvailable())("the fleet, end to end", { timeout: 180_000 }, () => {
  it("turns a signed repository_dispatch into a verified fix branch, one comment and a completed check run", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh);
    scriptSumFix(fleet.ai);
    await fleet.startWorker();

    const answer = await fleet.dispatch(seed, report(seed));
    expect(answer.status).toBe(202);

    const branch = `fixfleet/pr-${seed.pr}`;
    await fixBranch(fleet, seed.fullName, branch);
    expect(await fleet.gh.readFile(seed.fullName, branch, "src/sum.js")).toBe(GOOD_SUM);
    expect(await fleet.gh.readFile(seed.fullName, "feature", "src/sum.js")).toBe(BAD_SUM);

    const comments = await waitFor("the PR comment", () => {
      const c = fleet.gh.comments(seed.fullName, seed.pr);
      return c.length > 0 && c;
    });
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain(branch);
    expect(comments[0]?.body).toContain("src/sum.js");
    const checks = await waitFor("a completed check run", () => {
      const runs = fleet.gh.checkRuns(seed.fullName).filter((r) => r.status === "completed");
      return runs.length > 0 && runs;
    });
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ headSha: seed.headSha, conclusion: "success", name: "fixfleet" });
    fleet.ai.assertScriptDone();
    await waitFor("no sandbox left", async () => (await sandboxesLeft(fleet)) === 0);
  });

  it("makes one fix of three reports of one commit: one conversation, one branch, one comment listing the three jobs", async () => {
    const fleet = await startTestFleet({ batchWindowMs: 1_500 });
    const seed = await seedCalculator(fleet.gh, { jobs: ["test (node 20)", "test (node 22)", "lint"] });
    scriptSumFix(fleet.ai);
    await fleet.startWorker();

    for (const job of ["test (node 20)", "test (node 22)", "lint"]) {
      expect((await fleet.dispatch(seed, report(seed, { job }))).status).toBe(202);
    }
    await fixBranch(fleet, seed.fullName, `fixfleet/pr-${seed.pr}`);
    const comments = await waitFor("the PR comment", () => fleet.gh.comments(seed.fullName, seed.pr)[0]);
    expect(fleet.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
    for (const job of ["test (node 20)", "test (node 22)", "lint"]) expect(comments.body).toContain(job);
    // One conversation: the four scripted turns, each requested once.
    expect(fleet.ai.messageRequests()).toHaveLength(4);
    expect(Object.keys(await fleet.gh.branches(seed.fullName)).filter((b) => b.startsWith("fixfleet/"))).toHaveLength(
      1,
    );
  });

  it("completes a fix whose worker was SIGKILLed while the model answered: one branch, one comment, no container left", async () => {
    const fleet = await startTestFleet({ workerEnv: { SANDBOX_REAP_AFTER_MS: "3000" } });
    const seed = await seedCalculator(fleet.gh);
    fleet.ai.delay(4_000, { times: 1 });
    scriptSumFix(fleet.ai);
    const first = await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));

    await waitFor("the model to be asked", () => fleet.ai.requests.length > 0, {
      timeoutMs: 2 * minute,
      context: () => fleet.logs(),
    });
    first.kill("SIGKILL");
    await first.exited;
    // The model may have answered the killed worker's request; the rest of the script is enough either way.
    fleet.ai.script([text("Fixed.")]);
    await fleet.startWorker();

    await fixBranch(fleet, seed.fullName, `fixfleet/pr-${seed.pr}`);
    await waitFor("the comment", () => fleet.gh.comments(seed.fullName, seed.pr).length === 1);
    await waitFor("no sandbox left behind", async () => (await sandboxesLeft(fleet)) === 0, { timeoutMs: minute });
    expect(fleet.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
  });

  it("posts one comment although GitHub answers 502 to the first two comment posts", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh);
    fleet.gh.faults.inject("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { status: 502, times: 2 });
    scriptSumFix(fleet.ai);
    await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));
    await waitFor("the comment", () => fleet.gh.comments(seed.fullName, seed.pr).length > 0, {
      timeoutMs: 2 * minute,
      context: () => fleet.logs(),
    });
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fleet.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
  });

  it("fails a fix of a repository GitHub does not know after one try, with the reason kept and nothing posted", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh);
    await fleet.startWorker();
    const gone = { ...seed, fullName: "octo/gone", id: 424242 };
    expect((await fleet.dispatch(gone, report(seed))).status).toBe(202);

    const connection = createRedis(fleet.redis.url, { role: "worker" });
    const queue = new Queue(QUEUE_NAMES.fix, { connection, prefix: DEFAULT_KEY_PREFIX });
    try {
      const failed = await waitFor("the failed job", async () => (await queue.getFailed())[0], {
        timeoutMs: minute,
        context: () => fleet?.logs() ?? "",
      });
      expect(failed.attemptsMade).toBe(1);
      expect(failed.failedReason).toMatch(/not found|404/i);
      // Nothing was written to any repository: no comment, no check run, no branch.
      const writes = fleet.gh.calls.filter((c) => c.method !== "GET" && c.path.startsWith("/repos/"));
      expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([]);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it("drops a queued fix as stale when the PR moves on, and fixes the new head", async () => {
    const fleet = await startTestFleet();
    const seed = await seedCalculator(fleet.gh);
    await fleet.dispatch(seed, report(seed));
    // A newer push to the PR while the first fix waits (no worker yet).
    const newHead = await fleet.gh.commit({
      repo: seed.fullName,
      branch: "feature",
      files: { "README.md": "calc\n" },
      message: "docs",
    });
    await fleet.dispatch(seed, report(seed, { sha: newHead, run_id: seed.runId + 1 }));
    scriptSumFix(fleet.ai);
    await fleet.startWorker();

    const branch = `fixfleet/pr-${seed.pr}`;
    await fixBranch(fleet, seed.fullName, branch);
    const commit = await waitFor("the fix commit's parent", async () => {
      const branches = await fleet.gh.branches(seed.fullName);
      return branches[branch];
    });
    expect(commit).toBeDefined();
    expect(await fleet.gh.readFile(seed.fullName, branch, "README.md")).toBe("calc\n");
    expect(fleet.ai.messageRequests()).toHaveLength(4);
  });

  it("exits 0 on SIGTERM within the grace period; the handed-back fix completes later, once", async () => {
    const fleet = await startTestFleet({ workerEnv: { WORKER_GRACE_MS: "1000" } });
    const seed = await seedCalculator(fleet.gh);
    fleet.ai.delay(5_000, { times: 1 });
    scriptSumFix(fleet.ai);
    const first = await fleet.startWorker();
    await fleet.dispatch(seed, report(seed));
    await waitFor("the model to be asked", () => fleet.ai.requests.length > 0, {
      timeoutMs: 2 * minute,
      context: () => fleet.logs(),
    });
    const asked = Date.now();
    first.kill("SIGTERM");
    const exit = await first.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - asked).toBeLessThan(1_000 + 8_000);

    fleet.ai.script([text("Fixed.")]);
    await fleet.startWorker();
    await fixBranch(fleet, seed.fullName, `fixfleet/pr-${seed.pr}`);
    await waitFor("the comment", () => fleet.gh.comments(seed.fullName, seed.pr).length === 1);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fleet.gh.comments(seed.fullName, seed.pr)).toHaveLength(1);
  });
});
