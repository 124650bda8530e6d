-- complete: PROCESSING -> COMPLETED with the result (see finish() in the prelude for ARGV and reply).
return finish('COMPLETED', 'res')
