package dev.jobqueue.redis;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;

/**
 * The Java side of delete.lua: {@link #one} for deleteJob (ARGV[4] the hid; reply the
 * DeleteResult's name), {@link #oldest} for purge (ARGV[4] '', [5] the state, [6] the limit;
 * reply the number deleted).
 */
final class DeleteScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    DeleteScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("delete", prelude);
        this.args = args;
    }

    ScriptCall one(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    ScriptCall oldest(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(),
                args.head(keys, ScriptArgs.EMPTY, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)), null, "hash");
    }

    static DeleteResult decode(Object reply) {
        return DeleteResult.valueOf(Replies.text(reply));
    }
}
