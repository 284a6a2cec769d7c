/**
 * Per-account budget of reports: a fixed window counted in Redis (in the same script that
 * stores a report, so every replica counts the same budget and a refused report leaves nothing).
 */
export interface RateLimitOptions {
  /** Reports one account may send per window. */
  points: number;
  /** The window, in seconds. */
  durationSec: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = { points: 600, durationSec: 60 };
