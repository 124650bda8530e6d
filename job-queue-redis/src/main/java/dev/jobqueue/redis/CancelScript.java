package dev.jobqueue.redis;

import dev.jobqueue.CancelResult;

/** The Java side of cancel.lua: ARGV[4] the hid; the reply is the CancelResult's name. */
final class CancelScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    CancelScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("cancel", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    static CancelResult decode(Object reply) {
        return CancelResult.valueOf(Replies.text(reply));
    }
}
