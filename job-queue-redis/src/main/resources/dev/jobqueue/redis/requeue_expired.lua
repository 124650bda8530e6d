-- requeueExpired (the Reaper). ARGV[4] = limit. Reads the lease index only, oldest deadline first.
-- Each expired lease counts a stall: over maxStalls -> FAILED "stalled too often", else QUEUED.
-- The leases index is the lease deadline's only record, so every member it returns has expired.
-- Reply: {hid, workerId, stalls, newState} per job.
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
      local err = string.format(
          '{"type":"dev.jobqueue.StalledTooOften","message":"job stalled %d times (maxStalls %d)","stackTrace":null,"code":null,"attempts":%d,"failedAt":%d}',
          stalls, max_stalls, tonumber(attempt), NOW)
      make_terminal(jk, hid, 'FAILED', v[5], v[6], 'err', err)
      out[#out + 1] = { hid, worker, stalls, 'FAILED' }
    else
      redis.call('HSET', jk, 'st', 'QUEUED')
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
