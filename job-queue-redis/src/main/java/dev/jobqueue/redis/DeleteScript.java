package dev.jobqueue.redis;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;

/**
 * The Java side of delete.lua: {@link #one} for deleteJob, {@link #oldest} for purge. ARGV[4] is
 * a fresh nonce per call (a resend after a lost reply gets the first reply back instead of
 * deleting another page); then [5] the hid, or [5] '', [6] the state, [7] the limit. Reply: the
 * DeleteResult's name, or the number deleted.
 */
final class DeleteScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    DeleteScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("delete", prelude);
        this.args = args;
    }

    ScriptCall one(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.nonce(), KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    ScriptCall oldest(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(),
                args.head(keys, ScriptArgs.nonce(), ScriptArgs.EMPTY, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)), null, "hash");
    }

    static DeleteResult decode(Object reply) {
        return DeleteResult.valueOf(Replies.text(reply));
    }
}
