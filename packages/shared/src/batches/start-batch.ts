import type { Redis } from "ioredis";
import { batchRedisKeys } from "./batch-keys.js";
import { type Batch, parseBatch } from "./read-batch.js";
import { redisScript } from "./redis-script.js";

// Closes the batch to new reports and reads them in the same step: a report ingest appends
// after this belongs to a new batch (ingest sees state "started"), one appended before is here.
const START = redisScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {'missing'} end
if state == 'open' then
  redis.call('HSET', KEYS[1], 'state', 'started', 'startedAt', ARGV[1])
  if redis.call('GET', KEYS[3]) == ARGV[2] then redis.call('DEL', KEYS[3]) end
end
return {state, redis.call('HGETALL', KEYS[1]), redis.call('LRANGE', KEYS[2], 0, -1)}
`);

export interface StartedBatch extends Batch {
  /** False when the batch was already started: a retry of its job, which gets the same reports. */
  firstStart: boolean;
}

/**
 * What the fix job calls first: marks the batch started and returns every report it holds.
 * Idempotent: a retried job gets the same reports again. Undefined when the batch does not
 * exist (expired, or Redis lost its data); a batch may also hold no report when ingest lost
 * Redis between making the job and storing the report (it answered 503, the sender retries).
 */
export async function startBatch(
  redis: Redis,
  prefix: string,
  batchId: string,
  now: number = Date.now(),
): Promise<StartedBatch | undefined> {
  const keys = batchRedisKeys(prefix);
  const batchKey = batchId.slice(0, batchId.lastIndexOf("#"));
  const result = (await START(
    redis,
    [keys.meta(batchId), keys.reports(batchId), keys.open(batchKey)],
    [now, batchId],
  )) as ["missing"] | [string, string[], string[]];
  if (result[0] === "missing") return undefined;
  const [stateBefore, flatMeta, entries] = result as [string, string[], string[]];
  const meta: Record<string, string> = {};
  for (let i = 0; i + 1 < flatMeta.length; i += 2) meta[flatMeta[i] as string] = flatMeta[i + 1] as string;
  return { ...parseBatch(meta, entries), firstStart: stateBefore === "open" };
}
