-- retry: PROCESSING -> FAILING, due backoffMs from now. ARGV[4] = n, then per job: id, token,
-- backoffMs, lastErrorJson, nonce. Reply per job: 1 applied, 0 lease lost (a resend of an applied
-- call, same nonce, reports 1).
local n = tonumber(ARGV[4])
local out = {}
local waiting = 0
for i = 0, n - 1 do
  local a = 5 + i * 5
  local id, token, nonce = ARGV[a], ARGV[a + 1], ARGV[a + 4]
  local jk = job_key(id)
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and v[2] == token then
    local run_at = NOW + tonumber(ARGV[a + 2])
    redis.call('ZREM', K_LEASES, id)
    redis.call('HSET', jk, 'st', 'FAILING', 'ra', run_at, 'err', ARGV[a + 3], 'fn', nonce)
    redis.call('ZADD', K_FAILING, run_at, id)
    waiting = waiting + 1
    out[#out + 1] = 1
  elseif v[1] == 'FAILING' and v[2] == token and v[5] == nonce then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
-- idle claimers recompute how long to wait for the earliest due job
wake(waiting)
return out
