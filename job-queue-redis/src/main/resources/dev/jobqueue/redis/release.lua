-- release: PROCESSING -> QUEUED at once (graceful shutdown); not a stall. ARGV[4] = n, then per job:
-- id, token, nonce. Reply per job: 1 applied, 0 lease lost (a resend of an applied call, same nonce,
-- reports 1).
local n = tonumber(ARGV[4])
local out = {}
local ready = 0
for i = 0, n - 1 do
  local id, token, nonce = ARGV[5 + i * 3], ARGV[6 + i * 3], ARGV[7 + i * 3]
  local jk = job_key(id)
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and v[2] == token then
    redis.call('ZREM', K_LEASES, id)
    redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce)
    add_ready(jk, id)
    ready = ready + 1
    out[#out + 1] = 1
  elseif v[1] == 'QUEUED' and v[2] == token and v[5] == nonce then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
wake(ready)
return out
