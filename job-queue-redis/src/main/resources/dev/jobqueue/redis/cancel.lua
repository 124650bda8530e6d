-- cancel. ARGV[4] = hid. Reply: the CancelResult name.
local hid = ARGV[4]
local jk = JOB .. hid
local st = live_state(jk, hid)
if not st then return 'NOT_FOUND' end
if st == 'QUEUED' then
  remove_ready(jk, hid)
elseif st == 'DELAYED' then
  redis.call('ZREM', K_DELAYED, hid)
elseif st == 'FAILING' then
  redis.call('ZREM', K_FAILING, hid)
else
  return st
end
local v = redis.call('HMGET', jk, 'ttl', 'nt')
make_terminal(jk, hid, 'CANCELLED', v[1], v[2])
flush_indexes()
trim_terminal('CANCELLED')
return 'CANCELLED'
