package dev.jobqueue.redis;

import dev.jobqueue.PromoteResult;

/** The Java side of promote.lua: ARGV[4] the call's nonce (a resend gets the first reply), [5] the hid; the reply is the PromoteResult's name. */
final class PromoteScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    PromoteScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("promote", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.nonce(), KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    static PromoteResult decode(Object reply) {
        return PromoteResult.valueOf(Replies.text(reply));
    }
}
