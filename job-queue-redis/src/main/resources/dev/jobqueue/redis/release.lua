-- release / unclaim: PROCESSING -> QUEUED at once (graceful shutdown hands the job back); not a
-- stall. Java side: ReleaseScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] n; then n items of 4: hid, token, unstarted
--       ('1': the handler never ran, so the claim's attempt is taken back), nonce.
-- Reply: per item 1 applied, 0 lease lost (a resend of an applied call, same nonce, reports 1;
--       see each_fenced in the prelude).
local ready = 0
local out = each_fenced(5, 4, 'QUEUED', function(jk, hid, v, a, nonce)
  redis.call('ZREM', K_LEASES, hid)
  if ARGV[a + 2] == '1' then
    -- the claim info keeps its token (a resend still recognises it) with one attempt less
    local worker = string.match(v[2], '^%d+|%d+|(.*)$')
    redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce, 'rt', NOW_S,
        'c', ARGV[a + 1] .. '|' .. int(attempts(v[2]) - 1) .. '|' .. worker)
  else
    redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce, 'rt', NOW_S)
  end
  add_ready(jk, hid)
  ready = ready + 1
  return 1
end)
wake(ready)
return out
