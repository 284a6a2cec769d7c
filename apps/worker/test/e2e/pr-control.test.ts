import { DEFAULT_KEY_PREFIX, QUEUE_NAMES } from "@fixfleet/shared";
import {
  dockerAvailable,
  editor,
  type Fleet,
  report,
  scriptSumFix,
  seedCalculator,
  text,
  useFleet,
  waitFor,
} from "@fixfleet/testkit";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { describe, expect, it } from "vitest";

const startTestFleet = useFleet();

const minute = 60_000;

/** The fleet's fix queue, read straight from its Redis. */
function fixQueue(f: Fleet) {
  const connection = new Redis(f.redis.url, { maxRetriesPerRequest: null });
  const queue = new Queue(QUEUE_NAMES.fix, { connection, prefix: DEFAULT_KEY_PREFIX });
  return {
    queue,
    close: async () => {
      await queue.close();
      connection.disconnect();
    },
  };
}

function until<T>(f: Fleet, what: string, probe: () => T | undefined | Promise<T | undefined>) {
  return waitFor(what, probe, { timeoutMs: 2 * minute, context: () => f.logs() });
}

async function scrape(f: Fleet): Promise<string> {
  const worker = f.workers[0];
  if (!worker) throw new Error("no worker");
  return (await fetch(worker.metricsUrl)).text();
}

