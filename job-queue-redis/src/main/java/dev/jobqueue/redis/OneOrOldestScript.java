package dev.jobqueue.redis;

import dev.jobqueue.JobState;

/**
 * The Java side of the operator scripts that act on one job or on the oldest jobs of a state:
 * retry_job.lua (retryJob / retryAll) and delete.lua (deleteJob / purge). ARGV[4] is a fresh
 * nonce per call (a resend after a lost reply gets the first reply back instead of acting on
 * another page); then [5] the hid, or [5] '', [6] the state, [7] the limit. Reply: the result's
 * name ({@code RetryResult}, {@code DeleteResult}) for one job, or how many jobs were changed.
 */
final class OneOrOldestScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    OneOrOldestScript(String name, String prelude, ScriptArgs args) {
        this.lua = LuaScript.load(name, prelude);
        this.args = args;
    }

    ScriptCall one(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.nonce(), KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    ScriptCall oldest(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(),
                args.head(keys, ScriptArgs.nonce(), ScriptArgs.EMPTY, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)), null, "hash");
    }
}
