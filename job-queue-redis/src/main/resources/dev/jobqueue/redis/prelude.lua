-- Shared prelude, prepended by the client to every job-queue script (Redis has no includes).
-- KEYS: the queue's fixed keys, all under one hash tag. ARGV[1] = key base "<prefix>:{<queue>}:",
-- ARGV[2] = now in ms when the client injects a clock ('' = Redis TIME), ARGV[3] = extra ms added
-- to physical expiries (0 unless a clock is injected, so logical expiry decides there).
local K_READY, K_DELAYED, K_FAILING, K_LEASES, K_SEQ, K_WAKE, K_COMPLETED, K_FAILED, K_CANCELLED =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local BASE = ARGV[1]
local NOW
if ARGV[2] ~= '' then
  NOW = tonumber(ARGV[2])
else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local SLACK = tonumber(ARGV[3])
local CHANNEL = BASE .. 'terminal'
local WAKE_CAP = 256
local TERMINAL_INDEX = { COMPLETED = K_COMPLETED, FAILED = K_FAILED, CANCELLED = K_CANCELLED }
local SNAPSHOT_FIELDS = { 'st', 'pr', 'ca', 'ra', 'at', 'ma', 'stl', 'res', 'err', 'ex', 'wk', 'ld' }

-- Job ids are data: a job's key carries the hex of the id's bytes, so no id can name another key.
local function hex(s)
  return (string.gsub(s, '.', function(c) return string.format('%02x', string.byte(c)) end))
end

local function job_key(id)
  return BASE .. 'j:' .. hex(id)
end

local function snapshot(jk)
  return redis.call('HMGET', jk, unpack(SNAPSHOT_FIELDS))
end

-- The job's state, or nil when there is no live record (an expired terminal record is removed).
local function live_state(jk, id)
  local v = redis.call('HMGET', jk, 'st', 'ex')
  local st = v[1]
  if not st then return nil end
  if v[2] and tonumber(v[2]) <= NOW then
    redis.call('DEL', jk)
    local idx = TERMINAL_INDEX[st]
    if idx then redis.call('ZREM', idx, id) end
    return nil
  end
  return st
end

-- Ready order: score -priority (higher first); within a score, members sort by the fixed-width
-- sequence number in front of the id, i.e. FIFO.
local function add_ready(jk, id)
  local v = redis.call('HMGET', jk, 'pr', 'sq')
  redis.call('ZADD', K_READY, -tonumber(v[1]), string.format('%016x', tonumber(v[2])) .. id)
end

local function remove_ready(jk, id)
  local v = redis.call('HMGET', jk, 'sq')
  redis.call('ZREM', K_READY, string.format('%016x', tonumber(v[1])) .. id)
end

-- Wake tokens let idle claimers (BLPOP on the wake list) return within milliseconds; capped so
-- the list stays small whatever the traffic.
local function wake(n)
  if n <= 0 then return end
  local room = WAKE_CAP - redis.call('LLEN', K_WAKE)
  if room <= 0 then return end
  if n > room then n = room end
  local tokens = {}
  for i = 1, n do tokens[i] = '1' end
  redis.call('RPUSH', K_WAKE, unpack(tokens))
end

-- Length-prefixed encoding of one job's snapshot for PUBLISH: "<len>:<bytes>" per field, "-" for nil.
local function encode_fields(values)
  local parts = {}
  for i = 1, #values do
    local v = values[i]
    if v then parts[#parts + 1] = string.len(v) .. ':' .. v else parts[#parts + 1] = '-' end
  end
  return table.concat(parts)
end

local function notify_terminal(jk, id)
  if redis.call('HGET', jk, 'nt') == '1' then
    local s = snapshot(jk)
    table.insert(s, 1, id)
    redis.call('PUBLISH', CHANNEL, encode_fields(s))
  end
end

-- Moves a job to COMPLETED/FAILED/CANCELLED: expiry set in the record (logical, for injected clocks)
-- and on the key (physical), indexed for counts/list, the index trimmed of expired entries.
local function make_terminal(jk, id, st, ttl)
  local ex = NOW + ttl
  redis.call('HSET', jk, 'st', st, 'ex', ex)
  redis.call('HDEL', jk, 'wk', 'ld', 'ra')
  redis.call('PEXPIRE', jk, ttl + SLACK)
  local idx = TERMINAL_INDEX[st]
  redis.call('ZREMRANGEBYSCORE', idx, '-inf', NOW)
  redis.call('ZADD', idx, ex, id)
  notify_terminal(jk, id)
end

-- The fenced check every worker transition starts with: PROCESSING under this token.
local function holds_lease(jk, token)
  local v = redis.call('HMGET', jk, 'st', 'tok')
  return v[1] == 'PROCESSING' and v[2] == token, v[1], v[2]
end
