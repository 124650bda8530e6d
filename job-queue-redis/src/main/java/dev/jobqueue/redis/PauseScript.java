package dev.jobqueue.redis;

/**
 * The Java side of pause.lua (KEYS: the fixed keys and the pause flag): {@link #set} for
 * setPaused (ARGV[4] a fresh nonce per call, [5] '1' or '0'; reply 1 when the flag changed, also
 * to a resend after a lost reply), {@link #read} for isPaused (ARGV[4] and [5] ''; reply 1 while
 * paused).
 */
final class PauseScript {
    private static final byte[] PAUSE = ScriptArgs.ascii(1);

    private final LuaScript lua;
    private final ScriptArgs args;

    PauseScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("pause", prelude);
        this.args = args;
    }

    ScriptCall set(KeySpace keys, boolean paused) {
        return ScriptCall.plain(lua, keys.keysWithPauseFlag(), args.head(keys, ScriptArgs.nonce(), paused ? PAUSE : ScriptArgs.ZERO), null, "string");
    }

    ScriptCall read(KeySpace keys) {
        return ScriptCall.plain(lua, keys.keysWithPauseFlag(), args.head(keys, ScriptArgs.EMPTY, ScriptArgs.EMPTY), null, "string");
    }

    static boolean decode(Object reply) {
        return Replies.number(reply) == 1;
    }
}
