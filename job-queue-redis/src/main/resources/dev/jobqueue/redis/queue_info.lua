-- queueNames / finishedTotals: what operator tools read about one queue. Java side: QueueInfoScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the queue's pause flag.
-- ARGV: [1..3] the common head (see the prelude); [4] 'live' or 'totals'.
-- Reply: for 'live' 1 when the queue has a live job (in any state) or the pause flag, else 0;
--        for 'totals' {completed, failed} from the hash BASE .. 'totals' (see flush_indexes() in
--        the prelude), 0 for a counter never incremented.
-- 'live' costs one EXISTS of the five keys that hold a waiting or running job or the flag (an empty
-- sorted set does not exist), then at most one ZCOUNT per terminal index (its expired entries are
-- only trimmed by the next finishing script, so the index alone could list an expired record).
if ARGV[4] == 'totals' then
  local v = redis.call('HMGET', BASE .. 'totals', 'c', 'f')
  return { tonumber(v[1]) or 0, tonumber(v[2]) or 0 }
end
if redis.call('EXISTS', K_READY, K_DELAYED, K_FAILING, K_LEASES, KEYS[11]) > 0 then
  return 1
end
local after = '(' .. NOW_S
for _, k in ipairs({ K_COMPLETED, K_FAILED, K_CANCELLED }) do
  if redis.call('ZCOUNT', k, after, '+inf') > 0 then return 1 end
end
return 0
