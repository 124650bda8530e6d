-- extend (heartbeat). ARGV[4] = leaseMs, ARGV[5] = n, then per lease: id, token.
-- Reply per lease: 1 extended, 0 lost.
local deadline = NOW + tonumber(ARGV[4])
local n = tonumber(ARGV[5])
local out = {}
for i = 0, n - 1 do
  local id, token = ARGV[6 + i * 2], ARGV[7 + i * 2]
  local jk = job_key(id)
  local v = redis.call('HMGET', jk, 'st', 'tok')
  if v[1] == 'PROCESSING' and v[2] == token then
    redis.call('HSET', jk, 'ld', deadline)
    redis.call('ZADD', K_LEASES, deadline, id)
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
