-- requeueExpired (the Reaper). ARGV[4] = limit. Reads the lease index only, oldest deadline first.
-- Each expired lease counts a stall: over maxStalls -> FAILED "stalled too often", else QUEUED.
-- Reply: {hid, workerId, stalls, newState} per job.
local hids = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', NOW_S, 'LIMIT', 0, ARGV[4])
local out = {}
local ready = 0
for _, hid in ipairs(hids) do
  local jk = JOB .. hid
  redis.call('ZREM', K_LEASES, hid)
  local v = redis.call('HMGET', jk, 'st', 'wk', 'stl', 'm', 'at', 'ld', 'ttl', 'nt')
  if v[1] == 'PROCESSING' and tonumber(v[6]) <= NOW then
    local stalls = (tonumber(v[3]) or 0) + 1
    local _, _, _, _, ms = unpack_m(v[4])
    local max_stalls = tonumber(ms)
    redis.call('HSET', jk, 'stl', int(stalls))
    if stalls > max_stalls then
      local err = string.format(
          '{"type":"dev.jobqueue.StalledTooOften","message":"job stalled %d times (maxStalls %d)","stackTrace":null,"code":null,"attempts":%d,"failedAt":%d}',
          stalls, max_stalls, tonumber(v[5]) or 0, NOW)
      make_terminal(jk, hid, 'FAILED', v[7], v[8], 'err', err)
      out[#out + 1] = { hid, v[2], stalls, 'FAILED' }
    else
      redis.call('HSET', jk, 'st', 'QUEUED')
      add_ready(jk, hid)
      ready = ready + 1
      out[#out + 1] = { hid, v[2], stalls, 'QUEUED' }
    end
  end
end
flush_indexes()
wake(ready)
trim_terminal('FAILED')
return out
