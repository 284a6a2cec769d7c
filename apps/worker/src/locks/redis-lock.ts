import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

export interface Lock {
  /** Keeps the lock alive while work goes on; stops on release. */
  release(): Promise<void>;
}

const RELEASE = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) else return 0 end`;

/**
 * A lease in Redis: taken with SET NX PX, renewed while held, released only by its owner. When
 * its holder dies the lease runs out, so a crashed worker never blocks a pull request for long.
 */
export async function tryLock(
  redis: Redis,
  key: string,
  ttlMs: number,
  owner: string = randomUUID(),
): Promise<Lock | undefined> {
  const ok = await redis.set(key, owner, "PX", ttlMs, "NX");
  if (ok !== "OK") {
    // Re-entrant for the same owner (a retried job holding the lease it took before).
    if ((await redis.get(key)) !== owner) return undefined;
    await redis.pexpire(key, ttlMs);
  }
  const timer = setInterval(
    () => {
      redis.eval(EXTEND, 1, key, owner, String(ttlMs)).catch(() => {});
    },
    Math.max(1_000, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return {
    async release() {
      clearInterval(timer);
      await redis.eval(RELEASE, 1, key, owner);
    },
  };
}
