import { closeBatch, createRedis, type FixJobData, QUEUE_NAMES, type StartedBatch, startBatch } from "@fixfleet/shared";
import { startRedisServer, webhookRequest } from "@fixfleet/testkit";
import { Queue, Worker } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { dispatchPayload, type Harness, report, SHA_A, SHA_B, startHarness, WEBHOOK_SECRET } from "./harness.js";
import { spawnIngest } from "./ingest-process.js";

interface Run {
  jobId: string;
  batchId: string;
  startedAt: number;
  batch: StartedBatch;
}

/** A fix worker of the test: starts each batch (the worker's read side) and records what it got. */
function recordingWorker(redisUrl: string, prefix: string) {
  const runs: Run[] = [];
  const connection = createRedis(redisUrl, { role: "worker" });
  const redis = createRedis(redisUrl, { role: "producer" });
  const worker = new Worker<FixJobData>(
    QUEUE_NAMES.fix,
    async (job) => {
      const batch = await startBatch(redis, prefix, job.data.batchId);
      if (!batch) throw new Error(`batch ${job.data.batchId} is missing`);
      runs.push({ jobId: job.id!, batchId: job.data.batchId, startedAt: Date.now(), batch });
      await closeBatch(redis, prefix, job.data.batchId, { outcome: "test" });
    },
    { connection, prefix, concurrency: 4 },
  );
  return {
    runs,
    async close() {
      await worker.close();
      connection.disconnect();
      redis.disconnect();
    },
  };
}

const until = async (what: () => boolean | Promise<boolean>, timeoutMs = 15_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 25));
  }
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(
  window: number,
  maxWait: number,
): Promise<{ h: Harness; worker: ReturnType<typeof recordingWorker> }> {
  const h = await startHarness({
    env: { BATCH_WINDOW_MS: String(window), BATCH_MAX_WAIT_MS: String(maxWait) },
    rateLimit: { points: 10_000, durationSec: 60 },
  });
  const worker = recordingWorker(h.config.redisUrl, h.prefix);
  cleanups.push(
    () => h.close(),
    () => worker.close(),
  );
  return { h, worker };
}

