/**
 * Lua scripts of the Redis pool. Each pick, report, admin change and load is one script: atomic on the server and
 * one round trip. All of a group's Redis keys are passed as KEYS (in the order of `GROUP_KEY_NAMES`) and share one
 * hash tag, so they also work on Redis Cluster. Time comes from the caller (`now`), never from the Redis clock,
 * so every node and the tests agree with the caller's Clock.
 *
 * Per group: st (hash id -> status), fl (hash id -> consecutive failures), rl (hash id -> rate-limit repeats),
 * slot (hash position -> id) + pos (hash id -> position) = the usable keys as an array with swap-remove, cool (zset
 * id by cooling_until), rr (round-robin cursor), cnt (hash status -> count, plus `loaded` once LOAD ran: tells an
 * empty group from state Redis lost in a restart without persistence or an eviction).
 */

export const GROUP_KEY_NAMES = ['st', 'fl', 'rl', 'slot', 'pos', 'cool', 'rr', 'cnt'] as const

const PRELUDE = `
local ST, FL, RL, SLOT, POS, COOL, RR, CNT = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]

local function unslot(id)
  local p = redis.call('HGET', POS, id)
  if not p then return end
  local last = redis.call('HLEN', SLOT) - 1
  if tonumber(p) ~= last then
    local lastId = redis.call('HGET', SLOT, last)
    redis.call('HSET', SLOT, p, lastId)
    redis.call('HSET', POS, lastId, p)
  end
  redis.call('HDEL', SLOT, last)
  redis.call('HDEL', POS, id)
end

local function leave(id, from)
  if from == 'active' then unslot(id) elseif from == 'cooling' then redis.call('ZREM', COOL, id) end
  if from then redis.call('HINCRBY', CNT, from, -1) end
end

local function enter(id, to, untilMs)
  if to == 'active' then
    local n = redis.call('HLEN', SLOT)
    redis.call('HSET', SLOT, n, id)
    redis.call('HSET', POS, id, n)
  elseif to == 'cooling' then
    redis.call('ZADD', COOL, untilMs, id)
  end
  redis.call('HSET', ST, id, to)
  redis.call('HINCRBY', CNT, to, 1)
end

local function move(id, to, untilMs)
  leave(id, redis.call('HGET', ST, id))
  enter(id, to, untilMs)
end

local function forget(id)
  leave(id, redis.call('HGET', ST, id))
  redis.call('HDEL', ST, id)
  redis.call('HDEL', FL, id)
  redis.call('HDEL', RL, id)
end
`

/** What PICK answers for a group whose state is not in Redis (never loaded here, or lost): load it, pick again. */
export const NOT_LOADED = '?'

/**
 * ARGV: now, most cooled-down keys to wake, then the ids to exclude.
 * Returns { picked id, '' (no usable key) or NOT_LOADED, ids woken from cooling }.
 */
export const PICK = `${PRELUDE}
local due = redis.call('ZRANGEBYSCORE', COOL, '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, id in ipairs(due) do move(id, 'active') end
local n = redis.call('HLEN', SLOT)
if n == 0 then
  if redis.call('HEXISTS', CNT, 'loaded') == 0 then return {'${NOT_LOADED}', due} end
  return {'', due}
end
local skip = {}
for i = 3, #ARGV do skip[ARGV[i]] = true end
local cursor = tonumber(redis.call('GET', RR) or '0') % n
for tried = 0, n - 1 do
  local i = (cursor + tried) % n
  local id = redis.call('HGET', SLOT, i)
  if not skip[id] then
    redis.call('SET', RR, (i + 1) % n)
    return {id, due}
  end
end
return {'', due}
`

/**
 * Session affinity: this one key if it is usable now (a cooling key whose time has passed is woken first).
 * ARGV: id, now. Returns { id or '', 1 when it was woken }.
 */
export const PICK_BY_ID = `${PRELUDE}
local id, now = ARGV[1], tonumber(ARGV[2])
local status = redis.call('HGET', ST, id)
local woke = 0
if status == 'cooling' and tonumber(redis.call('ZSCORE', COOL, id) or '0') <= now then
  move(id, 'active')
  status = 'active'
  woke = 1
end
if status == 'active' then return {id, woke} end
return {'', 0}
`

/**
 * ARGV: id, outcome kind, now, cooldown ms ('' = default growing one), blacklist threshold, base ms, max ms.
 * Returns { new status or '', cooling_until or -1, failure_count to persist or -1 }.
 */
