-- promote: DELAYED/FAILING -> QUEUED now, last of its priority, ahead of its due time. Java side:
-- PromoteScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] nonce of the call (see once() in the
--       prelude); [5] hid.
-- Reply: the PromoteResult name (PROMOTED, NOT_FOUND, NOT_DELAYED).
return once(function()
  local hid = ARGV[5]
  local jk = JOB .. hid
  local st = live_state(jk, hid)
  if not st then return 'NOT_FOUND' end
  if st == 'DELAYED' then
    redis.call('ZREM', K_DELAYED, hid)
  elseif st == 'FAILING' then
    redis.call('ZREM', K_FAILING, hid)
  else
    return 'NOT_DELAYED'
  end
  requeue_last(jk, hid, redis.call('HGET', jk, 'm'), redis.call('INCR', K_SEQ))
  flush_indexes()
  wake(1)
  return 'PROMOTED'
end)
