import type { Redis } from "ioredis";

export interface DailyAttempts {
  /** Counts one attempt; false when the day's limit was already reached (not counted then). */
  take(subject: string): Promise<{ allowed: boolean; used: number; limit: number; resetsAt: Date }>;
}

const TAKE = `
local used = tonumber(redis.call("GET", KEYS[1]) or "0")
if used >= tonumber(ARGV[1]) then return -used end
used = redis.call("INCR", KEYS[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return used`;

/** Attempts per subject (a pull request) per UTC day, counted atomically across the fleet. */
export function createDailyAttempts(
  redis: Redis,
  prefix: string,
  limit: number,
  now: () => number = Date.now,
): DailyAttempts {
  return {
    async take(subject) {
      const t = new Date(now());
      const day = t.toISOString().slice(0, 10);
      const resetsAt = new Date(`${day}T00:00:00.000Z`);
      resetsAt.setUTCDate(resetsAt.getUTCDate() + 1);
      const ttl = resetsAt.getTime() - t.getTime() + 3_600_000;
      const result = Number(
        await redis.eval(TAKE, 1, `${prefix}:attempts:${subject}:${day}`, String(limit), String(ttl)),
      );
      return { allowed: result > 0, used: Math.abs(result), limit, resetsAt };
    },
  };
}
