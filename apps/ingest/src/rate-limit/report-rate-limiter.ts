import type { FirstStep } from "../batching/accept-first-step.js";
import { httpError } from "../errors/http-error.js";

export { DEFAULT_RATE_LIMIT, type RateLimitOptions } from "./rate-limit-options.js";

/** 429 with Retry-After in whole seconds (at least 1). */
export function rateLimitedError(retryAfterMs: number) {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return httpError(
    429,
    { error: "rate_limited", message: `too many reports from this account; retry in ${seconds} s` },
    { "retry-after": String(seconds) },
  );
}

/**
 * Takes one point of an account's budget for an event that is not a failure report (a PR
 * command or outcome event; reports are counted by the step that stores them). Over the limit:
 * 429 with Retry-After. Redis down: 503 (RedisUnavailableError from the step).
 */
export function createReportRateLimiter(firstStep: FirstStep) {
  return async function consume(account: string): Promise<void> {
    const answer = await firstStep({ kind: "consume", account });
    if (answer.state === "limited") throw rateLimitedError(answer.retryAfterMs);
  };
}

export type ReportRateLimiter = ReturnType<typeof createReportRateLimiter>;
