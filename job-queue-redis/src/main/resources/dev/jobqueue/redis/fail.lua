-- fail: PROCESSING -> FAILED with the error. Java side: FinishScript.fail.
-- KEYS: [1..10] the queue's fixed keys (see the prelude).
-- ARGV: [1..3] the common head; [4] the caller's notify tag; [5] n; then n items of 5: hid, token,
--       the JobError as encoded by JobErrorCodec, result TTL ms ('' = the job's own), nonce
--       (see finish() in the prelude).
-- Reply: per item 1 applied, 0 lease lost, or the job's snapshot fields (applied, and only the
--       caller's own instance waits for it).
return finish('FAILED', 'err')
