package dev.jobqueue.redis;

import dev.jobqueue.TtlUpdateResult;
import java.time.Duration;

/** The Java side of update_ttl.lua: ARGV[4] the hid, ARGV[5] the new TTL in ms; the reply is the TtlUpdateResult's name. */
final class UpdateTtlScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    UpdateTtlScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("update_ttl", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, String jobId, Duration ttl) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, KeySpace.hexId(jobId), ScriptArgs.positiveMillis(ttl)),
                () -> keys.jobKey(jobId), "hash");
    }

    static TtlUpdateResult decode(Object reply) {
        return TtlUpdateResult.valueOf(Replies.text(reply));
    }
}