describe("batching", () => {
  it("makes one job of 3 reports of one commit inside the window, carrying all 3", async () => {
    const { h, worker } = await setup(400, 5_000);
    for (const job of ["lint", "test", "build"]) {
      expect((await h.webhook("repository_dispatch", dispatchPayload(report({ job })))).status).toBe(202);
      await new Promise((r) => setTimeout(r, 100));
    }
    await until(() => worker.runs.length === 1);
    await new Promise((r) => setTimeout(r, 600));
    expect(worker.runs).toHaveLength(1);
    expect(worker.runs[0]!.batch.reports.map((r) => r.report.job).sort()).toEqual(["build", "lint", "test"]);
    expect(worker.runs[0]!.batch.firstStart).toBe(true);
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    // Transient failures are retried with exponential backoff and jitter.
    expect(jobs[0]!.opts).toMatchObject({ attempts: 3, backoff: { type: "exponential", delay: 30_000, jitter: 0.5 } });
  });

  it("makes 2 jobs of reports of 2 commits", async () => {
    const { h, worker } = await setup(300, 5_000);
    await Promise.all([
      h.webhook("repository_dispatch", dispatchPayload(report({ sha: SHA_A }))),
      h.webhook("repository_dispatch", dispatchPayload(report({ sha: SHA_B }))),
      h.webhook("repository_dispatch", dispatchPayload(report({ sha: SHA_A }))),
    ]);
    await until(() => worker.runs.length === 2);
    await new Promise((r) => setTimeout(r, 500));
    expect(worker.runs).toHaveLength(2);
    const bySha = Object.fromEntries(worker.runs.map((r) => [r.batch.meta.sha, r.batch.reports.length]));
    expect(bySha).toEqual({ [SHA_A]: 2, [SHA_B]: 1 });
  });

  it("starts the job at the max wait under a steady trickle, and a report after the start opens a new batch", async () => {
    const window = 400;
    const maxWait = 1_200;
    const { h, worker } = await setup(window, maxWait);
    const sent: number[] = [];
    const first = Date.now();
    // A report every 150 ms for 3 s: the window never goes quiet.
    while (Date.now() - first < 3_000) {
      const r = report();
      expect((await h.webhook("repository_dispatch", dispatchPayload(r))).status).toBe(202);
      sent.push(r.run_id as number);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    await until(() => worker.runs.reduce((n, run) => n + run.batch.reports.length, 0) === sent.length, 10_000);
    const runs = [...worker.runs].sort((a, b) => a.startedAt - b.startedAt);
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      // Started no later than max wait after its batch's first report (plus scheduling slack).
      expect(run.startedAt - run.batch.meta.createdAt).toBeLessThan(maxWait + 700);
    }
    expect(runs[0]!.startedAt - first).toBeLessThan(maxWait + 700);
    const received = runs.flatMap((run) => run.batch.reports.map((e) => e.report.run_id)).sort();
    expect(received).toEqual([...sent].sort());
  });

  it("opens a new batch for a report that arrives after its batch's job started", async () => {
    const { h, worker } = await setup(100, 1_000);
    expect((await h.webhook("repository_dispatch", dispatchPayload(report()))).status).toBe(202);
    await until(() => worker.runs.length === 1);
    expect((await h.webhook("repository_dispatch", dispatchPayload(report()))).status).toBe(202);
    await until(() => worker.runs.length === 2);
    expect(worker.runs[0]!.batchId).not.toBe(worker.runs[1]!.batchId);
    expect(worker.runs.map((r) => r.batch.reports.length)).toEqual([1, 1]);
  });

  it("two ingest apps with their own connections, fed one commit at once: one job, no report lost", async () => {
    const { h } = await setup(1_000, 10_000);
    const other = await startHarness({
      env: { BATCH_WINDOW_MS: "1000", BATCH_MAX_WAIT_MS: "10000" },
      rateLimit: { points: 10_000, durationSec: 60 },
      prefix: h.prefix,
      issuer: h.issuer,
    });
    cleanups.push(() => other.close());
    const reports = Array.from({ length: 60 }, () => report({ sha: "9".repeat(40) }));
    const answers = await Promise.all(
      reports.map((r, i) => (i % 2 === 0 ? h : other).webhook("repository_dispatch", dispatchPayload(r))),
    );
    expect(answers.map((a) => a.status)).toEqual(reports.map(() => 202));
    const jobs = await h.jobs();
    expect(jobs).toHaveLength(1);
    expect(await h.reportsOf(jobs[0]!)).toBe(60);
  });
});

describe("two ingest processes", () => {
  it("fed reports of one commit concurrently make one job, and lose none", { timeout: 90_000 }, async () => {
    const redis = await startRedisServer();
    cleanups.push(() => redis.stop());
    const env = {
      REDIS_URL: redis.url,
      GITHUB_APP_ID: "12345",
      GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
      BATCH_WINDOW_MS: "2000",
      BATCH_MAX_WAIT_MS: "20000",
    };
    const processes = await Promise.all([spawnIngest(env), spawnIngest(env)]);
    cleanups.push(() => Promise.all(processes.map((p) => p.stop())));
    const sha = "7".repeat(40);
    const reports = Array.from({ length: 100 }, (_, i) => report({ sha, job: `job-${i}` }));
    const answers = await Promise.all(
      reports.map(async (r, i) => {
        const request = await webhookRequest({
          url: `${processes[i % 2]!.url}/webhooks/github`,
          secret: WEBHOOK_SECRET,
          event: "repository_dispatch",
          payload: dispatchPayload(r),
        });
        const res = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
        return res.status;
      }),
    );
    expect(answers).toEqual(reports.map(() => 202));
    const prefix = "fixfleet";
    const connection = createRedis(redis.url, { role: "producer" });
    const queue = new Queue<FixJobData>(QUEUE_NAMES.fix, { connection, prefix });
    cleanups.push(async () => {
      await queue.close();
      connection.disconnect();
    });
    const jobs = await queue.getJobs(["delayed", "waiting", "active"]);
    expect(jobs).toHaveLength(1);
    const batch = await startBatch(connection, prefix, jobs[0]!.data.batchId);
    expect(batch?.reports.map((e) => e.report.job).sort()).toEqual(reports.map((r) => r.job).sort());
  });
});
