/**
 * How long the batch's fix job waits from now: the window after this (the latest) report, but
 * never past the max wait after the batch's first report.
 */
export function fixJobDelay(now: number, createdAt: number, windowMs: number, maxWaitMs: number): number {
  return Math.max(0, Math.min(windowMs, createdAt + maxWaitMs - now));
}
