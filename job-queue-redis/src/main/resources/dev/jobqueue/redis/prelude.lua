-- Shared prelude, prepended by the client to every job-queue script (Redis has no includes). Each
-- script's header lists its own KEYS, ARGV and reply; its Java side is the class it names.
-- KEYS[1..10]: the queue's fixed keys, all under one hash tag (KeySpace.FIXED_SUFFIXES): ready,
-- delayed, failing, leases, seq, wake, completed, failed, cancelled, and the slot guard, which is
-- never touched (see KeySpace: it keeps scripts from running while a Cluster slot is half moved).
-- ARGV[1..3], the common head (ScriptArgs.head): [1] key base "<prefix>:{<queue>}:"; [2] now in
-- ms when the client injects a clock ('' = Redis TIME); [3] extra ms added to physical expiries
-- (0 unless a clock is injected, so logical expiry decides there).
--
-- Job ids reach the scripts as the hex of their UTF-8 bytes ("hid"), encoded by the client: a job's
-- key is BASE .. 'j:' .. hid and every index member carries the hid, so no id can name another key
-- and no script spends time encoding ids. Replies carry hids; the client decodes them.
--
-- Cost notes (this is the hot path of every job): a Lua number passed to redis.call is formatted
-- with "%.14g", which costs more than most of the commands here; so values that are already strings
-- (ARGV, hash fields) are passed on as they are, and computed integers go through '%d' once.
local K_READY, K_DELAYED, K_FAILING, K_LEASES, K_SEQ, K_WAKE, K_COMPLETED, K_FAILED, K_CANCELLED =
    KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], KEYS[8], KEYS[9]
local BASE = ARGV[1]
local JOB = BASE .. 'j:'
local NOW, NOW_S
if ARGV[2] ~= '' then
  NOW_S = ARGV[2]
  NOW = tonumber(NOW_S)
else
  local t = redis.call('TIME')
  NOW = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  NOW_S = string.format('%d', NOW)
