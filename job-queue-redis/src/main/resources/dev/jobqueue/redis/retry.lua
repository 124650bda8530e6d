-- retry: PROCESSING -> FAILING, due backoffMs from now. ARGV[4] = n, then per job: id, token,
-- backoffMs, lastErrorJson, nonce. Reply per job: 1 applied, 0 lease lost (a resend of an applied call,
-- same nonce, reports 1).
local n = tonumber(ARGV[4])
local out = {}
for i = 0, n - 1 do
  local a = 5 + i * 5
  local id, token = ARGV[a], ARGV[a + 1]
  local jk = job_key(id)
  local held, st, tok = holds_lease(jk, token)
  if held then
    redis.call('HSET', jk, 'fn', ARGV[a + 4])
    local run_at = NOW + tonumber(ARGV[a + 2])
    redis.call('ZREM', K_LEASES, id)
    redis.call('HSET', jk, 'st', 'FAILING', 'ra', run_at, 'err', ARGV[a + 3])
    redis.call('HDEL', jk, 'wk', 'ld')
    redis.call('ZADD', K_FAILING, run_at, id)
    out[#out + 1] = 1
  elseif st == 'FAILING' and tok == token and redis.call('HGET', jk, 'fn') == ARGV[a + 4] then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
