-- fail: PROCESSING -> FAILED with the JobError JSON (see finish() in the prelude for ARGV and reply).
return finish('FAILED', 'err')
