-- cancel: QUEUED/DELAYED/FAILING -> CANCELLED. Java side: CancelScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] hid (hex of the id's UTF-8).
-- Reply: the CancelResult name (CANCELLED, NOT_FOUND, or the state that cannot be cancelled).
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
else
  return st
end
local v = redis.call('HMGET', jk, 'ttl', 'nt')
make_terminal(jk, hid, 'CANCELLED', v[1], v[2])
flush_indexes()
trim_terminal('CANCELLED')
return 'CANCELLED'
