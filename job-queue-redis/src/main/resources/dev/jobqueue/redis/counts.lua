-- counts: the number of jobs per state. Java side: CountsScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head (see the prelude).
-- Reply: {queued, delayed, processing, failing, completed, failed, cancelled}.
-- Terminal indexes are scored by expiry, so expired records are not counted.
local after = '(' .. NOW_S
return {
  redis.call('ZCARD', K_READY), redis.call('ZCARD', K_DELAYED), redis.call('ZCARD', K_LEASES),
  redis.call('ZCARD', K_FAILING),
  redis.call('ZCOUNT', K_COMPLETED, after, '+inf'), redis.call('ZCOUNT', K_FAILED, after, '+inf'),
  redis.call('ZCOUNT', K_CANCELLED, after, '+inf')
}