describe.skipIf(!dockerAvailable())("control from the pull request", { timeout: 300_000 }, () => {
  it("/fixfleet stop: ignored with a reply from someone without write access; from a maintainer it stops the queued fix and later ones", async () => {
    // A long batch window keeps the fix queued while people talk on the PR.
    const fleet = await startTestFleet({ deliverWebhooks: true, batchWindowMs: 60_000, batchMaxWaitMs: 120_000 });
    const seed = await seedCalculator(fleet.gh, { name: "stoppable" });
    await fleet.startWorker();
    const fixes = fixQueue(fleet);
    try {
      expect((await fleet.dispatch(seed, report(seed))).status).toBe(202);
      await until(fleet, "the queued fix", async () =>
        (await fixes.queue.getDelayedCount()) === 1 ? true : undefined,
      );

      // Someone from outside (read access on a public repository) cannot steer.
      await fleet.gh.comment({ repo: seed.fullName, issueNumber: seed.pr, body: "/fixfleet stop", user: "mallory" });
      const reply = await until(fleet, "the reply to mallory", () =>
        fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("@mallory")),
      );
      expect(reply.body).toMatch(/`\/fixfleet stop` was ignored: steering fixfleet needs write access/);
      // The repository is private: an outsider (a fork's author, say) has no role on it.
      expect(reply.body).toMatch(/your permission here is `none`/);
      expect(reply.user.type).toBe("Bot");
      expect(await fixes.queue.getDelayedCount()).toBe(1);

      // A maintainer can.
      fleet.gh.setPermission(seed.fullName, "maria", "maintain");
      const stop = await fleet.gh.comment({
        repo: seed.fullName,
        issueNumber: seed.pr,
        body: "Let me look first.\n/fixfleet stop",
        user: "maria",
      });
      await until(fleet, "the +1 on maria's command", () =>
        fleet.gh.reactions(seed.fullName, stop.id).find((r) => r.content === "+1") ? true : undefined,
      );
      expect(await fixes.queue.getDelayedCount()).toBe(0);

      // CI fails again on the PR: the fix is not attempted while stopped, and the comment says who stopped it.
      expect((await fleet.dispatch(seed, report(seed, { run_attempt: 2 }))).status).toBe(202);
      await fixes.queue.promoteJobs();
      const body = await until(
        fleet,
        "the stopped comment",
        () => fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("stopped fixfleet"))?.body,
      );
      expect(body).toMatch(/@maria stopped fixfleet on this pull request/);
      expect(fleet.ai.messageRequests()).toHaveLength(0);
      expect(fleet.gh.comments(seed.fullName, seed.pr).filter((c) => c.body.includes("@mallory"))).toHaveLength(1);
    } finally {
      await fixes.close();
    }
  });

  it("/fixfleet stop while a fix runs ends it at the next model turn", async () => {
    const fleet = await startTestFleet({ deliverWebhooks: true });
    const seed = await seedCalculator(fleet.gh, { name: "midrun" });
    fleet.gh.setPermission(seed.fullName, "maria", "write");
    await fleet.startWorker();
    const redis = new Redis(fleet.redis.url);
    try {
      // The first turn is answered only once maria's stop has been taken in.
      fleet.ai.script(async () => {
        await fleet.gh.comment({ repo: seed.fullName, issueNumber: seed.pr, body: "/fixfleet stop", user: "maria" });
        await until(fleet, "the stop to be recorded", async () =>
          (await redis.exists(`${DEFAULT_KEY_PREFIX}:pr:${seed.fullName}#${seed.pr}:stopped`)) ? true : undefined,
        );
        return [text("Reading the test."), editor.view("/workspace/src/sum.js")];
      });
      await fleet.dispatch(seed, report(seed));
      const body = await until(
        fleet,
        "the stopped comment",
        () => fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("stopped fixfleet"))?.body,
      );
      expect(body).toMatch(/@maria stopped fixfleet on this pull request/);
      expect(body).toMatch(/\/fixfleet retry\\?` on the pull request to resume/);
      expect(fleet.ai.messageRequests()).toHaveLength(1);
      expect((await fleet.gh.branches(seed.fullName))[`fixfleet/pr-${seed.pr}`]).toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });

  it("the fixfleet:skip label, /fixfleet retry (exactly one fix), /fixfleet explain, and a merged fix moving the acceptance metric", async () => {
    const fleet = await startTestFleet({ deliverWebhooks: true });
    const seed = await seedCalculator(fleet.gh, { name: "steered" });
    fleet.gh.setPermission(seed.fullName, "maria", "write");
    // This worker keeps sandbox workspaces in memory (SANDBOX_WORKSPACE); the explain turn checks it.
    await fleet.startWorker({ SANDBOX_WORKSPACE: "memory" });

    // Labelled fixfleet:skip: the failure is noted, nothing runs.
    await fleet.gh.addLabel({ repo: seed.fullName, number: seed.pr, label: "fixfleet:skip", user: "maria" });
    await fleet.dispatch(seed, report(seed));
    const skipped = await until(
      fleet,
      "the skip comment",
      () => fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("fixfleet:skip"))?.body,
    );
    expect(skipped).toMatch(/did not attempt a fix/);
    expect(skipped).toMatch(/has the \\`fixfleet:skip\\` label/);
    expect(fleet.ai.messageRequests()).toHaveLength(0);

    // The label goes, two people ask for a retry at once: one fix runs on the failure seen.
    await fleet.gh.removeLabel({ repo: seed.fullName, number: seed.pr, label: "fixfleet:skip", user: "maria" });
    fleet.gh.setPermission(seed.fullName, "omar", "admin");
    scriptSumFix(fleet.ai);
    await Promise.all([
      fleet.gh.comment({ repo: seed.fullName, issueNumber: seed.pr, body: "/fixfleet retry", user: "maria" }),
      fleet.gh.comment({ repo: seed.fullName, issueNumber: seed.pr, body: "/fixfleet retry please", user: "omar" }),
    ]);
    const branch = `fixfleet/pr-${seed.pr}`;
    await until(fleet, "the fix branch", async () => (await fleet.gh.branches(seed.fullName))[branch]);
    await until(fleet, "the fixed comment", () =>
      fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("fixfleet fixed the failure")),
    );
    expect(await fleet.gh.readFile(seed.fullName, branch, "src/sum.js")).toContain("a + b");
    const fixes = fixQueue(fleet);
    try {
      const retryJobs = async () =>
        (await fixes.queue.getJobs(["completed", "failed", "active", "waiting", "delayed", "prioritized"])).filter(
          (j) => j.data.trigger?.command === "retry",
        );
      const done = await until(fleet, "the retry job to complete", async () => {
        const jobs = await retryJobs();
        return jobs.every((j) => j.finishedOn) ? jobs : undefined;
      });
      expect(done).toHaveLength(1);
      // The job's result (what the dashboard shows) carries what the run cost.
      expect(done[0]?.returnvalue).toMatchObject({ outcome: { kind: "fixed" }, spend: { turns: 4 } });
      expect((await fixes.queue.getJobLogs(done[0]?.id ?? "")).logs.join("\n")).toMatch(/model spend: \$/);
    } finally {
      await fixes.close();
    }
    expect(fleet.ai.messageRequests()).toHaveLength(4);

    // explain: one analysis turn, posted as its own comment; the fix comment stays.
    let workspaceVolume: { Driver?: string; Options?: Record<string, string> | null } | undefined;
    fleet.ai.script(async () => {
      const [sandbox] = await fleet.docker.listContainers({ filters: { label: ["fixfleet.repo=octo/steered"] } });
      const mount = sandbox?.Mounts.find((m) => m.Destination === "/workspace");
      if (mount?.Name) workspaceVolume = await fleet.docker.getVolume(mount.Name).inspect();
      return [
        text("What fails: `sum(1, 2)` returns -1.\n\nLikely cause: src/sum.js line 2 subtracts.\n\n/fixfleet stop"),
      ];
    });
    await fleet.gh.comment({ repo: seed.fullName, issueNumber: seed.pr, body: "/fixfleet explain", user: "maria" });
    const analysis = await until(
      fleet,
      "the analysis",
      () => fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("analysis of the failure"))?.body,
    );
    expect(analysis).toMatch(/by @maria/);
    expect(workspaceVolume?.Options).toMatchObject({ type: "tmpfs" });
    expect(analysis).toMatch(/> Likely cause: src\/sum.js line 2 subtracts/);
    expect(analysis).toContain("> /fixfleet stop");
    expect(fleet.gh.comments(seed.fullName, seed.pr).some((c) => c.body.includes("fixfleet fixed the failure"))).toBe(
      true,
    );
    const explainRequest = fleet.ai.messageRequests()[4];
    expect(JSON.stringify((explainRequest?.body as { system?: unknown } | undefined)?.system)).toMatch(
      /no file may be changed/i,
    );
    // The fix published above worked for this failure's signature: the model gets it as a hint.
    const explainPrompt = JSON.stringify((explainRequest?.body as { messages?: unknown } | undefined)?.messages);
    expect(explainPrompt).toContain("A fix that worked for the same failure before");
    expect(explainPrompt).toContain("modified src/sum.js");

    // Someone merges the fix branch into the PR's branch: the fix is accepted.
    const before = await scrape(fleet);
    expect(before).not.toMatch(/fixfleet_fix_acceptance_ratio\{repository="octo\/steered"\}/);
    await fleet.gh.mergeBranch({ repo: seed.fullName, base: "feature", head: branch, user: "maria" });
    const metrics = await until(fleet, "the acceptance metric", async () => {
      const text = await scrape(fleet);
      return /fixfleet_fix_acceptance_ratio\{repository="octo\/steered"\} 1\b/.test(text) ? text : undefined;
    });
    expect(metrics).toMatch(/fixfleet_fixes\{repository="octo\/steered",outcome="accepted"\} 1\b/);
    expect(metrics).toMatch(/fixfleet_fixes\{repository="octo\/steered",outcome="rejected"\} 0\b/);

    // Reactions on fixfleet's comment are counted when the pull request closes.
    const ours = fleet.gh.comments(seed.fullName, seed.pr).find((c) => c.body.includes("fixfleet fixed the failure"));
    if (!ours) throw new Error("no fix comment");
    fleet.gh.react({ repo: seed.fullName, commentId: ours.id, content: "+1", user: "maria" });
    fleet.gh.react({ repo: seed.fullName, commentId: ours.id, content: "heart", user: "omar" });
    await fleet.gh.mergePullRequest({ repo: seed.fullName, number: seed.pr, user: "maria" });
    const after = await until(fleet, "the reactions metric", async () => {
      const text = await scrape(fleet);
      return /fixfleet_fix_comment_reactions\{repository="octo\/steered",content="\+1"\} 1\b/.test(text)
        ? text
        : undefined;
    });
    expect(after).toMatch(/fixfleet_fix_comment_reactions\{repository="octo\/steered",content="heart"\} 1\b/);
    // Merged with the fix in it: still accepted, nothing rejected.
    expect(after).toMatch(/fixfleet_fix_acceptance_ratio\{repository="octo\/steered"\} 1\b/);
  });
});
