import { Redis, type RedisOptions } from "ioredis";

/**
 * - `worker`: blocking BullMQ connections (Worker, QueueEvents). BullMQ requires
 *   `maxRetriesPerRequest: null` so that a blocking call is never cut short by ioredis.
 * - `producer`: request paths (ingest). While Redis is down, commands fail at once instead of
 *   queueing in memory, so the sender gets a 503 and retries, and nothing is acknowledged that
 *   was not stored.
 */
export type RedisRole = "worker" | "producer";

export interface CreateRedisOptions {
  role: RedisRole;
  /** Extra ioredis options (connection name, timeouts). */
  overrides?: RedisOptions;
}

export function redisOptionsFor(role: RedisRole): RedisOptions {
  const common: RedisOptions = {
    connectTimeout: 5_000,
    // Reconnect forever, backing off to 2 s: a Redis restart must not need a fleet restart.
    retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2_000),
  };
  if (role === "worker") {
    return { ...common, maxRetriesPerRequest: null, enableReadyCheck: true };
  }
  return {
    ...common,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    commandTimeout: 5_000,
  };
}

export function createRedis(url: string, options: CreateRedisOptions): Redis {
  return new Redis(url, { ...redisOptionsFor(options.role), ...options.overrides });
}
