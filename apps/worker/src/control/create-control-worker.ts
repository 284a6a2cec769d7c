import { QUEUE_NAMES } from "@fixfleet/shared";
import { Worker } from "bullmq";
import type { Redis } from "ioredis";
import type { ControlDeps, ControlResult } from "./control-deps.js";
import { processControlJob } from "./process-control-job.js";

/** The control queue's worker: short jobs (a few GitHub calls each), so a few run at once. */
export function createControlWorker(options: {
  connection: Redis;
  prefix: string;
  deps: ControlDeps;
  concurrency?: number;
}): Worker<unknown, ControlResult> {
  return new Worker<unknown, ControlResult>(QUEUE_NAMES.control, (job) => processControlJob(job, options.deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency ?? 4,
    autorun: false,
  });
}
