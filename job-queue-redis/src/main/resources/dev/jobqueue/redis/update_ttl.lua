-- updateResultTtl. ARGV[4] = id, ARGV[5] = ttlMs. Reply: the TtlUpdateResult name.
local id = ARGV[4]
local jk = job_key(id)
local st = live_state(jk, id)
if not st then return 'NOT_FOUND' end
if st ~= 'COMPLETED' and st ~= 'FAILED' then return 'NOT_TERMINAL' end
local ttl = tonumber(ARGV[5])
local ex = NOW + ttl
redis.call('HSET', jk, 'ex', ex)
redis.call('PEXPIRE', jk, ttl + SLACK)
redis.call('ZADD', TERMINAL_INDEX[st], ex, id)
return 'UPDATED'
