-- enqueue / enqueueAsync / enqueueBatch. Java side: EnqueueScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] wake tokens to withhold (a claim for an idle
--       claimer of the caller's process follows in the same pipeline and takes up to that many
--       jobs); [5] n; then n items of 8:
--         hid; payload; ready score (-priority); "<maxAttempts>|<maxStalls>|<nonce>" (the tail of
--         m; the nonce identifies this call so a retried call whose first reply was lost still
--         reports "created"); when ('' = now, '+<ms>' = delay, '<ms>' = absolute run-at);
--         result TTL ms; notify ('0' = nobody waits, else the waiting storage instance's tag;
--         a second, different tag makes it '*'); metadata as encoded by the client ('' = none,
--         then no md field is written).
-- Reply: per job 1 created, or {<snapshot fields>} of the existing job (a duplicate).
local withhold = tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local out = {}
local ready = 0
-- sequence numbers for this call come from one INCRBY (gaps, when some jobs are duplicates, are harmless)
local next_seq, last_seq = 1, 0
for i = 0, n - 1 do
  local a = 6 + i * 8
  local hid = ARGV[a]
  local jk = JOB .. hid
  local st
  if redis.call('EXISTS', jk) == 1 then
    st = live_state(jk, hid)
    if st == 'CANCELLED' then
      redis.call('DEL', jk)
      redis.call('ZREM', K_CANCELLED, hid)
      st = nil
    end
  end
  if st then
    local _, _, _, _, _, rq = unpack_m(redis.call('HGET', jk, 'm'))
    if rq == string.match(ARGV[a + 3], '([^|]*)$') then
      out[i + 1] = 1
    else
      local want = ARGV[a + 6]
      if want ~= '0' then
        local cur = redis.call('HGET', jk, 'nt')
        if not cur then
          redis.call('HSET', jk, 'nt', want)
        elseif cur ~= want then
          redis.call('HSET', jk, 'nt', '*')
        end
      end
      out[i + 1] = snapshot(jk, hid)
    end
  else
    if next_seq > last_seq then
      last_seq = redis.call('INCRBY', K_SEQ, n)
      next_seq = last_seq - n + 1
    end
    local sq = string.format('%016x', next_seq)
    next_seq = next_seq + 1
    local score = ARGV[a + 2]
    local m = sq .. '|' .. NOW_S .. '|' .. score .. '|' .. ARGV[a + 3]
    local when = ARGV[a + 4]
    local run_at
    if when ~= '' then
      if string.byte(when) == 43 then run_at = NOW + tonumber(string.sub(when, 2)) else run_at = tonumber(when) end
    end
    local state = 'QUEUED'
    if run_at and run_at > NOW then state = 'DELAYED' end
    -- one HSET whatever the optional fields (notify, metadata, due time)
    local fields = { 'st', state, 'pl', ARGV[a + 1], 'm', m, 'ttl', ARGV[a + 5] }
    local f = 8
    if ARGV[a + 6] ~= '0' then
      fields[f + 1], fields[f + 2] = 'nt', ARGV[a + 6]
      f = f + 2
    end
    if ARGV[a + 7] ~= '' then
      fields[f + 1], fields[f + 2] = 'md', ARGV[a + 7]
      f = f + 2
    end
    local ra
    if state == 'DELAYED' then
      ra = int(run_at)
      fields[f + 1], fields[f + 2] = 'ra', ra
    end
    redis.call('HSET', jk, unpack(fields))
    if ra then
      redis.call('ZADD', K_DELAYED, ra, hid)
    else
      index_later('ZADD', K_READY, score, sq .. hid)
    end
    -- a delayed job wakes idle claimers too: they recompute how long to wait (until the next due time at most)
    ready = ready + 1
    out[i + 1] = 1
  end
end
flush_indexes()
wake(ready - math.min(withhold, ready))
return out
