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
import type { FirstStep } from "./accept-first-step.js";
import { APPEND_REPORT } from "./batch-scripts.js";
import { type BatchingOptions, DEFAULT_BATCH_TTL_MS, DEFAULT_DEDUP_TTL_MS } from "./batching-options.js";
import { fixJobDelay, scheduleSlackMs } from "./fix-job-delay.js";

export type { BatchingOptions } from "./batching-options.js";

export type AcceptOutcome =
  | { outcome: "accepted"; batchId: string; batchKey: string; reportCount: number; newBatch: boolean }
  | { outcome: "duplicate"; batchId: string }
  | { outcome: "rate_limited"; retryAfterMs: number };

/** What a route answers with: a rate limit is refused before it gets there. */
export type StoredOutcome = Exclude<AcceptOutcome, { outcome: "rate_limited" }>;

const MAX_ROUNDS = 5;

/**
 * Stores a report in its batch and makes sure the batch's fix job is scheduled, or says the
 * report was seen before, or that its account (when given) is past its rate limit. Nothing is
 * acknowledged unless it is stored in a batch whose job starts no earlier than the window after
 * it (or at the batch's max wait):
 *  1. one script (`firstStep`, shared by the reports of one event-loop round) answers a
 *     duplicate or a rate limit, and finds (or opens) the batch of the repository and head
 *     commit; when the batch's job is already scheduled late enough, it appends the report
 *     there and then, and that is all (the common case);
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
  deps: { redis: Redis; queue: Queue; firstStep: FirstStep; options: BatchingOptions },
  entry: StoredReport,
  /** The account whose rate limit the report counts against; none: not counted. */
  account?: string,
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
  const dedupTtl = options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS;
  const batchTtl = options.batchTtlMs ?? DEFAULT_BATCH_TTL_MS;
  const slack = options.slackMs ?? scheduleSlackMs(options.windowMs);
  const json = JSON.stringify(entry);
  const repositoryId = entry.source === "oidc" ? "" : String(entry.repository.id ?? "");

  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const found = await deps.firstStep({
      kind: "report",
      // Counted once: a later round is the same report going round again.
      account: round === 0 ? account : undefined,
      batchKey: key,
      repository,
      sha: entry.report.sha,
      deliveryId: entry.deliveryId,
      reportIdentity: identity,
      json,
      repositoryId,
    });
    if (found.state === "duplicate") return { outcome: "duplicate", batchId: found.batchId };
    if (found.state === "limited") return { outcome: "rate_limited", retryAfterMs: found.retryAfterMs };
    if (found.state === "appended") {
      return { outcome: "accepted", batchId: found.batchId, batchKey: key, reportCount: found.count, newBatch: false };
    }
    if (found.state !== "open" && found.state !== "new") throw new Error(`unexpected first step: ${found.state}`);
    const { now, state, batchId, createdAt } = found;

    const data: FixJobData = {
      v: 1,
      batchId,
      batchKey: key,
      repository: entry.repository,
      installationId: entry.installationId,
      sha: entry.report.sha,
      pr: entry.report.pr ?? entry.workflowRun?.pullRequests[0],
      ref: entry.report.ref,
      firstReportAt: createdAt,
    };
    // A new batch's job waits exactly the window (a lone failure is fixed as soon as the window
    // allows); pushed back, it waits the window plus the slack, so that the reports that follow
    // within the slack need no reschedule.
    const wait = state === "new" ? options.windowMs : options.windowMs + slack;
    const delay = fixJobDelay(now, createdAt, wait, options.maxWaitMs);
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
