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
import { ACCEPT_REPORT, APPEND_REPORT } from "./batch-scripts.js";
import { fixJobDelay, scheduleSlackMs } from "./fix-job-delay.js";

export interface BatchingOptions {
  prefix: string;
  windowMs: number;
  maxWaitMs: number;
  /** How much later than the window a job may start (default scheduleSlackMs(windowMs)). */
  slackMs?: number;
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
 * report was seen before. Nothing is acknowledged unless it is stored in a batch whose job
 * starts no earlier than the window after it (or at the batch's max wait):
 *  1. one script finds (or opens) the batch of the repository and head commit; when the
 *     batch's job is already scheduled late enough, it appends the report there and then, and
 *     that is all (the common case: one round trip);
 *  2. otherwise (a new batch, or a job due before this report's window ends) the job is
 *     scheduled with BullMQ's deduplication (id = batch id, `reschedule`): the first report
 *     makes the delayed job (the window from now), later ones push its start back to the
 *     window plus a slack (scheduleSlackMs) from now, never past the max wait; BullMQ's own script makes this one job
 *     however many replicas add at once;
 *  3. then the report is appended and remembered, and the job's start recorded, only if the
 *     batch is still open; if its job started meanwhile, go round again with a new batch.
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
  const reportKey = keys.report(identity);
  const repositoryIdKey = keys.repositoryId(repository);
  const hasDelivery = entry.deliveryId ? "1" : "0";
  const dedupTtl = options.dedupTtlMs ?? WEEK_MS;
  const batchTtl = options.batchTtlMs ?? WEEK_MS;
  const slack = options.slackMs ?? scheduleSlackMs(options.windowMs);
  const metaPrefix = keys.meta("");
  const json = JSON.stringify(entry);
  const repositoryId = entry.source === "oidc" ? "" : String(entry.repository.id ?? "");

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const now = deps.now();
    const found = (await withRedis(() =>
      ACCEPT_REPORT(
        redis,
        [keys.open(key), keys.sequence, deliveryKey, reportKey, repositoryIdKey],
        [
          now,
          key,
          repository,
          entry.report.sha,
          batchTtl,
          hasDelivery,
          metaPrefix,
          json,
          dedupTtl,
          repositoryId,
          options.windowMs,
          options.maxWaitMs,
        ],
      ),
    )) as [string, string, string | number];
    if (found[0] === "duplicate") return { outcome: "duplicate", batchId: found[1] };
    if (found[0] === "appended") {
      return { outcome: "accepted", batchId: found[1], batchKey: key, reportCount: Number(found[2]), newBatch: false };
    }
    const [state, batchId, createdAt] = found as [string, string, string];

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
    // A new batch's job waits exactly the window (a lone failure is fixed as soon as the window
    // allows); pushed back, it waits the window plus the slack, so that the reports that follow
    // within the slack need no reschedule.
    const wait = state === "new" ? options.windowMs : options.windowMs + slack;
    const delay = fixJobDelay(now, Number(createdAt), wait, options.maxWaitMs);
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
        [keys.meta(batchId), keys.reports(batchId), deliveryKey, reportKey, repositoryIdKey],
        [batchId, json, now, dedupTtl, batchTtl, hasDelivery, repositoryId, now + delay],
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
