import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { httpError } from "../errors/http-error.js";
import { withRedis } from "../errors/redis-unavailable-error.js";

export interface RateLimitOptions {
  /** Reports one account may send per window. */
  points: number;
  /** The window, in seconds. */
  durationSec: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { points: 600, durationSec: 60 };

/**
 * Per-installation rate limit on the shared Redis (rate-limiter-flexible), so every replica
 * counts the same budget. An installation belongs to one account, and both paths know the
 * account's id (webhooks: `repository.owner.id`; OIDC: `repository_owner_id`), so the key is
 * the account. Over the limit: 429 with Retry-After. Redis down: 503.
 */
export function createReportRateLimiter(redis: Redis, prefix: string, options: RateLimitOptions = DEFAULT_RATE_LIMIT) {
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:ratelimit`,
    points: options.points,
    duration: options.durationSec,
    rejectIfRedisNotReady: true,
  });
  return async function consume(account: string): Promise<void> {
    await withRedis(async () => {
      try {
        await limiter.consume(account);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        const seconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw httpError(
          429,
          { error: "rate_limited", message: `too many reports from this account; retry in ${seconds} s` },
          { "retry-after": String(seconds) },
        );
      }
    });
  };
}

export type ReportRateLimiter = ReturnType<typeof createReportRateLimiter>;
