import type { Redis } from "ioredis";
import { batchRedisKeys } from "./batch-keys.js";
import { redisScript } from "./redis-script.js";

const CLOSE = redisScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'state', 'closed', 'closedAt', ARGV[1], 'outcome', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
if redis.call('GET', KEYS[3]) == ARGV[4] then redis.call('DEL', KEYS[3]) end
return 1
`);

export interface CloseBatchOptions {
  /** A short word for dashboards and logs: "fixed", "no-fix", "failed", "empty"… */
  outcome: string;
  now?: number;
  /** How long the closed batch stays readable (default one day). */
  keepForMs?: number;
}

/** The fix job is over: the batch is kept a while for inspection, then Redis drops it. */
export async function closeBatch(
  redis: Redis,
  prefix: string,
  batchId: string,
  options: CloseBatchOptions,
): Promise<boolean> {
  const keys = batchRedisKeys(prefix);
  const batchKey = batchId.slice(0, batchId.lastIndexOf("#"));
  const closed = await CLOSE(
    redis,
    [keys.meta(batchId), keys.reports(batchId), keys.open(batchKey)],
    [options.now ?? Date.now(), options.outcome, options.keepForMs ?? 86_400_000, batchId],
  );
  return closed === 1;
}
