-- requeueExpired (the Reaper): each expired lease counts a stall; over maxStalls -> FAILED
-- "stalled too often", else QUEUED. Java side: RequeueExpiredScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude); [4] limit; [5] the stalled error as encoded by
--       JobErrorCodec, with a %d for each number only known here (a string.format template);
--       [6] the order of those numbers in [5] ('s' stalls, 'm' maxStalls, 'a' attempts, 'f' failedAt).
-- Reply: {hid, workerId, stalls, newState} per job.
-- Reads the lease index only, oldest deadline first: it is the lease deadline's only record, so
-- every member it returns has expired.
local ERR_TEMPLATE, ERR_ORDER = ARGV[5], ARGV[6]
local hids = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', NOW_S, 'LIMIT', 0, ARGV[4])
local out = {}
local ready = 0
for _, hid in ipairs(hids) do
  local jk = JOB .. hid
  redis.call('ZREM', K_LEASES, hid)
  local v = redis.call('HMGET', jk, 'st', 'c', 'stl', 'm', 'ttl', 'nt')
  if v[1] == 'PROCESSING' then
    local _, attempt, worker = string.match(v[2], '^(%d+)|(%d+)|(.*)$')
    local stalls = (tonumber(v[3]) or 0) + 1
    local _, _, _, _, ms = unpack_m(v[4])
    local max_stalls = tonumber(ms)
    redis.call('HSET', jk, 'stl', int(stalls))
    if stalls > max_stalls then
      local values = { s = stalls, m = max_stalls, a = tonumber(attempt), f = NOW }
      local err = string.format(ERR_TEMPLATE, values[string.sub(ERR_ORDER, 1, 1)], values[string.sub(ERR_ORDER, 2, 2)],
          values[string.sub(ERR_ORDER, 3, 3)], values[string.sub(ERR_ORDER, 4, 4)])
      make_terminal(jk, hid, 'FAILED', v[5], v[6], 'err', err)
      out[#out + 1] = { hid, worker, stalls, 'FAILED' }
    else
      redis.call('HSET', jk, 'st', 'QUEUED', 'rt', NOW_S)
      add_ready(jk, hid)
      ready = ready + 1
      out[#out + 1] = { hid, worker, stalls, 'QUEUED' }
    end
  end
end
flush_indexes()
wake(ready)
trim_terminal('FAILED')
return out
