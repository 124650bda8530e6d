package dev.jobqueue.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The Java side of lock_acquire.lua, lock_renew.lua and lock_release.lua (the Reaper's leader
 * lock): KEYS[11] is the lock's key after the queue's fixed keys; ARGV[4] the owner, ARGV[5] the
 * TTL in ms (not for release); the reply is 1 (done) or 0.
 */
final class LockScript {
    private final LuaScript lua;
    private final ScriptArgs args;

    private LockScript(String name, String prelude, ScriptArgs args) {
        this.lua = LuaScript.load(name, prelude);
        this.args = args;
    }

    static LockScript acquire(String prelude, ScriptArgs args) {
        return new LockScript("lock_acquire", prelude, args);
    }

    static LockScript renew(String prelude, ScriptArgs args) {
        return new LockScript("lock_renew", prelude, args);
    }

    static LockScript release(String prelude, ScriptArgs args) {
        return new LockScript("lock_release", prelude, args);
    }

    /** @param ttl the lock's time to live, or null for release */
    ScriptCall call(KeySpace keys, String lock, String owner, Duration ttl) {
        String lockKey = keys.lockKey(lock);
        List<byte[]> lockKeys = new ArrayList<>(keys.fixedKeys());
        lockKeys.add(ScriptArgs.utf8(lockKey));
        List<byte[]> argv = ttl == null ? args.head(keys, ScriptArgs.utf8(owner))
                : args.head(keys, ScriptArgs.utf8(owner), ScriptArgs.positiveMillis(ttl));
        return ScriptCall.plain(lua, lockKeys, argv, () -> lockKey, "string");
    }

    static boolean decode(Object reply) {
        return Replies.number(reply) == 1;
    }
}
