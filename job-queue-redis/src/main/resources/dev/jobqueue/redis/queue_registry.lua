-- The storage's registry of queue names (queueNames). Java side: QueueRegistryScript.
-- KEYS: [1] the registry, a set "<prefix>:queues" of queue names (raw UTF-8); it is outside every
--       queue's hash tag, so it is written by this script of its own, never by a job transition.
-- ARGV: [1..3] a head (ARGV[1] the prefix; [2] '0', so the prelude does not ask for TIME; [3] '0');
--       [4] the queue name to add, or '' to read the registry.
-- Reply: for a name, 1 when it was new, else 0; for '', every registered name.
-- (The prelude's KEYS names refer to nothing here; only KEYS[1] is used.)
if ARGV[4] == '' then
  return redis.call('SMEMBERS', KEYS[1])
end
return redis.call('SADD', KEYS[1], ARGV[4])
