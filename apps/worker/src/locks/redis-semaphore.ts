import type { Redis } from "ioredis";

// Drop expired holders, then take a place when one is free. Atomic, so N workers never exceed the limit.
const ACQUIRE = `
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", ARGV[1])
if redis.call("ZSCORE", KEYS[1], ARGV[3]) then
  redis.call("ZADD", KEYS[1], ARGV[4], ARGV[3])
  return 1
end
if redis.call("ZCARD", KEYS[1]) < tonumber(ARGV[2]) then
  redis.call("ZADD", KEYS[1], ARGV[4], ARGV[3])
  return 1
end
return 0`;

export interface Semaphore {
  tryAcquire(holder: string): Promise<boolean>;
  /** Keeps a place held (call while working). */
  renew(holder: string): Promise<void>;
  release(holder: string): Promise<void>;
  holders(): Promise<string[]>;
}

/**
 * A fleet-wide limit on concurrent work (model runs), shared by every worker process through
 * Redis. A place expires after `ttlMs` without renewal, so a killed worker frees its place.
 */
export function createSemaphore(
  redis: Redis,
  key: string,
  limit: number,
  ttlMs: number,
  now: () => number = Date.now,
): Semaphore {
  return {
    async tryAcquire(holder) {
      const t = now();
      return (await redis.eval(ACQUIRE, 1, key, String(t), String(limit), holder, String(t + ttlMs))) === 1;
    },
    async renew(holder) {
      await redis.zadd(key, "XX", now() + ttlMs, holder);
    },
    async release(holder) {
      await redis.zrem(key, holder);
    },
    async holders() {
      await redis.zremrangebyscore(key, "-inf", now());
      return redis.zrange(key, 0, -1);
    },
  };
}
