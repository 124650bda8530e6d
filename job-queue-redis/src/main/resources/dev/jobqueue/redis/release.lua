-- release: PROCESSING -> QUEUED at once (graceful shutdown); not a stall. ARGV[4] = n, then per job:
-- hid, token, nonce. Reply per job: 1 applied, 0 lease lost (a resend of an applied call, same nonce,
-- reports 1).
local n = tonumber(ARGV[4])
local out = {}
local ready = 0
for i = 0, n - 1 do
  local hid, token, nonce = ARGV[5 + i * 3], ARGV[6 + i * 3], ARGV[7 + i * 3]
  local jk = JOB .. hid
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and holds(v[2], token) then
    redis.call('ZREM', K_LEASES, hid)
    redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce)
    add_ready(jk, hid)
    ready = ready + 1
    out[i + 1] = 1
  elseif resent(jk, v, 'QUEUED', token, nonce) then
    out[i + 1] = 1
  else
    out[i + 1] = 0
  end
end
wake(ready)
return out
