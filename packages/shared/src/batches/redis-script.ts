import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

export type RedisScript = (
  redis: Redis,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

/**
 * A Lua script run atomically by Redis: EVALSHA, and EVAL once when Redis does not know it yet
 * (after a restart or on a fresh server), so every call is one round trip in steady state.
 */
export function redisScript(lua: string): RedisScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}