export const REPORT = `${PRELUDE}
local id, kind, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local status = redis.call('HGET', ST, id)
if not status then return {'', -1, -1} end
if kind == 'success' then
  redis.call('HDEL', RL, id)
  if redis.call('HDEL', FL, id) == 1 then return {'', -1, 0} end
  return {'', -1, -1}
elseif kind == 'rate_limited' then
  if status ~= 'active' and status ~= 'cooling' then return {'', -1, -1} end
  local repeats = tonumber(redis.call('HGET', RL, id) or '0')
  local ms = tonumber(ARGV[4])
  if not ms then ms = math.min(tonumber(ARGV[6]) * 2 ^ math.min(repeats, 30), tonumber(ARGV[7])) end
  redis.call('HINCRBY', RL, id, 1)
  local untilMs = now + ms
  -- a slower request must not shorten a cooldown another one already set
  local current = tonumber(redis.call('ZSCORE', COOL, id) or '0')
  if current > untilMs then untilMs = current end
  move(id, 'cooling', untilMs)
  return {'cooling', untilMs, -1}
elseif kind == 'key_failure' then
  local failures = redis.call('HINCRBY', FL, id, 1)
  local threshold = tonumber(ARGV[5])
  if threshold > 0 and failures >= threshold and (status == 'active' or status == 'cooling') then
    move(id, 'invalid')
    return {'invalid', -1, failures}
  end
  return {'', -1, failures}
end
return {'', -1, -1}
`

/** ARGV: status, cooling_until (for 'cooling'), ids... Returns the ids that exist in the group. */
export const SET_STATUS = `${PRELUDE}
local to, untilMs = ARGV[1], tonumber(ARGV[2])
local changed = {}
for i = 3, #ARGV do
  local id = ARGV[i]
  if redis.call('HEXISTS', ST, id) == 1 then
    move(id, to, untilMs)
    if to == 'active' then
      redis.call('HDEL', FL, id)
      redis.call('HDEL', RL, id)
    end
    changed[#changed + 1] = id
  end
end
return changed
`

/** ARGV: now. Returns {active, cooling, invalid, disabled}; cooling keys whose time passed count as active. */
export const STATS = `${PRELUDE}
local c = redis.call('HMGET', CNT, 'active', 'cooling', 'invalid', 'disabled')
local due = redis.call('ZCOUNT', COOL, '-inf', ARGV[1])
local n = {}
for i = 1, 4 do n[i] = tonumber(c[i] or '0') end
return {n[1] + due, n[2] - due, n[3], n[4]}
`

/**
 * Stage rows for LOAD (a big group is sent in several calls: one command with 400,000 arguments is too much for
 * the client). KEYS[1]: the staging hash, ARGV: id, row state pairs. The staging hash expires on its own if the
 * node dies before LOAD.
 */
export const STAGE = `
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], 600000)
return 0
`

/**
 * Merge a group's staged rows into the live state, then delete the staging hash (KEYS[9]). ARGV: now. A row is
 * 'status:cooling_until:failure_count' (cooling_until 0 = none). Keys not in the rows are removed; keys already
 * present keep their live state; new keys start from their row (a cooling row whose time passed starts active).
 * Returns the ids that started active that way.
 */
export const LOAD = `${PRELUDE}
local now = tonumber(ARGV[1])
local rows = redis.call('HGETALL', KEYS[9])
redis.call('DEL', KEYS[9])
local incoming = {}
for i = 1, #rows, 2 do incoming[rows[i]] = true end
for _, id in ipairs(redis.call('HKEYS', ST)) do
  if not incoming[id] then forget(id) end
end
local woken = {}
for i = 1, #rows, 2 do
  local id = rows[i]
  if redis.call('HEXISTS', ST, id) == 0 then
    local status, untilMs, failures = string.match(rows[i + 1], '^(%a+):(%d+):(%d+)$')
    untilMs, failures = tonumber(untilMs), tonumber(failures)
    if status == 'cooling' and untilMs <= now then
      status = 'active'
      woken[#woken + 1] = id
    end
    enter(id, status, untilMs)
    if failures > 0 then redis.call('HSET', FL, id, failures) end
  end
end
redis.call('HSET', CNT, 'loaded', '1')
return woken
`

/**
 * Key states a node decided alone while Redis was unreachable, applied when it rejoins. ARGV: now, then
 * id, status, cooling_until triples. Keys Redis does not hold (deleted meanwhile) are skipped; a cooldown keeps
 * the later end of this node's and the shared one, and one that already ended is not applied. Returns 0.
 */
export const REPLAY = `${PRELUDE}
local now = tonumber(ARGV[1])
for i = 2, #ARGV, 3 do
  local id, to, untilMs = ARGV[i], ARGV[i + 1], tonumber(ARGV[i + 2])
  local from = redis.call('HGET', ST, id)
  if from then
    if to == 'cooling' then
      local current = tonumber(redis.call('ZSCORE', COOL, id) or '0')
      if current > untilMs then untilMs = current end
      if untilMs > now then move(id, 'cooling', untilMs) end
    elseif to ~= from then
      move(id, to)
      if to == 'active' then
        redis.call('HDEL', FL, id)
        redis.call('HDEL', RL, id)
      end
    end
  end
end
return 0
`
