package dev.jobqueue.redis;

import dev.jobqueue.spi.LeaseRef;

/**
 * The Java side of release.lua (release and unclaim): PROCESSING back to QUEUED at once. Item:
 * hid, token, unstarted ('1': the handler never ran, so the attempt is taken back), nonce; reply
 * per item 1 applied, 0 lease lost.
 */
final class ReleaseScript {
    private static final byte[] UNSTARTED = ScriptArgs.ascii(1);

    private final LuaScript lua;
    private final ScriptArgs args;

    ReleaseScript(String prelude, ScriptArgs args) {
        this.lua = LuaScript.load("release", prelude);
        this.args = args;
    }

    ScriptCall call(KeySpace keys, LeaseRef lease, boolean unstarted) {
        return FencedItem.call(lua, keys, args.head(keys), lease, unstarted ? UNSTARTED : ScriptArgs.ZERO);
    }
}
