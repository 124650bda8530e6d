package dev.jobqueue.redis;

import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;

/**
 * The Java side of snooze.lua: PROCESSING to DELAYED, due after the delay, with the claim's
 * attempt taken back. Item: hid, token, delay ms, nonce; reply per item 1 applied, 0 lease lost.
 */
final class SnoozeScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    SnoozeScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("snooze", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, LeaseRef lease, Duration delay) {
        return FencedItem.call(lua, keys, args.head(keys), lease, ScriptArgs.ascii(Math.max(0, ScriptArgs.millis(delay))));
    }
}
