import { classifyError, fixJobDataSchema, type Logger } from "@fixfleet/shared";
import { DelayedError, type Job, UnrecoverableError, WaitingError } from "bullmq";
import type { Redis } from "ioredis";
import type { DailyAttempts } from "../guards/daily-attempts.js";
import { tryLock } from "../locks/redis-lock.js";
import type { Semaphore } from "../locks/redis-semaphore.js";
import type { WorkerMetrics } from "../metrics/worker-metrics.js";
import type { FixAttemptBase, FixContextBase, FixPorts } from "./fix-ports.js";
import type { Outcome } from "./outcome.js";
import { isFixfleetRef, serializationKey } from "./serialization-key.js";
import type { Stage, StageStore } from "./stage-store.js";

export interface FixJobDeps<C extends FixContextBase, A extends FixAttemptBase, P> {
  ports: FixPorts<C, A, P>;
  redis: Redis;
  prefix: string;
  stages: StageStore;
  /** Fleet-wide limit on concurrent model runs. */
  modelSlots: Semaphore;
  /** Attempts per pull request per day. */
  dailyAttempts: DailyAttempts;
  metrics: WorkerMetrics;
  logger: Logger;
  now?: () => number;
  /** Lease of the per-PR lock, renewed while the job runs. */
  lockTtlMs?: number;
  /** How long a job waits before trying again when its PR is busy or no model slot is free. */
  busyDelayMs?: number;
}

export interface FixJobResult {
  outcome: Outcome;
  /** What the model run cost (shown with the job on the dashboard). */
  spend?: { usd: number; inputTokens: number; outputTokens: number; turns: number } | undefined;
}

/**
 * Runs one fix job through its stages: context → fix (sandbox + agent + verification) →
 * publish. Each finished stage is stored, so a retry resumes after the last one (a failed
 * comment never re-runs the model). Decides the job's single outcome and how errors end it:
 * transient ones are retried by BullMQ with backoff, permanent ones end it now with the
 * reason in the comment.
 */
