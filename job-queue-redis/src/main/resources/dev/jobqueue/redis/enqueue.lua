-- enqueue / enqueueBatch. ARGV[4] = wake tokens to withhold (a claim for an idle claimer of the
-- caller's process follows in the same pipeline and takes up to that many jobs), ARGV[5] = n, then per job: id, payload, priority, delayMs, runAtMs ('' = none),
-- maxAttempts, maxStalls, resultTtlMs, notify (0/1), nonce (identifies this call so a retried call
-- whose first reply was lost still reports "created").
-- Reply per job: {1} created, or {0, <snapshot fields>} for the existing job.
local withhold = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local out = {}
local ready = 0
-- sequence numbers for this call come from one INCRBY (gaps, when some jobs are duplicates, are harmless)
local next_seq, last_seq = 1, 0
for i = 0, n - 1 do
  local a = 6 + i * 10
  local id = ARGV[a]
  local jk = job_key(id)
  local st = live_state(jk, id)
  if st == 'CANCELLED' then
    redis.call('DEL', jk)
    redis.call('ZREM', K_CANCELLED, id)
    st = nil
  end
  if st then
    if redis.call('HGET', jk, 'rq') == ARGV[a + 9] then
      out[#out + 1] = { 1 }
    else
      if ARGV[a + 8] == '1' then redis.call('HSET', jk, 'nt', '1') end
      local s = snapshot(jk)
      table.insert(s, 1, 0)
      out[#out + 1] = s
    end
  else
    if next_seq > last_seq then
      last_seq = redis.call('INCRBY', K_SEQ, n)
      next_seq = last_seq - n + 1
    end
    local seq = next_seq
    next_seq = next_seq + 1
    local run_at
    if ARGV[a + 4] ~= '' then run_at = tonumber(ARGV[a + 4]) else run_at = NOW + tonumber(ARGV[a + 3]) end
    local delayed = run_at > NOW
    redis.call('HSET', jk, 'st', delayed and 'DELAYED' or 'QUEUED', 'id', id, 'pl', ARGV[a + 1],
        'pr', ARGV[a + 2], 'ca', NOW, 'at', 0, 'ma', ARGV[a + 5], 'ms', ARGV[a + 6], 'stl', 0,
        'ttl', ARGV[a + 7], 'nt', ARGV[a + 8], 'rq', ARGV[a + 9], 'sq', seq)
    if delayed then
      redis.call('HSET', jk, 'ra', run_at)
      redis.call('ZADD', K_DELAYED, run_at, id)
      -- idle claimers recompute how long to wait (they block until the next due time at most)
      ready = ready + 1
    else
      add_ready_later(ARGV[a + 2], seq, id)
      ready = ready + 1
    end
    out[#out + 1] = { 1 }
  end
end
flush_indexes()
wake(ready - math.min(withhold, ready))
return out
