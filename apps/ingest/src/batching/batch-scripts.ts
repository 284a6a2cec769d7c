import { redisScript } from "@fixfleet/shared";

/**
 * The whole of accepting a report in the common case, in one atomic step (one round trip):
 * answers "duplicate" when the report (or delivery) was accepted before; appends the report to
 * the open batch of its repository and head commit when that batch's job is already scheduled
 * to start no earlier than this report's window (or the batch's max wait) allows; otherwise
 * answers "open" (the batch's job must be scheduled or pushed back first) or opens a new batch
 * and answers "new". Two replicas asking at the same moment get the same batch. Keys of a batch
 * are built from ARGV like BullMQ does (one Redis, not a cluster).
 *
 * KEYS: open pointer, sequence, delivery dedup, report dedup, repository id
 * ARGV: now, batch key, repository, sha, batch ttl ms, has delivery (1/0), meta key prefix,
 *       entry JSON, dedup ttl ms, repository id or '', window ms, max wait ms
 * Answers: {'duplicate', batch id} | {'appended', batch id, count} | {'open', batch id, createdAt}
 *        | {'new', batch id, createdAt}
 */
export const ACCEPT_REPORT = redisScript(`
local dup = redis.call('GET', KEYS[4])
if not dup and ARGV[6] == '1' then dup = redis.call('GET', KEYS[3]) end
if dup then return {'duplicate', dup} end
local now = tonumber(ARGV[1])
local id = redis.call('GET', KEYS[1])
if id then
  local meta = ARGV[7] .. id
  local fields = redis.call('HMGET', meta, 'state', 'createdAt', 'jobAt')
  if fields[1] == 'open' then
    local jobAt = tonumber(fields[3])
    local latest = math.min(now + tonumber(ARGV[11]), tonumber(fields[2]) + tonumber(ARGV[12]))
    if jobAt and jobAt >= latest and jobAt > now then
      local reports = meta .. ':reports'
      redis.call('RPUSH', reports, ARGV[8])
      local count = redis.call('HINCRBY', meta, 'reportCount', 1)
      redis.call('HSET', meta, 'lastReportAt', ARGV[1])
      redis.call('PEXPIRE', meta, ARGV[5])
      redis.call('PEXPIRE', reports, ARGV[5])
      redis.call('SET', KEYS[4], id, 'PX', ARGV[9])
      if ARGV[6] == '1' then redis.call('SET', KEYS[3], id, 'PX', ARGV[9]) end
      if ARGV[10] ~= '' then redis.call('SET', KEYS[5], ARGV[10]) end
      return {'appended', id, count}
    end
    return {'open', id, fields[2]}
  end
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
 * After the batch's job was (re)scheduled: records when the job starts (never moving that
 * record earlier), then appends the report to the batch if it is still open and remembers it
 * (delivery id, report identity), in one atomic step. "closed" when the batch's job started in
 * the meantime: the caller opens a new batch.
 *
 * KEYS: meta, reports, delivery dedup, report dedup, repository id
 * ARGV: batch id, entry JSON, now, dedup ttl ms, batch ttl ms, has delivery (1/0), repository id or '',
 *       job start ms
 */
export const APPEND_REPORT = redisScript(`
local state = redis.call('HGET', KEYS[1], 'state')
if state == 'open' then
  local jobAt = tonumber(redis.call('HGET', KEYS[1], 'jobAt'))
  if not jobAt or jobAt < tonumber(ARGV[8]) then redis.call('HSET', KEYS[1], 'jobAt', ARGV[8]) end
end
local dup = redis.call('GET', KEYS[4])
if not dup and ARGV[6] == '1' then dup = redis.call('GET', KEYS[3]) end
if dup then return {'duplicate', dup} end
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
