package dev.jobqueue.redis;

import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.NewJob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Java side of enqueue.lua (enqueue, enqueueAsync, enqueueBatch): the per-job argument items
 * and the per-job replies. Calls are batchable: the executor merges pending ones into one EVALSHA.
 */
final class EnqueueScript {
    /** Jobs per call: each call stays one short script run. */
    private static final int MAX_JOBS_PER_CALL = 256;

    private final LuaScript lua;
    private final ScriptArgs args;
    /** This storage instance's tag, for jobs it will wait for (notifyOnTerminal); see make_terminal. */
    private final byte[] notifyTag;

    EnqueueScript(String prelude, ScriptArgs args, byte[] notifyTag) {
        this.lua = LuaScript.load("enqueue", prelude);
        this.args = args;
        this.notifyTag = notifyTag;
    }

    /**
     * The calls for {@code jobs}: chunks of at most 256 jobs and about MAX_BYTES_PER_EVAL of
     * payload. The first withholds up to {@code withhold} (a decimal number) wake tokens: the jobs
     * a hand-off claim in the same pipeline takes; the others none.
     */
    List<ScriptCall> calls(KeySpace keys, List<NewJob> jobs, byte[] withhold) {
        List<ScriptCall> calls = new ArrayList<>();
        for (int from = 0; from < jobs.size(); ) {
            int to = from;
            long bytes = 0;
            while (to < jobs.size() && to - from < MAX_JOBS_PER_CALL && (to == from
                    || bytes + jobs.get(to).payload().length <= ScriptExecutor.MAX_BYTES_PER_EVAL)) {
                bytes += jobs.get(to).payload().length;
                to++;
            }
            List<NewJob> chunk = jobs.subList(from, to);
            from = to;
            List<byte[]> items = new ArrayList<>(chunk.size() * 8);
            for (NewJob job : chunk) {
                items.add(KeySpace.hexId(job.id()));
                items.add(job.payload());
                items.add(ScriptArgs.ascii(-(long) job.priority()));
                // the tail of the record's packed field m (see prelude.lua): maxAttempts|maxStalls|nonce
                items.add((job.maxAttempts() + "|" + job.maxStalls() + "|" + ThreadLocalRandom.current().nextLong())
                        .getBytes(StandardCharsets.US_ASCII));
                items.add(when(job));
                items.add(ScriptArgs.positiveMillis(job.resultTtl()));
                items.add(job.notifyOnTerminal() ? notifyTag : ScriptArgs.ZERO);
                items.add(MetadataCodec.encode(job.metadata()));
            }
            byte[] withheld = calls.isEmpty() ? withhold : ScriptArgs.ZERO;
            calls.add(ScriptCall.batch(lua, keys.fixedKeys(), args.head(keys, withheld), items, chunk.size(),
                    () -> keys.jobKey(chunk.get(0).id())));
        }
        return calls;
    }

    /** When the job is due: '' now, '+ms' after a delay from Redis's now, 'ms' at an absolute time. */
    private static byte[] when(NewJob job) {
        if (job.runAt() != null) {
            return ScriptArgs.ascii(job.runAt().toEpochMilli());
        }
        long delay = ScriptArgs.millis(job.delay());
        return delay <= 0 ? ScriptArgs.EMPTY : ("+" + delay).getBytes(StandardCharsets.US_ASCII);
    }

    /** The calls' replies (one list per call, one element per job) as outcomes in job order. */
    static List<EnqueueOutcome> outcomes(List<NewJob> jobs, List<Object> replies) {
        List<EnqueueOutcome> outcomes = new ArrayList<>(jobs.size());
        int index = 0;
        for (Object reply : replies) {
            for (Object perJob : Replies.list(reply)) {
                NewJob job = jobs.get(index++);
                outcomes.add(perJob instanceof List<?> existing
                        ? EnqueueOutcome.duplicate(Replies.snapshot(job.id(), existing, 0))
                        : EnqueueOutcome.newlyCreated());
            }
        }
        return outcomes;
    }
}
