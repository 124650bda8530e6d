package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import dev.jobqueue.RetryResult;

/**
 * The Java side of retry_job.lua (an operator's retry): {@link #one} for retryJob (ARGV[4] the
 * hid; reply the RetryResult's name), {@link #oldest} for retryAll (ARGV[4] '', [5] the state,
 * [6] the limit; reply the number retried).
 */
final class RetryJobScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    RetryJobScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("retry_job", prelude);
        this.args = args;
    }

    ScriptCall one(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    ScriptCall oldest(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(),
                args.head(keys, ScriptArgs.EMPTY, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)), null, "hash");
    }

    static RetryResult decode(Object reply) {
        return RetryResult.valueOf(Replies.text(reply));
    }
}
