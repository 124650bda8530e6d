package dev.jobqueue.redis;

/** The transition scripts, each loaded once per storage. */
final class Scripts {
    final LuaScript enqueue;
    final LuaScript claim;
    final LuaScript extend;
    final LuaScript complete;
    final LuaScript fail;
    final LuaScript retry;
    final LuaScript release;
    final LuaScript requeueExpired;
    final LuaScript cancel;
    final LuaScript status;
    final LuaScript updateTtl;
    final LuaScript counts;
    final LuaScript list;
    final LuaScript lockAcquire;
    final LuaScript lockRenew;
    final LuaScript lockRelease;

    Scripts() {
        String prelude = LuaScript.resource("prelude.lua");
        enqueue = LuaScript.load("enqueue", prelude);
        claim = LuaScript.load("claim", prelude);
        extend = LuaScript.load("extend", prelude);
        complete = LuaScript.load("complete", prelude);
        fail = LuaScript.load("fail", prelude);
        retry = LuaScript.load("retry", prelude);
        release = LuaScript.load("release", prelude);
        requeueExpired = LuaScript.load("requeue_expired", prelude);
        cancel = LuaScript.load("cancel", prelude);
        status = LuaScript.load("status", prelude);
        updateTtl = LuaScript.load("update_ttl", prelude);
        counts = LuaScript.load("counts", prelude);
        list = LuaScript.load("list", prelude);
        lockAcquire = LuaScript.load("lock_acquire", prelude);
        lockRenew = LuaScript.load("lock_renew", prelude);
        lockRelease = LuaScript.load("lock_release", prelude);
    }
}
