-- claim: takes up to max QUEUED jobs for a worker. Java side: ClaimScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the queue's pause flag; [12] its
--       throttle (a string: end ms, with a PX expiry); [13] its limits (a string
--       "<maxRunning>|<rateLimit>|<ratePeriod ms>|<ratePeriod ns>", absent = none; see limits.lua); [14] its rate
--       log (a sorted set of claim times, members the claims' fencing tokens).
-- ARGV: [1..3] the common head (see the prelude); [4] workerId; [5] max; [6] lease ms;
--       [7] nonce of this call (a resend after a lost reply gets the same jobs back).
-- Reply (flat, no table per job): {leaseDeadline ms, ms until the next DELAYED/FAILING job is due
--       (-1 = none, -2 = the queue is paused: nothing was promoted or taken), claimed-at ms,
--       ms until a flow-control hold may end (-1 = not held; see HOLD below), the hold's kind
--       (0 none, 1 throttle, 2 maxRunning, 3 rate window), then per job: hid, payload, attempt, m
--       (see the prelude), fencing token, ready-at ms (false = created-at), metadata (false = none)}.
-- Promotes due DELAYED and FAILING jobs first, then takes QUEUED jobs (priority, then FIFO).
-- The claimed hids are remembered for a minute under the nonce, so that a call resent after a lost
-- reply gets the same jobs back instead of leaving them PROCESSING until their lease ends.
-- A claim writes three fields per job in one HSET: st, c = "<token>|<attempts>|<workerId>" and sa.
-- Flow control costs nothing when unused: the memo, pause flag, throttle and limits are read by
-- one MGET. A throttle holds back the claim like a pause (nothing promoted or taken); limits cap
-- how many jobs it takes: maxRunning minus the lease index's size (the PROCESSING jobs), and
-- rateLimit minus the claims of the last ratePeriod in the rate log (trimmed here by time and to
-- at most rateLimit members, the newest).
local worker, max, lease = ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local memo = BASE .. 'claim:' .. ARGV[7]

-- the memo, the pause flag, the throttle and the limits in one command (all in the queue's slot)
local got = redis.call('MGET', memo, KEYS[11], KEYS[12], KEYS[13])
local previous = got[1]
if previous then
  local taken = cmsgpack.unpack(previous)
  local out = { tonumber(taken[1]), -1, NOW, -1, 0 }
  for i = 2, #taken, 2 do
    local hid, token = taken[i], taken[i + 1]
    local v = redis.call('HMGET', JOB .. hid, 'st', 'c', 'pl', 'm', 'rt', 'md', 'sa')
    if v[1] == 'PROCESSING' and holds(v[2], int(token)) then
      local o = #out
      out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5], out[o + 6], out[o + 7] =
          hid, v[3], attempts(v[2]), v[4], token, v[5], v[6]
      out[3] = tonumber(v[7]) or NOW
    end
  end
  return out
end
if got[2] then
  -- paused: no promotion, no claim (the client waits for a resume token, see IdleClaimers)
  return { 0, -2, NOW, -1, 0 }
end
if got[3] and tonumber(got[3]) > NOW then
  -- throttled: like a pause until the throttle's end (the client waits that long, unwoken)
  return { 0, -1, NOW, tonumber(got[3]) - NOW, 1 }
end

-- Promotes the due jobs of one time index and returns ms until its next job is due (-1: empty).
-- The common case (nothing due) costs one ZRANGE.
local function promote(zkey)
  local first = redis.call('ZRANGE', zkey, 0, 0, 'WITHSCORES')
  if #first == 0 then return -1 end
  if tonumber(first[2]) > NOW then return tonumber(first[2]) - NOW end
  local due = redis.call('ZRANGEBYSCORE', zkey, '-inf', NOW_S, 'WITHSCORES', 'LIMIT', 0, 1000)
  for d = 1, #due, 2 do
    local hid = due[d]
    local jk = JOB .. hid
    redis.call('ZREM', zkey, hid)
    local st = redis.call('HGET', jk, 'st')
    if st == 'DELAYED' or st == 'FAILING' then
      -- ready since it was due, not since this claim noticed
      redis.call('HSET', jk, 'st', 'QUEUED', 'rt', due[d + 1])
      add_ready(jk, hid)
    end
  end
  first = redis.call('ZRANGE', zkey, 0, 0, 'WITHSCORES')
  if #first == 0 then return -1 end
  return math.max(0, tonumber(first[2]) - NOW)
end
local next_due = -1
for _, zkey in ipairs({ K_DELAYED, K_FAILING }) do
  local d = promote(zkey)
  if d >= 0 and (next_due < 0 or d < next_due) then next_due = d end
end

local deadline = NOW + lease
local deadline_s = int(deadline)
local out = { deadline, next_due, NOW, -1, 0 }
local want = max
local K_RATE = false
if got[4] then
  local max_running, rate_limit, rate_period = string.match(got[4], '^(%d+)|(%d+)|(%d+)|')
  max_running, rate_limit, rate_period = tonumber(max_running), tonumber(rate_limit), tonumber(rate_period)
  if max_running > 0 then
    local room = max_running - redis.call('ZCARD', K_LEASES)
    if room < want then
      want = room
      -- no ms known: a finishing job of this process wakes the claimer, else its re-check timer
      if want <= 0 then out[4], out[5] = 0, 2 end
    end
  end
  if rate_limit > 0 and want > 0 then
    K_RATE = KEYS[14]
    redis.call('ZREMRANGEBYSCORE', K_RATE, '-inf', int(NOW - rate_period))
    local claimed = redis.call('ZCARD', K_RATE)
    if claimed > rate_limit then
      -- the limit was lowered: the newest rateLimit claims decide when the next slot frees
      redis.call('ZREMRANGEBYRANK', K_RATE, 0, claimed - rate_limit - 1)
      claimed = rate_limit
    end
    if rate_limit - claimed < want then
      want = rate_limit - claimed
      if want <= 0 then
        local oldest = redis.call('ZRANGE', K_RATE, 0, 0, 'WITHSCORES')
        out[4], out[5] = math.max(0, tonumber(oldest[2]) + rate_period - NOW), 3
      end
    end
  end
  if want <= 0 then
    -- held back: nothing taken, and the wake tokens stay (the ready set may hold jobs)
    out[2] = next_due
    return out
  end
end
-- one ZPOPMIN takes the batch (member, score pairs) off the ready set
local popped = redis.call('ZPOPMIN', K_READY, want)
local count = #popped / 2
local taken = { deadline }
-- one INCRBY hands out the batch's fencing tokens (consecutive, above every earlier token)
local token = 0
if count > 0 then token = redis.call('INCRBY', K_SEQ, count) - count end
for p = 1, #popped, 2 do
  local hid = string.sub(popped[p], 17)
  local jk = JOB .. hid
  local v = redis.call('HMGET', jk, 'st', 'c', 'pl', 'm', 'rt', 'md')
  if v[1] == 'QUEUED' then
    token = token + 1
    local attempt = attempts(v[2]) + 1
    redis.call('HSET', jk, 'st', 'PROCESSING', 'c', int(token) .. '|' .. int(attempt) .. '|' .. worker, 'sa', NOW_S)
    index_later('ZADD', K_LEASES, deadline_s, hid)
    local o = #out
    out[o + 1], out[o + 2], out[o + 3], out[o + 4], out[o + 5], out[o + 6], out[o + 7] =
        hid, v[3], attempt, v[4], token, v[5], v[6]
    taken[#taken + 1] = hid
    taken[#taken + 1] = token
    if K_RATE then index_later('ZADD', K_RATE, NOW_S, int(token)) end
  end
end
flush_indexes()
if #taken > 1 then
  redis.call('SET', memo, cmsgpack.pack(taken), 'PX', '60000')
end

if count < want then
  -- the ready set is empty now: stale wake tokens would only cause empty claims
  redis.call('DEL', K_WAKE)
end
out[2] = next_due
return out
