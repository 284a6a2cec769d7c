import { createLogger, createRedis, type FixJobData, PermanentError, QUEUE_NAMES } from "@fixfleet/shared";
import { testRedisUrl, uniquePrefix } from "@fixfleet/testkit";
import { Queue, QueueEvents, type Worker } from "bullmq";
import type { Redis } from "ioredis";
import { createDailyAttempts } from "../src/guards/daily-attempts.js";
import { createSemaphore } from "../src/locks/redis-semaphore.js";
import { createWorkerMetrics, type WorkerMetrics } from "../src/metrics/worker-metrics.js";
import type { FixAttemptBase, FixContextBase, FixPorts } from "../src/pipeline/fix-ports.js";
import type { Outcome } from "../src/pipeline/outcome.js";
import type { FixJobResult } from "../src/pipeline/process-fix-job.js";
import { createStageStore } from "../src/pipeline/stage-store.js";
import { createFixWorker } from "../src/queue/create-fix-worker.js";

export interface Ctx extends FixContextBase {
  sha: string;
}
export interface Attempt extends FixAttemptBase {
  diff: string;
}

/** Ports that record what the pipeline asked for; behaviour is set per test. */
export function recordingPorts(overrides: Partial<FixPorts<Ctx, Attempt, { branch: string }>> = {}) {
  const calls: string[] = [];
  const reported: Outcome[] = [];
  const ports: FixPorts<Ctx, Attempt, { branch: string }> = {
    async gatherContext(job) {
      calls.push("context");
      return { sha: job.sha };
    },
    async attemptFix() {
      calls.push("fix");
      return { status: "verified", reason: "tests pass", diff: "+fixed" };
    },
    async isCurrentHead() {
      calls.push("head");
      return true;
    },
    async publish() {
      calls.push("publish");
      return { branch: "fixfleet/pr-1" };
    },
    async reportOutcome(_job, _ctx, outcome) {
      calls.push(`report:${outcome.kind}`);
      reported.push(outcome);
    },
    ...overrides,
  };
  return { ports, calls, reported };
}

export interface Harness {
  queue: Queue;
  events: QueueEvents;
  prefix: string;
  redis: Redis;
  metrics: WorkerMetrics;
  startWorker(
    ports: FixPorts<Ctx, Attempt, { branch: string }>,
    options?: { concurrency?: number; modelSlots?: number; dailyLimit?: number; busyDelayMs?: number },
  ): Worker<unknown, FixJobResult>;
  add(data?: Partial<FixJobData>, opts?: { attempts?: number }): Promise<string>;
  close(): Promise<void>;
}

export async function createHarness(): Promise<Harness> {
  const url = testRedisUrl();
  const prefix = uniquePrefix("worker");
  const redis = createRedis(url, { role: "worker" });
  const queue = new Queue(QUEUE_NAMES.fix, { connection: createRedis(url, { role: "worker" }), prefix });
  const events = new QueueEvents(QUEUE_NAMES.fix, { connection: createRedis(url, { role: "worker" }), prefix });
  await events.waitUntilReady();
  const metrics = createWorkerMetrics();
  const workers: Worker[] = [];
  let n = 0;
  return {
    queue,
    events,
    prefix,
    redis,
    metrics,
    startWorker(ports, options = {}) {
      const worker = createFixWorker({
        connection: createRedis(url, { role: "worker" }),
        prefix,
        concurrency: options.concurrency ?? 2,
        stalledIntervalMs: 1_000,
        lockDurationMs: 2_000,
        pipeline: {
          ports,
          redis,
          prefix,
          stages: createStageStore(redis, prefix),
          modelSlots: createSemaphore(redis, `${prefix}:model-slots`, options.modelSlots ?? 10, 30_000),
          dailyAttempts: createDailyAttempts(redis, prefix, options.dailyLimit ?? 10),
          metrics,
          logger: createLogger({ name: "worker-test", level: "silent" }),
          busyDelayMs: options.busyDelayMs ?? 100,
        },
      });
      workers.push(worker);
      void worker.run();
      return worker;
    },
    async add(data = {}, opts = {}) {
      n += 1;
      const job: FixJobData = {
        v: 1,
        batchId: `b${n}-${prefix}`,
        batchKey: `octo/app@${"a".repeat(40)}`,
        repository: { owner: "octo", name: "app" },
        sha: "a".repeat(40),
        pr: 1,
        firstReportAt: Date.now(),
        ...data,
      };
      const added = await queue.add("fix", job, {
        attempts: opts.attempts ?? 3,
        backoff: { type: "fixed", delay: 50 },
      });
      return added.id as string;
    },
    async close() {
      for (const w of workers) await w.close(true);
      await events.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

export const permanent = (reason: string) => new PermanentError(reason);
