import { redisScript } from "@fixfleet/shared";

/**
 * The whole of accepting a report in the common case, in one atomic step, for every report (or
 * rate-limit check) that reached this step in one event-loop round (coalesceCalls): one round
 * trip for all of them. For each report, in order:
 *  - "duplicate" when the report (or its delivery) was accepted before: it costs no budget;
 *  - "limited" with the window's remaining ms when its account is past the rate limit (a fixed
 *    window per account, counted here so that the count and the store are one step: a refused
 *    report leaves nothing, a duplicate is not counted);
 *  - "appended" (batch id, count) when the open batch of its repository and head commit has its
 *    job already scheduled to start no earlier than this report's window (or the batch's max
 *    wait) allows;
 *  - otherwise "open" (the batch's job must be scheduled or pushed back first) or, opening a new
 *    batch, "new". Two replicas asking at the same moment get the same batch.
 * A "consume" op only counts against the rate limit: "admitted" or "limited".
 * Keys of a batch are built from ARGV like BullMQ does (one Redis, not a cluster).
 *
 * KEYS: sequence, then per op: rate-limit key or '', open pointer, delivery dedup, report dedup,
 *       repository id
 * ARGV: now, rate-limit points, rate-limit window ms, batch ttl ms, meta key prefix, dedup ttl ms,
 *       window ms, max wait ms, then per op: kind (report | consume), batch key, repository, sha,
 *       has delivery (1/0), entry JSON, repository id or ''
 * Answers, per op: {'duplicate', batch id} | {'limited', ms} | {'appended', batch id, count}
 *        | {'open', batch id, createdAt} | {'new', batch id, createdAt} | {'admitted'}
 */
export const ACCEPT_REPORTS = redisScript(`
local now = tonumber(ARGV[1])
local points = tonumber(ARGV[2])

local function limitedFor(key)
  if key == '' then return nil end
  local used = redis.call('INCR', key)
  local ttl = redis.call('PTTL', key)
  if ttl < 0 then
    redis.call('PEXPIRE', key, ARGV[3])
    ttl = tonumber(ARGV[3])
  end
  if used > points then return ttl end
  return nil
end

local function accept(k, a)
  local dup = redis.call('GET', KEYS[k + 3])
  if not dup and ARGV[a + 5] == '1' then dup = redis.call('GET', KEYS[k + 2]) end
  if dup then return {'duplicate', dup} end
  local limited = limitedFor(KEYS[k])
  if limited then return {'limited', limited} end
  local id = redis.call('GET', KEYS[k + 1])
  if id then
    local meta = ARGV[5] .. id
    local fields = redis.call('HMGET', meta, 'state', 'createdAt', 'jobAt')
    if fields[1] == 'open' then
      local jobAt = tonumber(fields[3])
      local latest = math.min(now + tonumber(ARGV[7]), tonumber(fields[2]) + tonumber(ARGV[8]))
      if jobAt and jobAt >= latest and jobAt > now then
        local reports = meta .. ':reports'
        redis.call('RPUSH', reports, ARGV[a + 6])
        local count = redis.call('HINCRBY', meta, 'reportCount', 1)
        redis.call('HSET', meta, 'lastReportAt', ARGV[1])
        redis.call('PEXPIRE', meta, ARGV[4])
        redis.call('PEXPIRE', reports, ARGV[4])
        redis.call('SET', KEYS[k + 3], id, 'PX', ARGV[6])
        if ARGV[a + 5] == '1' then redis.call('SET', KEYS[k + 2], id, 'PX', ARGV[6]) end
        if ARGV[a + 7] ~= '' then redis.call('SET', KEYS[k + 4], ARGV[a + 7]) end
        return {'appended', id, count}
      end
      return {'open', id, fields[2]}
    end
  end
  local n = redis.call('INCR', KEYS[1])
  id = ARGV[a + 2] .. '#' .. n
  local meta = ARGV[5] .. id
  redis.call('HSET', meta, 'id', id, 'key', ARGV[a + 2], 'state', 'open', 'repository', ARGV[a + 3],
    'sha', ARGV[a + 4], 'createdAt', ARGV[1], 'reportCount', 0)
  redis.call('PEXPIRE', meta, ARGV[4])
  redis.call('SET', KEYS[k + 1], id, 'PX', ARGV[4])
  return {'new', id, ARGV[1]}
end

local answers = {}
local ops = (#ARGV - 8) / 7
for i = 1, ops do
  local k = 2 + (i - 1) * 5
  local a = 8 + (i - 1) * 7
  if ARGV[a + 1] == 'consume' then
    local limited = limitedFor(KEYS[k])
    if limited then answers[i] = {'limited', limited} else answers[i] = {'admitted'} end
  else
    answers[i] = accept(k, a)
  end
end
return answers
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
