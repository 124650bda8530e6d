-- requeueExpired (the Reaper). ARGV[4] = limit. Reads the lease index only, oldest deadline first.
-- Each expired lease counts a stall: over maxStalls -> FAILED "stalled too often", else QUEUED.
-- Reply: {id, workerId, stalls, newState} per job.
local ids = redis.call('ZRANGEBYSCORE', K_LEASES, '-inf', NOW, 'LIMIT', 0, tonumber(ARGV[4]))
local out = {}
local ready = 0
for _, id in ipairs(ids) do
  local jk = job_key(id)
  redis.call('ZREM', K_LEASES, id)
  local v = redis.call('HMGET', jk, 'st', 'wk', 'stl', 'ms', 'at', 'ld', 'ttl', 'nt')
  if v[1] == 'PROCESSING' and tonumber(v[6]) <= NOW then
    local stalls = tonumber(v[3]) + 1
    local max_stalls = tonumber(v[4])
    redis.call('HSET', jk, 'stl', stalls)
    if stalls > max_stalls then
      local err = string.format(
          '{"type":"dev.jobqueue.StalledTooOften","message":"job stalled %d times (maxStalls %d)","stackTrace":null,"code":null,"attempts":%d,"failedAt":%d}',
          stalls, max_stalls, tonumber(v[5]), NOW)
      make_terminal(jk, id, 'FAILED', tonumber(v[7]), v[8], { 'err', err })
      out[#out + 1] = { id, v[2], stalls, 'FAILED' }
    else
      redis.call('HSET', jk, 'st', 'QUEUED')
      add_ready(jk, id)
      ready = ready + 1
      out[#out + 1] = { id, v[2], stalls, 'QUEUED' }
    end
  end
end
flush_indexes()
wake(ready)
trim_terminal('FAILED')
return out
