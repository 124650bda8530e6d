-- updateResultTtl: a terminal record's new expiry. Java side: UpdateTtlScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (key base, now, expiry slack; see the prelude); [4] hid; [5] ttl ms.
-- Reply: the TtlUpdateResult name (UPDATED, NOT_FOUND, NOT_TERMINAL).
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
