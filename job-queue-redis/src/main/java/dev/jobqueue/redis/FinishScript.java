package dev.jobqueue.redis;

import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.List;

/**
 * The Java side of complete.lua and fail.lua, which share finish() in prelude.lua: PROCESSING to
 * COMPLETED (value: the result) or FAILED (value: the encoded JobError). Head: this storage's
 * notify tag; item: hid, token, value, result TTL ms ('' = the job's own), nonce. Reply per item:
 * 1 applied, 0 lease lost, or the job's snapshot when applied and only this storage instance
 * waits for it (it then tells its own listeners: no pub/sub round trip).
 */
final class FinishScript {
    private final LuaScript lua;
    private final ScriptArgs args;
    private final byte[] notifyTag;

    private FinishScript(String name, String prelude, ScriptArgs args, byte[] notifyTag) {
        this.lua = LuaScript.load(name, prelude);
        this.args = args;
        this.notifyTag = notifyTag;
    }

    static FinishScript complete(String prelude, ScriptArgs args, byte[] notifyTag) {
        return new FinishScript("complete", prelude, args, notifyTag);
    }

    static FinishScript fail(String prelude, ScriptArgs args, byte[] notifyTag) {
        return new FinishScript("fail", prelude, args, notifyTag);
    }

    LuaScript lua() {
        return lua;
    }

    /** A batchable call: completions of one queue submitted together share one EVALSHA. */
    ScriptCall call(KeySpace keys, LeaseRef lease, byte[] value, Duration resultTtl) {
        return FencedItem.call(lua, keys, args.head(keys, notifyTag), lease, value, ScriptArgs.optionalMillis(resultTtl));
    }

    /** One item's outcome; {@code localSnapshot} is set when this instance must tell its own listeners. */
    record Finished(TransitionOutcome outcome, JobSnapshot localSnapshot) {
    }

    static Finished decode(String jobId, Object reply) {
        Object item = Replies.list(reply).get(0);
        if (item instanceof List<?> snapshot) {
            return new Finished(TransitionOutcome.APPLIED, Replies.snapshot(jobId, snapshot, 0));
        }
        return new Finished(Replies.number(item) == 1 ? TransitionOutcome.APPLIED : TransitionOutcome.LEASE_LOST, null);
    }
}
