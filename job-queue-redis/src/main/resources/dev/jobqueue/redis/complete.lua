-- complete. ARGV[4] = n, then per job: id, token, result, resultTtlMs ('' = the job's own),
-- nonce (identifies the call). Reply per job: 1 applied, 0 lease lost; a resend of an applied call
-- (same nonce, after a lost reply) reports 1, any other call with that token 0.
local n = tonumber(ARGV[4])
local out = {}
for i = 0, n - 1 do
  local a = 5 + i * 5
  local id, token = ARGV[a], ARGV[a + 1]
  local jk = job_key(id)
  local held, st, tok = holds_lease(jk, token)
  if held then
    redis.call('HSET', jk, 'fn', ARGV[a + 4])
    redis.call('ZREM', K_LEASES, id)
    redis.call('HSET', jk, 'res', ARGV[a + 2])
    local ttl = ARGV[a + 3]
    if ttl == '' then ttl = redis.call('HGET', jk, 'ttl') end
    make_terminal(jk, id, 'COMPLETED', tonumber(ttl))
    out[#out + 1] = 1
  elseif st == 'COMPLETED' and tok == token and redis.call('HGET', jk, 'fn') == ARGV[a + 4] then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
return out
