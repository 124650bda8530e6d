package dev.jobqueue.redis;

import dev.jobqueue.spi.JobSnapshot;
import java.util.Optional;

/** The Java side of status.lua: ARGV[4] the hid; the reply is the full snapshot (payload and metadata too), or nil when unknown or expired. */
final class StatusScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    StatusScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("status", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, String jobId) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, KeySpace.hexId(jobId)), () -> keys.jobKey(jobId), "hash");
    }

    static Optional<JobSnapshot> decode(String jobId, Object reply) {
        return reply == null ? Optional.empty() : Optional.of(Replies.fullSnapshot(jobId, Replies.list(reply), 0));
    }
}