export async function processFixJob<C extends FixContextBase, A extends FixAttemptBase, P>(
  job: Job,
  token: string | undefined,
  signal: AbortSignal | undefined,
  deps: FixJobDeps<C, A, P>,
): Promise<FixJobResult> {
  const now = deps.now ?? Date.now;
  const abort = signal ?? new AbortController().signal;
  const parsed = fixJobDataSchema.safeParse(job.data);
  if (!parsed.success) {
    throw new UnrecoverableError(
      `the job's data is not a fix job: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`,
    );
  }
  const data = parsed.data;
  const log = deps.logger.child({
    job: job.id,
    batch: data.batchId,
    repo: `${data.repository.owner}/${data.repository.name}`,
    sha: data.sha,
  });

  let context: C | undefined;
  let attempt: A | undefined;

  if (isFixfleetRef(data.ref)) {
    const outcome: Outcome = { kind: "skipped", reason: "fixfleet does not fix its own branches" };
    // No context: reportOutcome only closes the batch, so it does not linger until it expires.
    await deps.ports.reportOutcome(data, undefined, outcome).catch(() => {});
    return await done(outcome, false);
  }

  const subject = serializationKey(data);
  const lock = await tryLock(deps.redis, `${deps.prefix}:lock:${subject}`, deps.lockTtlMs ?? 60_000, job.id);
  if (!lock) {
    log.info({ subject }, "another fix of this pull request is running; waiting");
    await job.moveToDelayed(now() + (deps.busyDelayMs ?? 5_000), token);
    throw new DelayedError();
  }

  try {
    context = await stage("context", () => deps.ports.gatherContext(data, abort));
    if (context.skip) return await finish(context.skip);

    attempt = await deps.stages.get<A>(data.batchId, "fix");
    if (!attempt) {
      if (!(await deps.ports.isCurrentHead(context))) {
        return await finish({
          kind: "stale",
          reason: "a newer commit was pushed to the pull request before this fix started",
        });
      }
      const holder = job.id ?? data.batchId;
      if (!(await deps.modelSlots.tryAcquire(holder))) {
        log.info("all model slots of the fleet are busy; waiting");
        await job.moveToDelayed(now() + (deps.busyDelayMs ?? 5_000), token);
        throw new DelayedError();
      }
      try {
        const quota = await deps.dailyAttempts.take(subject);
        if (!quota.allowed) {
          return await finish({
            kind: "skipped",
            reason: `the daily limit of ${quota.limit} fix attempts for this pull request is reached; it resets at ${quota.resetsAt.toISOString()}`,
          });
        }
        const renew = setInterval(() => deps.modelSlots.renew(holder).catch(() => {}), 10_000);
        try {
          attempt = await stage("fix", () => deps.ports.attemptFix(context as C, abort));
        } finally {
          clearInterval(renew);
        }
      } finally {
        await deps.modelSlots.release(holder);
      }
    }

    if (attempt.status === "explained") return await finish({ kind: "explained", reason: attempt.reason });
    if (attempt.status !== "verified") {
      return await finish({
        kind: attempt.status === "not_fixable" ? "not_fixable" : "failed",
        reason: attempt.reason,
      });
    }
    if (!(await deps.stages.get(data.batchId, "publish")) && !(await deps.ports.isCurrentHead(context))) {
      return await finish({
        kind: "stale",
        reason: "a newer commit was pushed to the pull request; this fix was not published",
      });
    }
    await stage("publish", () => deps.ports.publish(context as C, attempt as A));
    return await done({ kind: "fixed", reason: attempt.reason }, true);
  } catch (error) {
    if (error instanceof DelayedError || error instanceof WaitingError || error instanceof UnrecoverableError)
      throw error;
    if (abort.aborted) {
      // Shutdown past its grace period: hand the job back untouched for another worker.
      log.warn("fix interrupted by shutdown; handing the job back");
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const failure = classifyError(error);
    const lastTry = failure.kind === "permanent" || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    log.warn({ err: error, kind: failure.kind, lastTry }, `fix attempt failed: ${failure.reason}`);
    if (lastTry) {
      const outcome: Outcome = { kind: "failed", reason: failure.reason };
      await deps.ports
        .reportOutcome(data, context, outcome, attempt)
        .catch((e) => log.error({ err: e }, "could not report the failure"));
      deps.metrics.jobs.inc({ outcome: "failed" });
    }
    if (failure.kind === "permanent") throw new UnrecoverableError(failure.reason);
    throw failure;
  } finally {
    await lock.release();
  }

  async function stage<T>(name: Stage, run: () => Promise<T>): Promise<T> {
    const stored = await deps.stages.get<T>(data.batchId, name);
    if (stored !== undefined) return stored;
    await job.updateProgress({ stage: name });
    await job.log(`stage ${name} started`);
    const started = now();
    const result = await run();
    deps.metrics.stageSeconds.observe({ stage: name }, (now() - started) / 1000);
    await deps.stages.set(data.batchId, name, result);
    await job.log(`stage ${name} done in ${now() - started} ms`);
    return result;
  }

  async function finish(outcome: Outcome): Promise<FixJobResult> {
    await deps.ports.reportOutcome(data, context, outcome, attempt);
    return done(outcome, true);
  }

  async function done(outcome: Outcome, logIt: boolean): Promise<FixJobResult> {
    deps.metrics.jobs.inc({ outcome: outcome.kind });
    if (logIt) log.info({ outcome: outcome.kind }, `fix job finished: ${outcome.reason}`);
    const spend = attempt ? spendOf(attempt) : undefined;
    // The job's log and result are what the dashboard (Bull Board) shows of a fix.
    if (spend) {
      await job
        .log(
          `model spend: $${spend.usd.toFixed(4)} (${spend.inputTokens} input, ${spend.outputTokens} output tokens, ${spend.turns} turns)`,
        )
        .catch(() => {});
    }
    return { outcome, ...(spend ? { spend } : {}) };
  }
}

/** An attempt's cost and size, when it ran the model. */
function spendOf(attempt: FixAttemptBase): FixJobResult["spend"] {
  const { usage, turns } = attempt;
  if (!usage || !turns) return undefined;
  return {
    usd: attempt.costUsd ?? 0,
    inputTokens: usage.inputTokens + (usage.cacheReadInputTokens ?? 0) + (usage.cacheCreationInputTokens ?? 0),
    outputTokens: usage.outputTokens,
    turns,
  };
}
