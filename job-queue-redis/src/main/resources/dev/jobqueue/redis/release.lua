-- release / unclaim: PROCESSING -> QUEUED at once (graceful shutdown hands the job back); not a
-- stall. ARGV[4] = n, then per job: hid, token, unstarted ('1': the handler never ran, so the
-- claim's attempt is taken back), nonce. Reply per job: 1 applied, 0 lease lost (a resend of an
-- applied call, same nonce, reports 1).
local n = tonumber(ARGV[4])
local out = {}
local ready = 0
for i = 0, n - 1 do
  local a = 5 + i * 4
  local hid, token, unstarted, nonce = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3]
  local jk = JOB .. hid
  local v = fenced_fields(jk)
  if v[1] == 'PROCESSING' and holds(v[2], token) then
    redis.call('ZREM', K_LEASES, hid)
    if unstarted == '1' then
      -- the claim info keeps its token (a resend still recognises it) with one attempt less
      local worker = string.match(v[2], '^%d+|%d+|(.*)$')
      redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce,
          'c', token .. '|' .. int(attempts(v[2]) - 1) .. '|' .. worker)
    else
      redis.call('HSET', jk, 'st', 'QUEUED', 'fn', nonce)
    end
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
