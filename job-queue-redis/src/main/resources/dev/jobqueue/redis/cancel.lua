-- cancel. ARGV[4] = id. Reply: the CancelResult name.
local id = ARGV[4]
local jk = job_key(id)
local st = live_state(jk, id)
if not st then return 'NOT_FOUND' end
if st == 'QUEUED' then
  remove_ready(jk, id)
elseif st == 'DELAYED' then
  redis.call('ZREM', K_DELAYED, id)
elseif st == 'FAILING' then
  redis.call('ZREM', K_FAILING, id)
else
  return st
end
local v = redis.call('HMGET', jk, 'ttl', 'nt')
make_terminal(jk, id, 'CANCELLED', tonumber(v[1]), v[2])
flush_indexes()
trim_terminal('CANCELLED')
return 'CANCELLED'
