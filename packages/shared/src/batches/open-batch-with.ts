import type { Redis } from "ioredis";
import { batchRedisKeys } from "./batch-keys.js";
import { redisScript } from "./redis-script.js";
import type { StoredReport } from "./stored-report.js";

// A new batch holding reports known already, made in one step so a fix job never sees half of
// it. It is not the commit's open batch: ingest's next report of that commit opens its own.
const OPEN_WITH = redisScript(`
local n = redis.call('INCR', KEYS[1])
local id = ARGV[1] .. '#' .. n
local meta = ARGV[6] .. id -- the reports list is the meta key + ":reports" (batchRedisKeys)
redis.call('HSET', meta, 'id', id, 'key', ARGV[1], 'state', 'open', 'repository', ARGV[2], 'sha', ARGV[3],
  'createdAt', ARGV[4], 'lastReportAt', ARGV[4], 'reportCount', #ARGV - 6)
redis.call('PEXPIRE', meta, ARGV[5])
for i = 7, #ARGV do redis.call('RPUSH', meta .. ':reports', ARGV[i]) end
if #ARGV > 6 then redis.call('PEXPIRE', meta .. ':reports', ARGV[5]) end
return id
`);

export interface OpenBatchWithInput {
  /** `owner/repo@sha` (see batchKey). */
  batchKey: string;
  repository: string;
  sha: string;
  reports: readonly StoredReport[];
  now?: number;
  /** How long the batch lives unless its job closes it first (default 7 days). */
  ttlMs?: number;
}

/**
 * Opens a batch that already holds the given reports and returns its id: what a `/fixfleet
 * retry` runs on, so the new fix sees the same failures as the one it repeats.
 */
export async function openBatchWith(redis: Redis, prefix: string, input: OpenBatchWithInput): Promise<string> {
  const keys = batchRedisKeys(prefix);
  const metaPrefix = keys.meta("");
  return (await OPEN_WITH(
    redis,
    [keys.sequence],
    [
      input.batchKey,
      input.repository,
      input.sha,
      input.now ?? Date.now(),
      input.ttlMs ?? 7 * 86_400_000,
      metaPrefix,
      ...input.reports.map((r) => JSON.stringify(r)),
    ],
  )) as string;
}
