package dev.jobqueue.redis;

/**
 * Every script of one storage, each with its Java side (arguments and reply decoding) in a class
 * named after it: {@code complete} is {@link FinishScript} over complete.lua, and so on. The
 * scripts' own headers list their KEYS, ARGV and reply.
 */
final class Scripts {
    final EnqueueScript enqueue;
    final ClaimScript claim;
    final ExtendScript extend;
    final FinishScript complete;
    final FinishScript fail;
    final RetryScript retry;
    final ReleaseScript release;
    final RequeueExpiredScript requeueExpired;
    final CancelScript cancel;
    final StatusScript status;
    final UpdateTtlScript updateTtl;
    final CountsScript counts;
    final ListScript list;
    final ListJobsScript listJobs;
    final OneOrOldestScript retryJob;
    final OneOrOldestScript delete;
    final PromoteScript promote;
    final PauseScript pause;
    final QueueInfoScript queueInfo;
    final LockScript lockAcquire;
    final LockScript lockRenew;
    final LockScript lockRelease;
    final SnoozeScript snooze;
    final LimitsScript limits;
    final ThrottleScript throttle;
    final ScheduleScripts schedules;

    /** @param notifyTag this storage instance's tag for the jobs it waits for (see make_terminal in prelude.lua) */
    Scripts(ScriptArgs args, byte[] notifyTag) {
        String prelude = LuaScript.resource("prelude.lua");
        enqueue = new EnqueueScript(prelude, args, notifyTag);
        claim = new ClaimScript(prelude, args);
        extend = new ExtendScript(prelude, args);
        complete = FinishScript.complete(prelude, args, notifyTag);
        fail = FinishScript.fail(prelude, args, notifyTag);
        retry = new RetryScript(prelude, args);
        release = new ReleaseScript(prelude, args);
        requeueExpired = new RequeueExpiredScript(prelude, args);
        cancel = new CancelScript(prelude, args);
        status = new StatusScript(prelude, args);
        updateTtl = new UpdateTtlScript(prelude, args);
        counts = new CountsScript(prelude, args);
        list = new ListScript(prelude, args);
        listJobs = new ListJobsScript(prelude, args);
        retryJob = new OneOrOldestScript("retry_job", prelude, args);
        delete = new OneOrOldestScript("delete", prelude, args);
        promote = new PromoteScript(prelude, args);
        pause = new PauseScript(prelude, args);
        queueInfo = new QueueInfoScript(prelude, args);
        lockAcquire = LockScript.acquire(prelude, args);
        lockRenew = LockScript.renew(prelude, args);
        lockRelease = LockScript.release(prelude, args);
        snooze = new SnoozeScript(prelude, args);
        limits = new LimitsScript(prelude, args);
        throttle = new ThrottleScript(prelude, args);
        schedules = new ScheduleScripts(prelude, args);
    }
}
