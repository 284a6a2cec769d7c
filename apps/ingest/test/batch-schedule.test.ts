import { batchRedisKeys, type StoredReport } from "@fixfleet/shared";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFirstStep } from "../src/batching/accept-first-step.js";
import { acceptReport, type BatchingOptions } from "../src/batching/accept-report.js";
import { scheduleSlackMs } from "../src/batching/fix-job-delay.js";
import type { Harness } from "./harness.js";
import { startHarness, storedReports } from "./harness.js";

// The batch window as CONTRACT.md §5 and §1 put it: a fix starts after BATCH_WINDOW_MS of quiet
// since the commit's last failure, or at BATCH_MAX_WAIT_MS after its first, whichever is first.
// Ingest pushes a batch's job back only when a report would otherwise see it start inside the
// report's window; these tests drive acceptReport with a clock of their own and read both
// what the batch records (jobAt) and what BullMQ holds (the job's delay, its event stream).

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const T0 = 1_900_000_000_000;
const { newSha, entry } = storedReports({ receivedAt: T0, firstRun: 50_000, shaFill: "e", deliveryPrefix: "sched" });

function acceptAt(now: number, e: StoredReport, overrides: Partial<BatchingOptions> = {}) {
  const options = { prefix: h.prefix, windowMs: 20_000, maxWaitMs: 120_000, ...overrides };
  const firstStep = createFirstStep({ redis: h.redis, now: () => now, options });
  return acceptReport({ redis: h.redis, queue: h.ingest.queue, firstStep, options }, e);
}

const meta = async (batchId: string) => h.redis.hgetall(batchRedisKeys(h.prefix).meta(batchId));
const events = () => h.redis.xlen(h.ingest.queue.toKey("events"));
const jobsOf = async (sha: string) => (await h.jobs()).filter((j) => j.data.sha === sha);

describe("the batch's job is pushed back only when a report needs it", () => {
  it("the slack is a tenth of the window, at most 5 s", () => {
    expect(scheduleSlackMs(20_000)).toBe(2_000);
    expect(scheduleSlackMs(400)).toBe(40);
    expect(scheduleSlackMs(600_000)).toBe(5_000);
    expect(scheduleSlackMs(0)).toBe(0);
  });

  it("first report: the window; a report past the slack: window + slack; one inside: appended, job untouched", async () => {
    const sha = newSha();
    const first = await acceptAt(T0, entry(sha));
    expect(first).toMatchObject({ outcome: "accepted", newBatch: true, reportCount: 1 });
    if (first.outcome !== "accepted") throw new Error("not accepted");
    const [job] = await jobsOf(sha);
    expect(job?.delay).toBe(20_000);
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 20_000);

    // 1 s later: the job would start 19 s after this report, inside its window: pushed back.
    const before = await events();
    expect(await acceptAt(T0 + 1_000, entry(sha))).toMatchObject({ outcome: "accepted", reportCount: 2 });
    expect(await events()).toBeGreaterThan(before);
    expect((await h.ingest.queue.getJob(job!.id!))?.delay).toBe(22_000);
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 23_000);

    // 2.5 s: the job starts 20.5 s after this report, late enough: appended, BullMQ not called.
    const quiet = await events();
    expect(await acceptAt(T0 + 2_500, entry(sha))).toMatchObject({ outcome: "accepted", reportCount: 3 });
    expect(await events()).toBe(quiet);
    expect((await h.ingest.queue.getJob(job!.id!))?.delay).toBe(22_000);
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 23_000);

    // 3.5 s: 19.5 s would be too soon: pushed back again.
    expect(await acceptAt(T0 + 3_500, entry(sha))).toMatchObject({ outcome: "accepted", reportCount: 4 });
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 25_500);
    expect(await events()).toBeGreaterThan(quiet);

    const jobs = await jobsOf(sha);
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(4);
    await jobs[0]!.remove();
  });

  it("never past the max wait: once the job is due at the max wait, later reports just join", async () => {
    const sha = newSha();
    const options = { windowMs: 20_000, maxWaitMs: 30_000 };
    const first = await acceptAt(T0, entry(sha), options);
    if (first.outcome !== "accepted") throw new Error("not accepted");
    await acceptAt(T0 + 15_000, entry(sha), options);
    // min(15 s + 22 s, 30 s) = 30 s after the first report.
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 30_000);
    const [job] = await jobsOf(sha);
    expect(job?.delay).toBe(15_000);
    const quiet = await events();
    expect(await acceptAt(T0 + 25_000, entry(sha), options)).toMatchObject({ outcome: "accepted", reportCount: 3 });
    expect(await events()).toBe(quiet);
    expect(Number((await meta(first.batchId)).jobAt)).toBe(T0 + 30_000);
    await job!.remove();
  });

  it("after every report, its batch's job starts no sooner than its window and no later than window + slack", async () => {
    const windowMs = 20_000;
    const maxWaitMs = 60_000;
    const slack = scheduleSlackMs(windowMs);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 6_000 }), { minLength: 1, maxLength: 12 }), async (gaps) => {
        const sha = newSha();
        let now = T0;
        let createdAt: number | undefined;
        let batchId: string | undefined;
        for (const gap of gaps) {
          now += gap;
          // Stay inside the batch's life: a report after its job would have started opens another.
          if (createdAt !== undefined && now >= createdAt + maxWaitMs) break;
          const outcome = await acceptAt(now, entry(sha), { windowMs, maxWaitMs });
          if (outcome.outcome !== "accepted") throw new Error("not accepted");
          batchId ??= outcome.batchId;
          expect(outcome.batchId).toBe(batchId);
          const m = await meta(batchId);
          createdAt ??= Number(m.createdAt);
          const jobAt = Number(m.jobAt);
          expect(jobAt).toBeGreaterThanOrEqual(Math.min(now + windowMs, createdAt + maxWaitMs));
          expect(jobAt).toBeLessThanOrEqual(Math.min(now + windowMs + slack, createdAt + maxWaitMs));
        }
        const jobs = await jobsOf(sha);
        expect(jobs).toHaveLength(1);
        for (const job of jobs) await job.remove();
      }),
      { numRuns: 25 },
    );
  });
});
