/**
 * Lua scripts of the Redis access-key counters. One key's Redis keys share a hash tag ({ak:ID}) so a script works
 * on Redis Cluster. Time comes from the caller, never from the Redis clock, so the nodes and the tests agree.
 * KEYS: req (zset ticket by admission time), tok (hash second -> tokens of answers finished in it), lease (zset
 * ticket by lease expiry), budget (hash t = tokens, c = cost micros, for one period).
 */

const WINDOW = `
local function tokens_in_window(tok, now)
  local cut = math.floor((now - 60000) / 1000)
  local sum, oldest = 0, nil
  local all = redis.call('HGETALL', tok)
  for i = 1, #all, 2 do
    local sec = tonumber(all[i])
    if sec <= cut then
      redis.call('HDEL', tok, all[i])
    else
      sum = sum + tonumber(all[i + 1])
      if oldest == nil or sec < oldest then oldest = sec end
    end
  end
  local reset = 0
  if oldest ~= nil then reset = (oldest + 1) * 1000 + 60000 - now end
  return sum, reset
end

-- tokens and cost spent in a budget bucket
local function budget_spent(budget)
  local v = redis.call('HMGET', budget, 't', 'c')
  return tonumber(v[1] or '0'), tonumber(v[2] or '0')
end

-- requests in the window: admissions one by one (zset) plus those a node's local allowance wrote as counts per second
local function requests_in_window(req, bulk, now)
  redis.call('ZREMRANGEBYSCORE', req, '-inf', now - 60000)
  local n = redis.call('ZCARD', req)
  local reset = 0
  if n > 0 then reset = tonumber(redis.call('ZRANGE', req, 0, 0, 'WITHSCORES')[2]) + 60000 - now end
  local b, bReset = tokens_in_window(bulk, now)
  if b > 0 and (reset == 0 or bReset < reset) then reset = bReset end
  return n + b, reset
end
`

/**
 * ARGV: now, ticket, rpm, tpm, concurrency, token budget, cost budget (micros), lease ms.
 * Answers {verdict, retry-after ms (-1 = none), requests, requests reset ms, tokens, tokens reset ms, budget tokens
 * spent, budget cost spent}.
 */
export const ADMIT = `${WINDOW}
local REQ, TOK, LEASE, BUDGET, BULK = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, ticket = tonumber(ARGV[1]), ARGV[2]
local rpm, tpm, conc = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local tb, cb, leaseMs = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])

local reqs, reqReset = requests_in_window(REQ, BULK, now)
local toks, tokReset = 0, 0
if tpm > 0 then toks, tokReset = tokens_in_window(TOK, now) end
local spentT, spentC = 0, 0
local function answer(verdict, retry) return {verdict, retry, reqs, reqReset, toks, tokReset, spentT, spentC} end

if tb > 0 or cb > 0 then
  spentT, spentC = budget_spent(BUDGET)
  if (tb > 0 and spentT >= tb) or (cb > 0 and spentC >= cb) then return answer('budget', -2) end
end
if conc > 0 then
  redis.call('ZREMRANGEBYSCORE', LEASE, '-inf', now)
  if redis.call('ZCARD', LEASE) >= conc then return answer('concurrency', 1000) end
end
if rpm > 0 and reqs >= rpm then return answer('rpm', reqReset) end
if tpm > 0 and toks >= tpm then return answer('tpm', tokReset) end
if rpm > 0 then
  redis.call('ZADD', REQ, now, ticket)
  redis.call('PEXPIRE', REQ, 61000)
  reqs = reqs + 1
  if reqReset == 0 then reqReset = 60000 end
end
if conc > 0 then
  redis.call('ZADD', LEASE, now + leaseMs, ticket)
  redis.call('PEXPIRE', LEASE, leaseMs)
end
return answer('ok', 0)
`

/** ARGV: now, ticket, tokens, cost micros, budget ttl ms (0 = keep). */
export const FINISH = `
local TOK, LEASE, BUDGET = KEYS[1], KEYS[2], KEYS[3]
local now, tokens, cost, ttl = tonumber(ARGV[1]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREM', LEASE, ARGV[2])
if tokens > 0 then
  redis.call('HINCRBY', TOK, tostring(math.floor(now / 1000)), tokens)
  redis.call('PEXPIRE', TOK, 62000)
end
if tokens > 0 or cost > 0 then
  redis.call('HINCRBY', BUDGET, 't', tokens)
  redis.call('HINCRBY', BUDGET, 'c', cost)
  if ttl > 0 then redis.call('PEXPIRE', BUDGET, ttl) end
end
return 1
`

/** ARGV: tokens, cost micros, ttl ms (0 = keep). Sets the budget bucket only when it does not exist. */
export const SEED = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 't', ARGV[1], 'c', ARGV[2])
if tonumber(ARGV[3]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`

/**
 * Admissions a node made from its local allowance (redis-counters.ts), written as one count in the second of the
 * latest of them (so they leave the window no earlier than they should), and the shared window as it is now.
 * KEYS: req, tok, budget, bulk. ARGV: now, tpm (0 = not read), budget (0/1: read the bucket), count. Answers
 * {requests, requests reset ms, tokens, tokens reset ms, budget tokens spent, budget cost spent}.
 */
export const RECORD = `${WINDOW}
local REQ, TOK, BUDGET, BULK = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local now, tpm, budget, count = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
if count > 0 then
  redis.call('HINCRBY', BULK, tostring(math.floor(now / 1000)), count)
  redis.call('PEXPIRE', BULK, 62000)
end
local reqs, reqReset = requests_in_window(REQ, BULK, now)
local toks, tokReset = 0, 0
if tpm > 0 then toks, tokReset = tokens_in_window(TOK, now) end
local spentT, spentC = 0, 0
if budget > 0 then spentT, spentC = budget_spent(BUDGET) end
return {reqs, reqReset, toks, tokReset, spentT, spentC}
`
