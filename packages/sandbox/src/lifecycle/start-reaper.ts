import type Docker from "dockerode";
import type { HeartbeatStore } from "./heartbeats.js";
import { type ReapReport, reapSandboxes } from "./reap-sandboxes.js";

export interface ReaperOptions {
  workerId: string;
  heartbeats: HeartbeatStore;
  /** Between reaping passes (default 60 s). */
  intervalMs?: number;
  /** Between this worker's heartbeats (default 15 s); keep it well under staleAfterMs. */
  heartbeatIntervalMs?: number;
  staleAfterMs?: number;
  /** Only this fleet's sandboxes are judged (see LABEL_FLEET). */
  fleet?: string;
  now?: () => number;
  callTimeoutMs?: number;
  onReap?: (report: ReapReport) => void;
  onError?: (error: unknown) => void;
}

export interface Reaper {
  /** The first pass, run at start. */
  readonly firstPass: Promise<ReapReport | undefined>;
  runOnce(): Promise<ReapReport>;
  stop(): Promise<void>;
}

/**
 * Beats this worker's heartbeat and reaps at start and every interval. Failures are reported to
 * onError and retried next time: a reaper that throws would leave everything behind.
 */
export function startReaper(docker: Docker, options: ReaperOptions): Reaper {
  const now = options.now ?? Date.now;
  const staleAfterMs = options.staleAfterMs ?? 90_000;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? Math.min(15_000, Math.floor(staleAfterMs / 3));
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  const beat = () => options.heartbeats.beat(options.workerId, now()).catch((e) => options.onError?.(e));
  const runOnce = async () => {
    const report = await reapSandboxes(docker, { ...options, staleAfterMs, now });
    options.onReap?.(report);
    return report;
  };
  const guarded = () => {
    const pass = running
      .then(() => (stopped ? undefined : runOnce()))
      .catch((error) => {
        options.onError?.(error);
        return undefined;
      });
    running = pass;
    return pass;
  };

  const firstPass = beat().then(guarded);
  const heartbeatTimer = setInterval(beat, heartbeatIntervalMs);
  const reapTimer = setInterval(guarded, options.intervalMs ?? 60_000);
  heartbeatTimer.unref();
  reapTimer.unref();

  return {
    firstPass,
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(heartbeatTimer);
      clearInterval(reapTimer);
      await running.catch(() => {});
    },
  };
}
