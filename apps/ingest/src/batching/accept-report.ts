import { randomUUID } from "node:crypto";
import {
  batchKey,
  batchRedisKeys,
  type FixJobData,
  jobIdFor,
  type RepositoryRef,
  reportIdentity,
  type StoredReport,
  TransientError,
} from "@fixfleet/shared";
import type { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { withRedis } from "../errors/redis-unavailable-error.js";
import { APPEND_REPORT, OPEN_BATCH } from "./batch-scripts.js";
import { fixJobDelay } from "./fix-job-delay.js";

export interface BatchingOptions {
  prefix: string;
  windowMs: number;
  maxWaitMs: number;
  /** How long a delivery id or report identity is remembered (default 7 days). */
  dedupTtlMs?: number;
  /** How long an unclosed batch lives (default 7 days). */
  batchTtlMs?: number;
}

export type AcceptOutcome =
  | { outcome: "accepted"; batchId: string; batchKey: string; reportCount: number; newBatch: boolean }
  | { outcome: "duplicate"; batchId: string };

const WEEK_MS = 7 * 24 * 3_600_000;
const MAX_ROUNDS = 5;

/**
 * Stores a report in its batch and makes sure the batch's fix job is scheduled, or says the
 * report was seen before. Three atomic steps, in an order where a failure at any point leaves
 * nothing acknowledged:
 *  1. open (or find) the batch of the repository and head commit;
 *  2. schedule its job with BullMQ's deduplication (id = batch id, `reschedule`): the first
 *     report makes the delayed job, later ones push its start back by the window, never past
 *     the max wait; BullMQ's own script makes this one job however many replicas add at once;
 *  3. append the report and remember it (delivery id, report identity), only if the batch is
 *     still open; if its job started meanwhile, go round again with a new batch.
 * If Redis fails between 2 and 3, a job may wait for a batch without this report: the sender
 * gets 503, and its retry joins the same batch.
 */
export async function acceptReport(
  deps: { redis: Redis; queue: Queue; now: () => number; options: BatchingOptions },
  entry: StoredReport,
): Promise<AcceptOutcome> {
  const { redis, queue, options } = deps;
  const keys = batchRedisKeys(options.prefix);
  const repository = fullName(entry.repository);
  const key = batchKey(repository, entry.report.sha);
  const identity = reportIdentity(
    repository,
    entry.report.run_id,
    entry.report.run_attempt ?? 1,
    entry.report.job ?? "",
  );
  const deliveryKey = keys.delivery(entry.deliveryId ?? "-");
  const hasDelivery = entry.deliveryId ? "1" : "0";
  const dedupTtl = options.dedupTtlMs ?? WEEK_MS;
  const batchTtl = options.batchTtlMs ?? WEEK_MS;
  const metaPrefix = keys.meta("");

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const now = deps.now();
    const opened = (await withRedis(() =>
      OPEN_BATCH(
        redis,
        [keys.open(key), keys.sequence, deliveryKey, keys.report(identity)],
        [now, key, repository, entry.report.sha, batchTtl, hasDelivery, metaPrefix],
      ),
    )) as [string, string, string?];
    if (opened[0] === "duplicate") return { outcome: "duplicate", batchId: opened[1] };
    const [state, batchId, createdAt] = opened as [string, string, string];

    const data: FixJobData = {
      v: 1,
      batchId,
      batchKey: key,
      repository: entry.repository,
      installationId: entry.installationId,
      sha: entry.report.sha,
      pr: entry.report.pr ?? entry.workflowRun?.pullRequests[0],
      ref: entry.report.ref,
      firstReportAt: Number(createdAt),
    };
    const delay = fixJobDelay(now, Number(createdAt), options.windowMs, options.maxWaitMs);
    await withRedis(() =>
      queue.add(key, data, {
        // A fresh id each time: BullMQ answers an existing job id before it looks at
        // deduplication, so a fixed id would stop the reschedule. The id names the batch.
        jobId: jobIdFor("fix", `${batchId}.${randomUUID().slice(0, 8)}`),
        delay,
        deduplication: { id: batchId, reschedule: true },
      }),
    );

    const appended = (await withRedis(() =>
      APPEND_REPORT(
        redis,
        [keys.meta(batchId), keys.reports(batchId), deliveryKey, keys.report(identity), keys.repositoryId(repository)],
        [
          batchId,
          JSON.stringify(entry),
          now,
          dedupTtl,
          batchTtl,
          hasDelivery,
          entry.source === "oidc" ? "" : String(entry.repository.id ?? ""),
        ],
      ),
    )) as [string, string | number];
    if (appended[0] === "duplicate") return { outcome: "duplicate", batchId: String(appended[1]) };
    if (appended[0] === "appended") {
      return {
        outcome: "accepted",
        batchId,
        batchKey: key,
        reportCount: Number(appended[1]),
        newBatch: state === "new",
      };
    }
    // "closed": the batch's job started between steps 1 and 3; this report opens the next batch.
  }
  throw new TransientError(`the batch of ${key} kept closing under this report (${MAX_ROUNDS} rounds)`, {
    code: "batch-contention",
    retryAfterMs: 1_000,
  });
}

export function fullName(repository: RepositoryRef): string {
  return `${repository.owner}/${repository.name}`;
}
