/**
 * How long the batch's fix job waits from now: the window after this (the latest) report, but
 * never past the max wait after the batch's first report.
 */
export function fixJobDelay(now: number, createdAt: number, windowMs: number, maxWaitMs: number): number {
  return Math.max(0, Math.min(windowMs, createdAt + maxWaitMs - now));
}

/**
 * How much later than the window a fix job may start, so that the job need not be pushed back
 * for every report: a job is scheduled the window plus this slack after a report, and reports
 * that arrive within the slack find it late enough already (a batch's first report schedules
 * its job exactly the window later). The quiet time is never shorter than the window; the fix starts at most this much later (a tenth of the window, at most 5 s:
 * 2 s with the default 20 s window), and never past the max wait.
 */
export function scheduleSlackMs(windowMs: number): number {
  return Math.min(Math.floor(windowMs / 10), 5_000);
}
