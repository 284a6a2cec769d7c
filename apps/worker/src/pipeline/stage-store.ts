import type { Redis } from "ioredis";

/** The stages of a fix, in order. A finished stage's result is kept so a retry resumes after it. */
export const STAGES = ["context", "fix", "publish"] as const;
export type Stage = (typeof STAGES)[number];

export interface StageStore {
  get<T>(batchId: string, stage: Stage): Promise<T | undefined>;
  set(batchId: string, stage: Stage, value: unknown): Promise<void>;
  clear(batchId: string): Promise<void>;
}

/**
 * Stage results live in a Redis hash per batch rather than in BullMQ's job data: a retry
 * (after a crash, a stall or a transient error) reads them back and skips finished stages, so
 * a failed comment post never re-runs the model. They expire after a week.
 */
export function createStageStore(redis: Redis, prefix: string, ttlSeconds = 7 * 24 * 3600): StageStore {
  const key = (batchId: string) => `${prefix}:stages:${batchId}`;
  return {
    async get<T>(batchId: string, stage: Stage): Promise<T | undefined> {
      const raw = await redis.hget(key(batchId), stage);
      return raw === null ? undefined : (JSON.parse(raw) as T);
    },
    async set(batchId, stage, value) {
      await redis.multi().hset(key(batchId), stage, JSON.stringify(value)).expire(key(batchId), ttlSeconds).exec();
    },
    async clear(batchId) {
      await redis.del(key(batchId));
    },
  };
}
