package dev.jobqueue.redis;

import dev.jobqueue.JobState;
import java.util.List;

/** The Java side of list.lua: ARGV[4] the state's name, ARGV[5] the limit; the reply is hids in processing order. */
final class ListScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    ListScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("list", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, JobState state, int limit) {
        return ScriptCall.plain(lua, keys.fixedKeys(), args.head(keys, ScriptArgs.utf8(state.name()), ScriptArgs.ascii(limit)),
                null, "hash");
    }

    static List<String> decode(Object reply) {
        return Replies.list(reply).stream().map(hex -> KeySpace.idOfHex((byte[]) hex)).toList();
    }
}
