-- cancel: QUEUED/DELAYED/FAILING/PROCESSING -> CANCELLED. Java side: CancelScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] hid (hex of the id's UTF-8).
-- Reply: the CancelResult name (CANCELLED, NOT_FOUND, or the finished state that cannot be cancelled).
-- A PROCESSING job's lease ends in the same step: it leaves the lease index (the reaper never sees
-- it), and its claim info gets a fresh fencing token from the queue's sequence (attempts and
-- worker kept), so every fenced call with the old token is LEASE_LOST whatever state the job
-- reaches later. Its terminal notice is always published, waiter or not: the worker running it,
-- in whatever process, listens to interrupt the handler. (A resend after a lost reply finds the
-- job CANCELLED and answers CANCELLED again.)
local hid = ARGV[4]
local jk = JOB .. hid
local st = live_state(jk, hid)
if not st then return 'NOT_FOUND' end
if st == 'QUEUED' then
  remove_ready(jk, hid)
elseif st == 'DELAYED' then
  redis.call('ZREM', K_DELAYED, hid)
elseif st == 'FAILING' then
  redis.call('ZREM', K_FAILING, hid)
elseif st ~= 'PROCESSING' then
  return st
end
local v = redis.call('HMGET', jk, 'ttl', 'nt', 'c')
if st == 'PROCESSING' then
  redis.call('ZREM', K_LEASES, hid)
  local token = redis.call('INCR', K_SEQ)
  -- '*': published whoever waits (make_terminal never takes it for the caller's own tag)
  make_terminal(jk, hid, 'CANCELLED', v[1], '*', 'c', int(token) .. string.match(v[3], '^%d+(|.*)$'))
else
  make_terminal(jk, hid, 'CANCELLED', v[1], v[2])
end
flush_indexes()
trim_terminal('CANCELLED')
return 'CANCELLED'
