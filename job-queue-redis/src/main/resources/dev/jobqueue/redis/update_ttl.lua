-- updateResultTtl. ARGV[4] = hid, ARGV[5] = ttlMs. Reply: the TtlUpdateResult name.
local hid = ARGV[4]
local jk = JOB .. hid
local st = live_state(jk, hid)
if not st then return 'NOT_FOUND' end
if st ~= 'COMPLETED' and st ~= 'FAILED' then return 'NOT_TERMINAL' end
local ttl = tonumber(ARGV[5])
local ex = int(NOW + ttl)
redis.call('HSET', jk, 'ex', ex)
redis.call('PEXPIRE', jk, int(ttl + SLACK))
redis.call('ZADD', TERMINAL_INDEX[st], ex, hid)
return 'UPDATED'
