package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import dev.jobqueue.RetryResult;

/**
 * The Java side of retry_job.lua (an operator's retry): {@link #one} for retryJob, {@link #oldest}
 * for retryAll. ARGV[4] is a fresh nonce per call (a resend after a lost reply gets the first
 * reply back instead of acting again); then [5] the hid, or [5] '', [6] the state, [7] the limit.
 * Reply: the RetryResult's name, or the number retried.
 */
final class RetryJobScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    RetryJobScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("retry_job", prelude);
        this.args = args;
    }

    ScriptCall one(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.nonce(), KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    ScriptCall oldest(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(),
                args.head(keys, ScriptArgs.nonce(), ScriptArgs.EMPTY, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)), null, "hash");
    }

    static RetryResult decode(Object reply) {
        return RetryResult.valueOf(Replies.text(reply));
    }
}
