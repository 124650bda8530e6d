-- retry: PROCESSING -> FAILING, due backoff ms from now. Java side: RetryScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] n; then n items of 5: hid, token, backoff ms,
--       the last error as encoded by JobErrorCodec, nonce.
-- Reply: per item 1 applied, 0 lease lost (a resend of an applied call, same nonce, reports 1;
--       see each_fenced in the prelude).
local waiting = 0
local out = each_fenced(5, 5, 'FAILING', function(jk, hid, v, a, nonce)
  local run_at = int(NOW + tonumber(ARGV[a + 2]))
  index_later('ZREM', K_LEASES, hid)
  redis.call('HSET', jk, 'st', 'FAILING', 'ra', run_at, 'err', ARGV[a + 3], 'fn', nonce)
  index_later('ZADD', K_FAILING, run_at, hid)
  waiting = waiting + 1
  return 1
end)
flush_indexes()
-- idle claimers recompute how long to wait for the earliest due job
wake(waiting)
return out
