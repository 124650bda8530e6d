-- retryJob / retryAll (an operator's retry): FAILED/CANCELLED -> QUEUED now, last of its
-- priority, attempts and stalls back to 0; error, result, expiry, claim and timing fields
-- cleared; the record no longer expires. Payload, metadata, limits, TTL and notify stay. The next
-- claim's token comes from the queue's counter, so it is above every earlier token of the job.
-- Java side: OneOrOldestScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] nonce of the call (see once() in the
--       prelude); [5] hid (retryJob) or '' (retryAll);
--       retryAll: [6] the state (FAILED or CANCELLED), [7] limit: the jobs of that state with
--       the earliest expiry, at most limit of them (one call touches at most limit jobs).
-- Reply: retryJob: the RetryResult name (RETRIED, NOT_FOUND, NOT_RETRYABLE); retryAll: the
--       number of jobs retried.
-- m: the job's packed field; seq: its new sequence number (see requeue_last in the prelude).
local function retry_record(jk, hid, st, m, seq)
  index_later('ZREM', TERMINAL_INDEX[st], hid)
  redis.call('PERSIST', jk)
  redis.call('HDEL', jk, 'c', 'stl', 'res', 'err', 'ex', 'fa', 'sa', 'fn', 'ra')
  requeue_last(jk, hid, m, seq)
end

return once(function()
  if ARGV[5] ~= '' then
    local hid = ARGV[5]
    local jk = JOB .. hid
    local st = live_state(jk, hid)
    if not st then return 'NOT_FOUND' end
    if st ~= 'FAILED' and st ~= 'CANCELLED' then return 'NOT_RETRYABLE' end
    retry_record(jk, hid, st, redis.call('HGET', jk, 'm'), redis.call('INCR', K_SEQ))
    flush_indexes()
    wake(1)
    return 'RETRIED'
  end

  local state = ARGV[6]
  local hids = redis.call('ZRANGEBYSCORE', TERMINAL_INDEX[state], '(' .. NOW_S, '+inf', 'LIMIT', 0, ARGV[7])
  if #hids == 0 then return 0 end
  -- one INCRBY numbers the whole page, in expiry order (gaps for skipped entries are harmless)
  local seq = redis.call('INCRBY', K_SEQ, #hids) - #hids
  local n = 0
  for _, hid in ipairs(hids) do
    local jk = JOB .. hid
    local v = redis.call('HMGET', jk, 'st', 'm')
    seq = seq + 1
    if v[1] == state then
      retry_record(jk, hid, state, v[2], seq)
      n = n + 1
    else
      -- the record expired physically before its index entry was trimmed
      index_later('ZREM', TERMINAL_INDEX[state], hid)
    end
  end
  flush_indexes()
  wake(n)
  return n
end)
