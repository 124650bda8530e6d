-- setPaused / isPaused: the queue's durable pause flag. Java side: PauseScript.
-- KEYS: [1..10] the queue's fixed keys (see the prelude); [11] the queue's pause flag (a string
--       key in the queue's slot; claim.lua reads it).
-- ARGV: [1..3] the common head (see the prelude); [4] nonce of the call (see once() in the
--       prelude; '' to only read the flag); [5] '1' pause, '0' resume, '' only read it.
-- Reply: for '1'/'0' 1 when the flag changed, 0 when it already was so; for '' 1 paused, 0 not.
-- A resume replaces the wake list's tokens with resume tokens ('r'), as many as its cap: every
-- process's wake listener blocked on the list gets one at once and wakes all of its claimers that
-- wait out the pause (and one idle claimer).
local K_PAUSED = KEYS[11]
local want = ARGV[5]
if want == '' then
  return redis.call('EXISTS', K_PAUSED)
end
return once(function()
  if want == '1' then
    if redis.call('SET', K_PAUSED, '1', 'NX') then return 1 end
    return 0
  end
  if redis.call('DEL', K_PAUSED) == 0 then return 0 end
  -- the resume tokens replace whatever the list holds: a list full of work tokens must not keep
  -- them out (a resume token wakes an idle claimer too)
  redis.call('DEL', K_WAKE)
  wake(WAKE_CAP, 'r')
  return 1
end)
