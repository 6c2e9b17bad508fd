/**
 * Lua scripts of the Redis pool. Each pick, report, admin change and load is one script: atomic on the server and
 * one round trip. All of a group's Redis keys are passed as KEYS (in the order of `GROUP_KEY_NAMES`) and share one
 * hash tag, so they also work on Redis Cluster. Time comes from the caller (`now`), never from the Redis clock,
 * so every node and the tests agree with the caller's Clock.
 *
 * Per group: st (hash id -> status), fl (hash id -> consecutive failures), rl (hash id -> rate-limit repeats),
 * slot (hash position -> id) + pos (hash id -> position) = the usable keys as an array with swap-remove, cool (zset
 * id by cooling_until), rr (round-robin cursor), cnt (hash status -> count, plus `loaded` once LOAD ran: tells an
 * empty group from state Redis lost in a restart without persistence or an eviction; `rpm` / `conc`: the limits
 * the last pick was given; `lseq`: lease numbers).
 * Pacing: rest (zset id by the time an RPM rest ends), inf (hash id -> picks holding a concurrency slot), lease
 * (zset 'id:n' by the time a slot frees itself if never released). An active key out of `slot` rests: in `rest`
 * until its RPM window frees, else until a release brings it under its concurrency limit. Each key's pick times
 * are a list `…pool:{g}:ring:{id}` (newest first, at most `rpm` long, expiring a window after its last pick). Those
 * names are built in the script from the group's hash tag: they are always in the slot of the declared keys.
 */

export const GROUP_KEY_NAMES = ['st', 'fl', 'rl', 'slot', 'pos', 'cool', 'rr', 'cnt', 'rest', 'inf', 'lease'] as const

const PRELUDE = `
local ST, FL, RL, SLOT, POS, COOL, RR, CNT = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local REST, INF, LEASE = KEYS[9], KEYS[10], KEYS[11]
local RING = string.sub(ST, 1, #ST - 2) .. 'ring:'

local function slotIn(id)
  local n = redis.call('HLEN', SLOT)
  redis.call('HSET', SLOT, n, id)
  redis.call('HSET', POS, id, n)
end

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
  if from == 'active' then
    unslot(id)
    redis.call('ZREM', REST, id)
  elseif from == 'cooling' then
    redis.call('ZREM', COOL, id)
  end
  if from then redis.call('HINCRBY', CNT, from, -1) end
end

local function enter(id, to, untilMs)
  if to == 'active' then
    slotIn(id)
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
  redis.call('HDEL', INF, id)
  redis.call('DEL', RING .. id)
end

-- a concurrency slot of the key came back: the key returns to the rotation if it rested only for that
local function freeSlot(id, conc)
  local left = redis.call('HINCRBY', INF, id, -1)
  if left <= 0 then redis.call('HDEL', INF, id) end
  if redis.call('HGET', ST, id) == 'active' and redis.call('HEXISTS', POS, id) == 0
    and not redis.call('ZSCORE', REST, id) and (conc == 0 or left < conc) then
    slotIn(id)
  end
end
`

/** What PICK answers for a group whose state is not in Redis (never loaded here, or lost): load it, pick again. */
export const NOT_LOADED = '?'

/**
 * ARGV: now, most keys to wake per kind, then the pace: rpm, concurrency (0 = no limit), lease ms, window ms, most
 * keys to rest per pick, then the ids to exclude. Wakes cooled-down keys, slots never released and RPM rests that ended (each bounded), then
 * walks the rotation from the cursor; a key found at a limit there rests and the walk goes on (bounded too).
 * Returns { picked id, '' (no usable key) or NOT_LOADED, ids woken from cooling, lease ('' = none), keys looked at }.
 */
