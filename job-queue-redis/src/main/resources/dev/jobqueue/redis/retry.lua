-- retry: PROCESSING -> FAILING, due backoffMs from now. ARGV[4] = n, then per job: hid, token,
-- backoffMs, lastErrorJson, nonce. Reply per job: 1 applied, 0 lease lost (a resend of an applied
-- call, same nonce, reports 1).
local n = tonumber(ARGV[4])
local out = {}
local waiting = 0
for i = 0, n - 1 do
  local a = 5 + i * 5
  local hid, token, nonce = ARGV[a], ARGV[a + 1], ARGV[a + 4]
  local jk = JOB .. hid
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and holds(v[2], token) then
    local run_at = int(NOW + tonumber(ARGV[a + 2]))
    index_later('ZREM', K_LEASES, hid)
    redis.call('HSET', jk, 'st', 'FAILING', 'ra', run_at, 'err', ARGV[a + 3], 'fn', nonce)
    index_later('ZADD', K_FAILING, run_at, hid)
    waiting = waiting + 1
    out[i + 1] = 1
  elseif resent(jk, v, 'FAILING', token, nonce) then
    out[i + 1] = 1
  else
    out[i + 1] = 0
  end
end
flush_indexes()
-- idle claimers recompute how long to wait for the earliest due job
wake(waiting)
return out
