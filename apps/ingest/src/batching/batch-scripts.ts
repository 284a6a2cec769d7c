import { redisScript } from "@fixfleet/shared";

/**
 * Finds the open batch of a repository and head commit, or opens one, in one atomic step: two
 * replicas asking at the same moment get the same batch. Answers "duplicate" when the report
 * (or delivery) was accepted before. The meta key is built from ARGV like BullMQ does (one Redis,
 * not a cluster).
 *
 * KEYS: open pointer, sequence, delivery dedup, report dedup
 * ARGV: now, batch key, repository, sha, batch ttl ms, has delivery (1/0), meta key prefix
 */
export const OPEN_BATCH = redisScript(`
local dup = redis.call('GET', KEYS[4])
if not dup and ARGV[6] == '1' then dup = redis.call('GET', KEYS[3]) end
if dup then return {'duplicate', dup} end
local id = redis.call('GET', KEYS[1])
if id then
  local fields = redis.call('HMGET', ARGV[7] .. id, 'state', 'createdAt')
  if fields[1] == 'open' then return {'open', id, fields[2]} end
end
local n = redis.call('INCR', KEYS[2])
id = ARGV[2] .. '#' .. n
local meta = ARGV[7] .. id
redis.call('HSET', meta, 'id', id, 'key', ARGV[2], 'state', 'open', 'repository', ARGV[3], 'sha', ARGV[4],
  'createdAt', ARGV[1], 'reportCount', 0)
redis.call('PEXPIRE', meta, ARGV[5])
redis.call('SET', KEYS[1], id, 'PX', ARGV[5])
return {'new', id, ARGV[1]}
`);

/**
 * Appends a report to a batch that is still open, and records it as seen, in one atomic step.
 * "closed" when the batch's job started in the meantime: the caller opens a new batch.
 *
 * KEYS: meta, reports, delivery dedup, report dedup, repository id
 * ARGV: batch id, entry JSON, now, dedup ttl ms, batch ttl ms, has delivery (1/0), repository id or ''
 */
export const APPEND_REPORT = redisScript(`
local dup = redis.call('GET', KEYS[4])
if not dup and ARGV[6] == '1' then dup = redis.call('GET', KEYS[3]) end
if dup then return {'duplicate', dup} end
local state = redis.call('HGET', KEYS[1], 'state')
if state ~= 'open' then return {'closed', state or 'missing'} end
redis.call('RPUSH', KEYS[2], ARGV[2])
local count = redis.call('HINCRBY', KEYS[1], 'reportCount', 1)
redis.call('HSET', KEYS[1], 'lastReportAt', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
redis.call('SET', KEYS[4], ARGV[1], 'PX', ARGV[4])
if ARGV[6] == '1' then redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[4]) end
if ARGV[7] ~= '' then redis.call('SET', KEYS[5], ARGV[7]) end
return {'appended', count}
`);
