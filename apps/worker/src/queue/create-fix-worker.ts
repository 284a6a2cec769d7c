import { QUEUE_NAMES } from "@fixfleet/shared";
import { type Job, Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { FixAttemptBase, FixContextBase } from "../pipeline/fix-ports.js";
import { type FixJobDeps, type FixJobResult, processFixJob } from "../pipeline/process-fix-job.js";

export interface CreateFixWorkerOptions<C extends FixContextBase, A extends FixAttemptBase, P> {
  /** A worker-role connection (maxRetriesPerRequest: null): BullMQ blocks on it. */
  connection: Redis;
  prefix: string;
  concurrency: number;
  pipeline: FixJobDeps<C, A, P>;
  /**
   * How long a job's lock lasts without renewal. A worker killed mid-job loses its lock after
   * this, and the stalled-job check hands the job to another worker.
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
}

export function createFixWorker<C extends FixContextBase, A extends FixAttemptBase, P>(
  options: CreateFixWorkerOptions<C, A, P>,
): Worker<unknown, FixJobResult> {
  return new Worker<unknown, FixJobResult>(
    QUEUE_NAMES.fix,
    (job: Job, token?: string, signal?: AbortSignal) => processFixJob(job, token, signal, options.pipeline),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      autorun: false,
      lockDuration: options.lockDurationMs ?? 60_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A job that stalls twice (its worker died twice) is failed rather than retried forever.
      maxStalledCount: 2,
    },
  );
}
