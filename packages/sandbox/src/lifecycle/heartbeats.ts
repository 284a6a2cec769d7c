import type { Redis } from "ioredis";

/** Where workers record that they are alive, so a reaper can tell an orphan from a live sandbox. */
export interface HeartbeatStore {
  beat(workerId: string, at: number): Promise<void>;
  /** Last beat of each worker, or undefined for one never seen (or forgotten). */
  lastSeen(workerIds: readonly string[]): Promise<Map<string, number | undefined>>;
}

/**
 * Heartbeats in Redis: one key per worker holding the time of its last beat. Keys expire after
 * `retainMs`, long after any reaper would consider the worker gone, so Redis forgets dead workers.
 */
export function redisHeartbeats(redis: Redis, options: { prefix?: string; retainMs?: number } = {}): HeartbeatStore {
  const prefix = options.prefix ?? "fixfleet";
  const retainMs = options.retainMs ?? 24 * 60 * 60_000;
  const key = (workerId: string) => `${prefix}:sandbox:heartbeat:${workerId}`;
  return {
    async beat(workerId, at) {
      await redis.set(key(workerId), String(at), "PX", retainMs);
    },
    async lastSeen(workerIds) {
      const result = new Map<string, number | undefined>();
      if (workerIds.length === 0) return result;
      const values = await redis.mget(...workerIds.map(key));
      workerIds.forEach((id, i) => {
        const n = Number(values[i]);
        result.set(id, values[i] == null || !Number.isFinite(n) ? undefined : n);
      });
      return result;
    },
  };
}

/** Heartbeats of one process only (a single worker per engine, and tests). */
export function memoryHeartbeats(): HeartbeatStore {
  const beats = new Map<string, number>();
  return {
    async beat(workerId, at) {
      beats.set(workerId, at);
    },
    async lastSeen(workerIds) {
      return new Map(workerIds.map((id) => [id, beats.get(id)]));
    },
  };
}
