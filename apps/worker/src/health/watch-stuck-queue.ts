import type { Queue } from "bullmq";

export interface StuckQueueWatch {
  /** True while jobs wait, none is active and workers are connected, for longer than allowed. */
  stuck(): boolean;
  stop(): void;
}

/**
 * A health signal for the wedge seen in BullMQ fleets after long Redis outages: jobs waiting,
 * workers connected, nothing active. One observation is not a wedge (a worker may be between
 * jobs), so it must hold for `graceMs`.
 */
export function watchStuckQueue(
  queue: Queue,
  options: { intervalMs?: number; graceMs?: number; now?: () => number; onChange?: (stuck: boolean) => void } = {},
): StuckQueueWatch {
  const now = options.now ?? Date.now;
  let since: number | undefined;
  let stuck = false;
  const check = async () => {
    try {
      const [counts, workers] = await Promise.all([queue.getJobCounts("wait", "active"), queue.getWorkersCount()]);
      const suspicious = (counts.wait ?? 0) > 0 && (counts.active ?? 0) === 0 && workers > 0;
      since = suspicious ? (since ?? now()) : undefined;
    } catch {
      // Redis unreachable is reported by readiness, not as a wedge.
      since = undefined;
    }
    const next = since !== undefined && now() - since >= (options.graceMs ?? 60_000);
    if (next !== stuck) {
      stuck = next;
      options.onChange?.(stuck);
    }
  };
  const timer = setInterval(check, options.intervalMs ?? 15_000);
  timer.unref();
  void check();
  return { stuck: () => stuck, stop: () => clearInterval(timer) };
}