export const PICK = `${PRELUDE}
local now, wakeMax = tonumber(ARGV[1]), tonumber(ARGV[2])
local rpm, conc, leaseMs, windowMs = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local maxSkips = tonumber(ARGV[7])
local looked = 0
local due = redis.call('ZRANGEBYSCORE', COOL, '-inf', now, 'LIMIT', 0, wakeMax)
for _, id in ipairs(due) do move(id, 'active') end
-- the limits a release or a wake measures against: written only when they changed (most picks write nothing here)
local known = redis.call('HMGET', CNT, 'rpm', 'conc')
if tonumber(known[1] or '0') ~= rpm or tonumber(known[2] or '0') ~= conc then redis.call('HSET', CNT, 'rpm', rpm, 'conc', conc) end

local function atConc(id)
  return conc > 0 and tonumber(redis.call('HGET', INF, id) or '0') >= conc
end
local function rpmFreeAt(id)
  if rpm == 0 then return 0 end
  local ring = RING .. id
  if redis.call('LLEN', ring) < rpm then return 0 end
  local at = tonumber(redis.call('LINDEX', ring, rpm - 1)) + windowMs
  if at > now then return at end
  return 0
end

for _, m in ipairs(redis.call('ZRANGEBYSCORE', LEASE, '-inf', now, 'LIMIT', 0, wakeMax)) do
  redis.call('ZREM', LEASE, m)
  freeSlot(string.match(m, '^(%d+):'), conc)
  looked = looked + 1
end
for _, id in ipairs(redis.call('ZRANGEBYSCORE', REST, '-inf', now, 'LIMIT', 0, wakeMax)) do
  redis.call('ZREM', REST, id)
  looked = looked + 1
  if redis.call('HGET', ST, id) == 'active' and redis.call('HEXISTS', POS, id) == 0 and not atConc(id) then slotIn(id) end
end

local n = redis.call('HLEN', SLOT)
if n == 0 then
  if redis.call('HEXISTS', CNT, 'loaded') == 0 then return {'${NOT_LOADED}', due, '', looked} end
  return {'', due, '', looked}
end
local skip = {}
for i = 8, #ARGV do skip[ARGV[i]] = true end
local i = tonumber(redis.call('GET', RR) or '0') % n
-- tried counts distinct excluded keys: a rest swaps the last key into the walk, which may be one seen already
local tried, skipped, seen = 0, 0, {}
while tried < n do
  local id = redis.call('HGET', SLOT, i)
  looked = looked + 1
  if skip[id] then
    if not seen[id] then
      seen[id] = true
      tried = tried + 1
    end
    i = (i + 1) % n
  else
    local freeAt = rpmFreeAt(id)
    if freeAt > 0 or atConc(id) then
      -- in the rotation yet over a limit (limits lowered, back from cooling): it rests; slot i now holds another
      unslot(id)
      if freeAt > 0 then redis.call('ZADD', REST, freeAt, id) end
      skipped = skipped + 1
      n = n - 1
      if skipped > maxSkips or n == 0 then break end
      if i >= n then i = 0 end
    else
      if rpm > 0 then
        local ring = RING .. id
        redis.call('LPUSH', ring, now)
        redis.call('LTRIM', ring, 0, rpm - 1)
        redis.call('PEXPIRE', ring, windowMs)
      end
      local lease = ''
      if conc > 0 then
        lease = tostring(redis.call('HINCRBY', CNT, 'lseq', 1))
        redis.call('ZADD', LEASE, now + leaseMs, id .. ':' .. lease)
        redis.call('HINCRBY', INF, id, 1)
      end
      freeAt = rpmFreeAt(id)
      if freeAt > 0 or atConc(id) then
        -- it just reached a limit: it rests, and the cursor stays on its slot (now another key's)
        unslot(id)
        if freeAt > 0 then redis.call('ZADD', REST, freeAt, id) end
        redis.call('SET', RR, i)
      else
        redis.call('SET', RR, (i + 1) % n)
      end
      -- 1: the key has failures or rate-limit repeats on record, which a success must clear
      local marked = 0
      if redis.call('HEXISTS', FL, id) == 1 or redis.call('HEXISTS', RL, id) == 1 then marked = 1 end
      return {id, due, lease, looked, marked}
    end
  end
end
return {'', due, '', looked}
`

/** ARGV: id, lease. Gives the concurrency slot back once (a lease already freed or expired does nothing). */
export const RELEASE = `${PRELUDE}
if redis.call('ZREM', LEASE, ARGV[1] .. ':' .. ARGV[2]) == 1 then
  freeSlot(ARGV[1], tonumber(redis.call('HGET', CNT, 'conc') or '0'))
end
return 0
`

/**
 * A pick this node could not serve (the id is not loaded here yet): undo it. ARGV: id, lease ('' = none), the pick's
 * now. The pick's time leaves the key's window and a rest it caused ends; its slot goes back.
 */
export const UNPICK = `${PRELUDE}
local id, lease, at = ARGV[1], ARGV[2], ARGV[3]
local conc = tonumber(redis.call('HGET', CNT, 'conc') or '0')
if lease ~= '' and redis.call('ZREM', LEASE, id .. ':' .. lease) == 1 then freeSlot(id, conc) end
if redis.call('LREM', RING .. id, 1, at) == 1 and redis.call('ZREM', REST, id) == 1
  and redis.call('HGET', ST, id) == 'active' and redis.call('HEXISTS', POS, id) == 0
  and (conc == 0 or tonumber(redis.call('HGET', INF, id) or '0') < conc) then
  slotIn(id)
end
return 0
`

/** ARGV: now, ids. Returns per id: the end of its RPM rest, -1 resting at its concurrency limit, 0 not paced. */
export const PACED = `${PRELUDE}
local now = tonumber(ARGV[1])
local out = {}
for i = 2, #ARGV do
  local id, v = ARGV[i], 0
  if redis.call('HGET', ST, id) == 'active' and redis.call('HEXISTS', POS, id) == 0 then
    local at = tonumber(redis.call('ZSCORE', REST, id) or '0')
    if at > now then v = at elseif at == 0 then v = -1 end
  end
  out[#out + 1] = v
end
return out
`

/** ARGV: now, ms to say while only requests in flight can free a key. Returns the earliest return time or -1. */
export const NEXT_FREE = `${PRELUDE}
local best = -1
for _, z in ipairs({COOL, REST}) do
  local top = redis.call('ZRANGE', z, 0, 0, 'WITHSCORES')
  if top[2] and (best < 0 or tonumber(top[2]) < best) then best = tonumber(top[2]) end
end
if redis.call('HLEN', INF) > 0 then
  local t = tonumber(ARGV[1]) + tonumber(ARGV[2])
  if best < 0 or t < best then best = t end
end
return best
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
 * Merge a group's staged rows into the live state, then delete the staging hash (the key after the group's). ARGV: now. A row is
 * 'status:cooling_until:failure_count' (cooling_until 0 = none). Keys not in the rows are removed; keys already
 * present keep their live state; new keys start from their row (a cooling row whose time passed starts active).
 * Returns the ids that started active that way.
 */
export const LOAD = `${PRELUDE}
local now = tonumber(ARGV[1])
local rows = redis.call('HGETALL', KEYS[${GROUP_KEY_NAMES.length + 1}])
redis.call('DEL', KEYS[${GROUP_KEY_NAMES.length + 1}])
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
