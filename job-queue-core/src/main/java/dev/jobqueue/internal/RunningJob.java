package dev.jobqueue.internal;

import dev.jobqueue.Job;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One claimed job inside a worker: the {@link Job} the handler sees, plus the bookkeeping that
 * decides who records its outcome. Exactly one party "settles" a claim: the handler thread
 * (complete/fail/retry) or a forced shutdown (release). Whoever wins {@link #trySettle()} writes.
 */
final class RunningJob<P> implements Job<P> {
    private final ClaimedJob claim;
    private final LeaseRef lease;
    private final AtomicBoolean settled = new AtomicBoolean();
    private volatile P payload;
    private final AtomicBoolean leaseLost = new AtomicBoolean();
    private volatile boolean shutDown;
    private Thread thread; // guarded by this

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
        return settled.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }

    /** Marks the lease lost; true only for the first call, so the loss is reported once. */
    boolean markLeaseLost() {
        return leaseLost.compareAndSet(false, true);
    }

    boolean isLeaseLost() {
        return leaseLost.get();
    }

    synchronized void runsOn(Thread t) {
        thread = t;
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
    public boolean isCancelled() {
        return leaseLost.get() || shutDown;
    }

    @Override
    public String toString() {
        return "Job[" + claim.id() + ", attempt " + claim.attempt() + "/" + claim.maxAttempts()
                + ", token " + claim.fencingToken() + "]";
    }
}
