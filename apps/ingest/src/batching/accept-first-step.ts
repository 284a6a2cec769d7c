import { batchRedisKeys } from "@fixfleet/shared";
import type { Redis } from "ioredis";
import { withRedis } from "../errors/redis-unavailable-error.js";
import { DEFAULT_RATE_LIMIT, type RateLimitOptions } from "../rate-limit/rate-limit-options.js";
import { ACCEPT_REPORTS } from "./batch-scripts.js";
import { type BatchingOptions, DEFAULT_BATCH_TTL_MS, DEFAULT_DEDUP_TTL_MS } from "./batching-options.js";
import { coalesceCalls } from "./coalesce-calls.js";

export interface FirstStepOptions extends BatchingOptions {
  /** DEFAULT_RATE_LIMIT when not given. */
  rateLimit?: RateLimitOptions;
}

/** A report to accept, or (`consume`) only a rate-limit point to take. */
export type FirstStepOp =
  | {
      kind: "report";
      /** The account whose budget the report uses; none: not counted (a later round of the same report). */
      account?: string;
      batchKey: string;
      repository: string;
      sha: string;
      deliveryId?: string;
      reportIdentity: string;
      json: string;
      repositoryId: string;
    }
  | { kind: "consume"; account: string };

/** What ACCEPT_REPORTS answered for one op, and the clock reading the step ran with. */
export type FirstStepAnswer = { now: number } & (
  | { state: "duplicate"; batchId: string }
  | { state: "limited"; retryAfterMs: number }
  | { state: "appended"; batchId: string; count: number }
  | { state: "open" | "new"; batchId: string; createdAt: number }
  | { state: "admitted" }
);

export type FirstStep = (op: FirstStepOp) => Promise<FirstStepAnswer>;

/** Reports and rate-limit checks per script call: a run of ~10 µs each blocks Redis briefly. */
const MAX_OPS_PER_CALL = 64;

/**
 * The first step of accepting a report (ACCEPT_REPORTS), for all the reports of one event-loop
 * round in one script call. Redis failing or not answering in time fails every op of the call
 * with RedisUnavailableError: nothing of it was acknowledged.
 */
export function createFirstStep(deps: { redis: Redis; now: () => number; options: FirstStepOptions }): FirstStep {
  const { redis, options } = deps;
  const keys = batchRedisKeys(options.prefix);
  const rateKeyPrefix = `${options.prefix}:ratelimit:`;
  const metaPrefix = keys.meta("");
  const rateLimit = options.rateLimit ?? DEFAULT_RATE_LIMIT;
  const common = (now: number) => [
    now,
    rateLimit.points,
    rateLimit.durationSec * 1000,
    options.batchTtlMs ?? DEFAULT_BATCH_TTL_MS,
    metaPrefix,
    options.dedupTtlMs ?? DEFAULT_DEDUP_TTL_MS,
    options.windowMs,
    options.maxWaitMs,
  ];

  return coalesceCalls<FirstStepOp, FirstStepAnswer>(
    async (ops) => {
      const now = deps.now();
      const scriptKeys: string[] = [keys.sequence];
      const args: (string | number)[] = common(now);
      for (const op of ops) {
        const rateKey = op.account === undefined ? "" : rateKeyPrefix + op.account;
        if (op.kind === "consume") {
          scriptKeys.push(rateKey, "", "", "", "");
          args.push("consume", "", "", "", "0", "", "");
          continue;
        }
        scriptKeys.push(
          rateKey,
          keys.open(op.batchKey),
          keys.delivery(op.deliveryId ?? "-"),
          keys.report(op.reportIdentity),
          keys.repositoryId(op.repository),
        );
        args.push("report", op.batchKey, op.repository, op.sha, op.deliveryId ? "1" : "0", op.json, op.repositoryId);
      }
      const answers = (await withRedis(() => ACCEPT_REPORTS(redis, scriptKeys, args))) as (string | number)[][];
      return answers.map((a) => toAnswer(a, now));
    },
    { max: MAX_OPS_PER_CALL },
  );
}

function toAnswer(answer: (string | number)[], now: number): FirstStepAnswer {
  const [state, first, second] = answer;
  switch (state) {
    case "duplicate":
      return { now, state, batchId: String(first) };
    case "limited":
      return { now, state, retryAfterMs: Number(first) };
    case "appended":
      return { now, state, batchId: String(first), count: Number(second) };
    case "open":
    case "new":
      return { now, state, batchId: String(first), createdAt: Number(second) };
    case "admitted":
      return { now, state };
    default:
      throw new Error(`ACCEPT_REPORTS answered ${JSON.stringify(answer)}`);
  }
}
