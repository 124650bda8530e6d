-- extend (the heartbeat): moves lease deadlines. Java side: ExtendScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] lease ms; [5] n; then n items of 2: hid, token.
-- Reply: per lease 1 extended, 0 lost.
local deadline = int(NOW + tonumber(ARGV[4]))
local n = tonumber(ARGV[5])
local out = {}
for i = 0, n - 1 do
  local hid, token = ARGV[6 + i * 2], ARGV[7 + i * 2]
  local jk = JOB .. hid
  local v = redis.call('HMGET', jk, 'st', 'c')
  if v[1] == 'PROCESSING' and holds(v[2], token) then
    index_later('ZADD', K_LEASES, deadline, hid)
    out[i + 1] = 1
  else
    out[i + 1] = 0
  end
end
flush_indexes()
return out
