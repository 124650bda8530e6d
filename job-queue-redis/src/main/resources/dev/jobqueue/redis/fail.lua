-- fail. ARGV[4] = n, then per job: id, token, errorJson, resultTtlMs ('' = the job's own), nonce.
-- Reply per job: 1 applied, 0 lease lost (a resend of an applied call, same nonce, reports 1).
local n = tonumber(ARGV[4])
local out = {}
for i = 0, n - 1 do
  local a = 5 + i * 5
  local id, token, nonce = ARGV[a], ARGV[a + 1], ARGV[a + 4]
  local jk = job_key(id)
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and v[2] == token then
    index_later('ZREM', K_LEASES, id)
    local ttl = ARGV[a + 3]
    if ttl == '' then ttl = v[3] end
    make_terminal(jk, id, 'FAILED', tonumber(ttl), v[4], { 'err', ARGV[a + 2], 'fn', nonce })
    out[#out + 1] = 1
  elseif v[1] == 'FAILED' and v[2] == token and v[5] == nonce then
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
flush_indexes()
trim_terminal('FAILED')
return out
