-- snooze: PROCESSING -> DELAYED, due delay ms from now, and the attempt the claim counted is taken
-- back (the handler asked to run the job later; not a failure, not a stall). Java side: SnoozeScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] n; then n items of 4: hid, token, delay ms, nonce.
-- Reply: per item 1 applied, 0 lease lost (a resend of an applied call, same nonce, reports 1;
--       see each_fenced in the prelude).
-- The claim info keeps its token (a resend still recognises it) with one attempt less; error,
-- stalls and the enqueue sequence (FIFO place among jobs of the same due time) are unchanged.
local waiting = 0
local out = each_fenced(5, 4, 'DELAYED', function(jk, hid, v, a, nonce)
  local run_at = int(NOW + tonumber(ARGV[a + 2]))
  local worker = string.match(v[2], '^%d+|%d+|(.*)$')
  index_later('ZREM', K_LEASES, hid)
  redis.call('HSET', jk, 'st', 'DELAYED', 'ra', run_at, 'fn', nonce,
      'c', ARGV[a + 1] .. '|' .. int(attempts(v[2]) - 1) .. '|' .. worker)
  index_later('ZADD', K_DELAYED, run_at, hid)
  waiting = waiting + 1
  return 1
end)
flush_indexes()
-- idle claimers recompute how long to wait for the earliest due job
wake(waiting)
return out
