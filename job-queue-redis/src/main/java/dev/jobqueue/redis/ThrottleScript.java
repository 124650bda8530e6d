package dev.jobqueue.redis;

import java.time.Duration;
import java.time.Instant;

/** The Java side of throttle.lua (KEYS: the fixed keys and the throttle): ARGV[4] the duration in ms; the reply is the end in ms. */
final class ThrottleScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    ThrottleScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("throttle", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, Duration duration) {
        return ScriptCall.plain(lua, keys.throttleKeys(), args.head(keys, ScriptArgs.positiveMillis(duration)), null, "string");
    }

    static Instant decode(Object reply) {
        return Replies.instant(reply);
    }
}
