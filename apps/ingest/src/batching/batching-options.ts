/** How reports of one commit are gathered into one fix job (CONTRACT.md §5), and how long ingest remembers them. */
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

export const DEFAULT_DEDUP_TTL_MS = 7 * 24 * 3_600_000;
export const DEFAULT_BATCH_TTL_MS = 7 * 24 * 3_600_000;
