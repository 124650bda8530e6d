package dev.jobqueue.redis;

import dev.jobqueue.JobError;
import dev.jobqueue.spi.JobErrorCodec;
import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;

/**
 * The Java side of retry.lua: PROCESSING to FAILING, due after the backoff. Item: hid, token,
 * backoff ms, the last error (JobErrorCodec), nonce; reply per item 1 applied, 0 lease lost.
 */
final class RetryScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    RetryScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("retry", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, LeaseRef lease, Duration backoff, JobError lastError) {
        return FencedItem.call(lua, keys, args.head(keys), lease, ScriptArgs.ascii(Math.max(0, ScriptArgs.millis(backoff))),
                JobErrorCodec.encode(lastError));
    }
}
