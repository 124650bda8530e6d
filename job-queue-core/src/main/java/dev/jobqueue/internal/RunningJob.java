package dev.jobqueue.internal;

import dev.jobqueue.Job;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One claimed job inside a worker: the {@link Job} the handler sees, plus the bookkeeping that
 * decides who records its outcome. Exactly one party "settles" a claim: the handler thread
 * (complete/fail/retry) or a forced shutdown (release). Whoever wins {@link #trySettle()} writes.
 */
final class RunningJob<P> implements Job<P> {
    // Flags as field updaters rather than AtomicBooleans: one object per job instead of three.
    private static final AtomicIntegerFieldUpdater<RunningJob<?>> SETTLED = flag("settled");
    private static final AtomicIntegerFieldUpdater<RunningJob<?>> LEASE_LOST = flag("leaseLost");

    private final ClaimedJob claim;
    private final LeaseRef lease;
    private volatile int settled;
    private volatile P payload;
    private volatile int leaseLost;
    private volatile boolean shutDown;
    private Thread thread; // guarded by this
    private boolean started; // guarded by this
    // ---- execution control: timeouts and cancellation of running jobs. Interrupts are sent and
    // the handler's return is noted under this object's lock, so no interrupt meant for the
    // handler can reach its thread after it returned (while it records the outcome).
    private boolean returned; // guarded by this
    private volatile Duration timedOutAfter; // non-null once the execution timeout interrupted the handler
    private volatile boolean cancelledRunning; // the job was cancelled in the storage while we ran it

    @SuppressWarnings({"unchecked", "rawtypes"}) // the updater works on any RunningJob<?>
    private static AtomicIntegerFieldUpdater<RunningJob<?>> flag(String field) {
        return (AtomicIntegerFieldUpdater) AtomicIntegerFieldUpdater.newUpdater(RunningJob.class, field);
    }

    RunningJob(ClaimedJob claim) {
        this.claim = claim;
        this.lease = new LeaseRef(claim.id(), claim.fencingToken());
    }

    LeaseRef lease() {
        return lease;
    }

    ClaimedJob claim() {
        return claim;
    }

    void payload(P payload) {
        this.payload = payload;
    }

    boolean trySettle() {
        return SETTLED.compareAndSet(this, 0, 1);
    }

    boolean isSettled() {
        return settled != 0;
    }

    /** Marks the lease lost; true only for the first call, so the loss is reported once. */
    boolean markLeaseLost() {
        return LEASE_LOST.compareAndSet(this, 0, 1);
    }

    boolean isLeaseLost() {
        return leaseLost != 0;
    }

    synchronized void runsOn(Thread t) {
        thread = t;
        started |= t != null;
    }

    /** Whether a handler thread ever took the job (only then did an attempt really run). */
    synchronized boolean hasStarted() {
        return started;
    }

    /**
     * The execution timeout passed: marks the attempt timed out and interrupts the handler, unless
     * it already returned or the job was cancelled. True when it did.
     */
    synchronized boolean timeOut(Duration timeout) {
        if (returned || thread == null || cancelledRunning) {
            return false;
        }
        timedOutAfter = timeout;
        thread.interrupt();
        return true;
    }

    /**
     * Called on the handler thread when the handler returned (or threw): from now on no interrupt
     * is sent to it, and a pending one is cleared. Returns the timeout that interrupted it, or null.
     */
    synchronized Duration handlerReturned() {
        returned = true;
        Thread.interrupted();
        return timedOutAfter;
    }

    /** Whether the handler returned (false while it runs, and before it started). */
    synchronized boolean hasReturned() {
        return returned;
    }

    /** The job was cancelled (or its lease lost): interrupt the handler if it still runs. */
    synchronized void interruptRunning(boolean cancelled) {
        cancelledRunning |= cancelled;
        if (!returned && thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the job was cancelled in the storage while this worker ran it. */
    boolean isCancelledRunning() {
        return cancelledRunning;
    }

    /** The timeout that interrupted the handler, or null. */
    Duration timedOutAfter() {
        return timedOutAfter;
    }

    /** Forced shutdown: the job is no longer ours; interrupt its handler if it is still running. */
    synchronized void shutDownForcibly() {
        shutDown = true;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public String id() {
        return claim.id();
    }

    @Override
    public P payload() {
        return payload;
    }

    @Override
    public int attempt() {
        return claim.attempt();
    }

    @Override
    public int maxAttempts() {
        return claim.maxAttempts();
    }

    @Override
    public Instant createdAt() {
        return claim.createdAt();
    }

    @Override
    public long fencingToken() {
        return claim.fencingToken();
    }

    @Override
    public Map<String, String> metadata() {
        return claim.metadata();
    }

    @Override
    public boolean isCancelled() {
        return leaseLost != 0 || shutDown || cancelledRunning || timedOutAfter != null;
    }

    @Override
    public String toString() {
        return "Job[" + claim.id() + ", attempt " + claim.attempt() + "/" + claim.maxAttempts()
                + ", token " + claim.fencingToken() + "]";
    }
}
