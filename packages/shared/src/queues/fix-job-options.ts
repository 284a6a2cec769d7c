import type { DefaultJobOptions } from "bullmq";

/** How every fix job is retried and kept, whoever adds it (ingest, or a `/fixfleet retry`). */
export const FIX_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 3,
  // Jitter spreads the retries of fixes that failed together (a GitHub or Docker outage).
  backoff: { type: "exponential", delay: 30_000, jitter: 0.5 },
  removeOnComplete: { age: 7 * 86_400, count: 10_000 },
  removeOnFail: { age: 30 * 86_400 },
};