end
local SLACK = tonumber(ARGV[3])
local CHANNEL = BASE .. 'terminal'
local WAKE_CAP = 256
local TERMINAL_INDEX = { COMPLETED = K_COMPLETED, FAILED = K_FAILED, CANCELLED = K_CANCELLED }
-- A job's hash. Fields that never change after enqueue are packed into one field m (fewer fields
-- to write and read on every job): "<sq>|<ca>|<ps>|<ma>|<ms>|<rq>" = enqueue sequence number (16
-- hex digits), created-at ms, ready-set score (minus the priority), max attempts, max stalls,
-- enqueue nonce (only an operator's retryJob or promote rewrites sq, to queue the job last). Each
-- claim writes st, c = "<token>|<attempts>|<workerId>" and sa (claimed-at ms, the snapshot's
-- startedAt); the lease deadline lives only in the leases index. Fields that belong to one state
-- (ra: DELAYED/FAILING, err: FAILING/FAILED, res: COMPLETED, fa: finished-at ms of a terminal
-- state, the worker in c: PROCESSING) are not deleted when the job moves on: readers ignore them
-- in other states, which saves an HDEL per transition. c (attempts 0), stl (stalls), nt (notify),
-- md (metadata, encoded by the client, absent when empty) and rt (ready-at ms; absent = created-at,
-- i.e. the job was enqueued ready and never became ready again since) are absent until first set.
-- Every value is written by the command the transition already sends: no field costs a command.
local SNAPSHOT_FIELDS = { 'st', 'm', 'ra', 'c', 'stl', 'res', 'err', 'ex', 'sa', 'fa' }
-- A full snapshot (status, listJobs) also reads the payload and the metadata.
local FULL_SNAPSHOT_FIELDS = { 'st', 'm', 'ra', 'c', 'stl', 'res', 'err', 'ex', 'sa', 'fa', 'pl', 'md' }

-- The packed immutable fields of m, as strings: sq, ca, ps, ma, ms, rq.
local function unpack_m(m)
  return string.match(m, '^(%x+)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
end

local function int(n)
  return string.format('%d', n)
end

-- Sorted-set index updates of a script run are collected per command and key, and sent as one
-- variadic ZADD/ZREM (chunked well below Lua's unpack limit) by flush_indexes(): a merged batch of
-- n jobs then pays one redis.call per index instead of n. Only index writes are deferred; every
-- read a script makes before it returns is of job hashes, so none sees a missing index entry.
-- Each script that calls index_later (directly or via make_terminal) calls flush_indexes().
local INDEX_CHUNK = 1024
local pending_indexes = { ZADD = {}, ZREM = {} }
local pending_order = {}

local function flush_index(p)
  if #p.args > 0 then
    redis.call(p.cmd, p.key, unpack(p.args))
    p.args = {}
  end
end

-- Queues ZADD key score member (two values) or ZREM key member (one value).
local function index_later(cmd, key, a, b)
  local by_key = pending_indexes[cmd]
  local p = by_key[key]
  if not p then
    p = { cmd = cmd, key = key, args = {} }
    by_key[key] = p
    pending_order[#pending_order + 1] = p
  end
  local args = p.args
  local n = #args
  args[n + 1] = a
  if b ~= nil then
    args[n + 2] = b
    n = n + 1
  end
  if n + 1 >= INDEX_CHUNK then flush_index(p) end
end

-- Jobs this script run made COMPLETED or FAILED (make_terminal counts them), added to the
-- queue's monotonic totals (the hash BASE .. 'totals', fields c and f; finishedTotals reads it)
-- by flush_indexes(): one HINCRBY per state per script run, however many jobs the run finished.
local finished = { COMPLETED = 0, FAILED = 0 }

local function flush_finished(st, field)
  if finished[st] > 0 then
    redis.call('HINCRBY', BASE .. 'totals', field, finished[st])
    finished[st] = 0
  end
end

local function flush_indexes()
  for i = 1, #pending_order do flush_index(pending_order[i]) end
  flush_finished('COMPLETED', 'c')
  flush_finished('FAILED', 'f')
end

-- SNAPSHOT_FIELDS, then the lease deadline (PROCESSING only, from the leases index).
local function snapshot(jk, hid)
  local s = redis.call('HMGET', jk, unpack(SNAPSHOT_FIELDS))
  s[11] = s[1] == 'PROCESSING' and redis.call('ZSCORE', K_LEASES, hid)
  return s
end

-- snapshot() then payload and metadata, in one HMGET (plus the lease's ZSCORE for a PROCESSING job
-- unless the caller knows the deadline already: lease, a string or nil). false when there is no record.
local function full_snapshot(jk, hid, lease)
  local s = redis.call('HMGET', jk, unpack(FULL_SNAPSHOT_FIELDS))
  if not s[1] then return false end
  s[13] = s[12]
  s[12] = s[11]
  if s[1] == 'PROCESSING' then
    s[11] = lease or redis.call('ZSCORE', K_LEASES, hid)
  else
    s[11] = false
  end
  return s
end

-- Whether the claim info c (a string, or false when absent) carries this fencing token.
local function holds(c, token)
  return c and string.sub(c, 1, #token + 1) == token .. '|'
end

-- The attempts counted in the claim info c (0 when never claimed).
local function attempts(c)
  if not c then return 0 end
  return tonumber(string.match(c, '^%d+|(%d+)'))
end

-- The job's state, or nil when there is no live record (an expired terminal record is removed).
local function live_state(jk, hid)
  local v = redis.call('HMGET', jk, 'st', 'ex')
  local st = v[1]
  if not st then return nil end
  if v[2] and tonumber(v[2]) <= NOW then
    redis.call('DEL', jk)
    local idx = TERMINAL_INDEX[st]
    if idx then redis.call('ZREM', idx, hid) end
    return nil
  end
  return st
end

-- Ready order: score -priority (higher first); within a score, members sort by the fixed-width
-- enqueue sequence number (sq, the first 16 hex digits of m) in front of the hid, i.e. FIFO. A requeued job keeps
-- its sequence number, hence its place.
local function add_ready(jk, hid)
  local sq, _, ps = unpack_m(redis.call('HGET', jk, 'm'))
  redis.call('ZADD', K_READY, ps, sq .. hid)
end

local function remove_ready(jk, hid)
  redis.call('ZREM', K_READY, string.sub(redis.call('HGET', jk, 'm'), 1, 16) .. hid)
end

-- An operator's requeue (retryJob, retryAll, promote): QUEUED now, last of its priority (seq, a
-- fresh number from K_SEQ, replaces sq in m), ready-at now. The ready-set write is deferred
-- (index_later): the caller flushes.
local function requeue_last(jk, hid, m, seq)
  local sq = string.format('%016x', seq)
  local _, _, ps = unpack_m(m)
  redis.call('HSET', jk, 'st', 'QUEUED', 'm', sq .. string.sub(m, 17), 'rt', NOW_S)
  index_later('ZADD', K_READY, ps, sq .. hid)
end

-- Operator calls (retryJob, retryAll, deleteJob, purge, promote, setPaused) are not fenced like a
-- worker's transitions: resent after a lost reply, a purge would delete another page and a
-- deleteJob would report NOT_FOUND. Each runs its body once per call nonce (ARGV[4]): the reply
-- (a string or an integer) is kept for a minute under the nonce, and a resend gets it back.
local function once(body)
  local memo = BASE .. 'op:' .. ARGV[4]
  local previous = redis.call('GET', memo)
  if previous then return previous end
  local reply = body()
  redis.call('SET', memo, tostring(reply), 'PX', '60000')
  return reply
end

-- Wake tokens let idle claimers (BLPOP on the wake list) return within milliseconds; capped so
-- the list stays small whatever the traffic. token: '1' (work may be there), or 'r' (the queue
-- was resumed: it also wakes the claimers that wait out a pause; see IdleClaimers); default '1'.
local function wake(n, token)
  if n <= 0 then return end
  local room = WAKE_CAP - redis.call('LLEN', K_WAKE)
  if room <= 0 then return end
  if n > room then n = room end
  local tokens = {}
  local t = token or '1'
  for i = 1, n do tokens[i] = t end
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

-- Moves a job to COMPLETED/FAILED/CANCELLED: expiry set in the record (logical, for injected clocks)
-- and on the key (physical), indexed for counts/list (index write deferred: see index_later).
-- ttl is the result TTL in ms as a string; f1/v1 and f2/v2 are optional extra fields to set;
-- notify is the job's nt field: the tag of the one storage instance that waits for the job, '*'
-- when several do, absent when none does; only jobs someone waits for are PUBLISHed. When the
-- only waiter is the caller's own instance (LOCAL_TAG, set by finish()), nothing is published
-- and this returns true: the caller's client tells its listeners itself (no pub/sub round trip).
local LOCAL_TAG = false
local function make_terminal(jk, hid, st, ttl, notify, f1, v1, f2, v2)
  local ex = int(NOW + tonumber(ttl))
  if f2 then
    redis.call('HSET', jk, 'st', st, 'ex', ex, 'fa', NOW_S, f1, v1, f2, v2)
  elseif f1 then
    redis.call('HSET', jk, 'st', st, 'ex', ex, 'fa', NOW_S, f1, v1)
  else
    redis.call('HSET', jk, 'st', st, 'ex', ex, 'fa', NOW_S)
  end
  if SLACK == 0 then
    redis.call('PEXPIRE', jk, ttl)
  else
    redis.call('PEXPIRE', jk, int(tonumber(ttl) + SLACK))
  end
  index_later('ZADD', TERMINAL_INDEX[st], ex, hid)
  if st ~= 'CANCELLED' then finished[st] = finished[st] + 1 end
  if notify then
    if notify == LOCAL_TAG then return true end
    local s = snapshot(jk, hid)
    table.insert(s, 1, hid)
    redis.call('PUBLISH', CHANNEL, encode_fields(s))
  end
  return false
end

-- Drops expired entries from a terminal index (their records expire by themselves), once per
-- script call, so the index follows the live records under steady traffic.
local function trim_terminal(st)
  redis.call('ZREMRANGEBYSCORE', TERMINAL_INDEX[st], '-inf', NOW_S)
end

-- The fields a worker transition reads in one HMGET: state, claim info (token first), ttl, notify.
-- The finishing nonce (fn) is read only when the transition does not apply (see resent()).
local function fenced_fields(jk)
  return redis.call('HMGET', jk, 'st', 'c', 'ttl', 'nt')
end

-- Whether a transition to st that did not apply is this very call resent after a lost reply: the
-- job is in st under the same token and its last transition carried this nonce.
local function resent(jk, v, st, token, nonce)
  return v[1] == st and holds(v[2], token) and redis.call('HGET', jk, 'fn') == nonce
end

-- The fenced, resend-safe loop every worker transition shares (finish, retry, release). ARGV[first - 1]
-- = n, then per job `stride` values: hid, token, ..., nonce (last). For a job PROCESSING under that
-- token, apply(jk, hid, v, a, nonce) makes the transition to st and returns the job's reply (v: the
-- fenced_fields, a: the index of its first value); a resend of this very call after a lost reply
-- (the job is in st under the token with this nonce) replies resent(jk, hid, v), or 1 without it;
-- anything else is 0 (lease lost). Returns the replies in input order.
local function each_fenced(first, stride, st, apply, resent_reply)
  local n = tonumber(ARGV[first - 1])
  local out = {}
  for i = 0, n - 1 do
    local a = first + i * stride
    local hid, token, nonce = ARGV[a], ARGV[a + 1], ARGV[a + stride - 1]
    local jk = JOB .. hid
    local v = fenced_fields(jk)
    if v[1] == 'PROCESSING' and holds(v[2], token) then
      out[i + 1] = apply(jk, hid, v, a, nonce)
    elseif resent(jk, v, st, token, nonce) then
      out[i + 1] = resent_reply and resent_reply(jk, hid, v) or 1
    else
      out[i + 1] = 0
    end
  end
  return out
end

-- PROCESSING -> terminal state st ('COMPLETED' with the result in field 'res', 'FAILED' with the
-- error in 'err'), for complete.lua and fail.lua.
-- ARGV[4] = the caller's notify tag (see make_terminal), ARGV[5] = n, then per job: hid, token,
-- value, resultTtlMs ('' = the job's own), nonce.
-- Reply per job: 1 applied, 0 lease lost, or the job's snapshot fields when applied and only the
-- caller's own instance waits for it (it notifies its listeners from that); a resend of an
-- applied call (same nonce, after a lost reply) reports the same, any other call with that token 0.
local function finish(st, field)
  LOCAL_TAG = ARGV[4]
  local out = each_fenced(6, 5, st, function(jk, hid, v, a, nonce)
    index_later('ZREM', K_LEASES, hid)
    local ttl = ARGV[a + 3]
    if ttl == '' then ttl = v[3] end
    if make_terminal(jk, hid, st, ttl, v[4], field, ARGV[a + 2], 'fn', nonce) then
      return snapshot(jk, hid)
    end
    return 1
  end, function(jk, hid, v)
    if v[4] and v[4] == LOCAL_TAG then return snapshot(jk, hid) end
    return 1
  end)
  flush_indexes()
  trim_terminal(st)
  return out
end
