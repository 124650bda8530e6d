package dev.jobqueue.internal;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * How many more jobs a worker may claim. It holds jobs from claim until their outcome is stored
 * (buffered, running, or finished and not yet recorded), at most {@code concurrency}, plus up to
 * {@code prefetch} claimed ahead while claiming ahead is on. A slot comes back only when its
 * job's outcome is stored, so a slow storage throttles claiming instead of piling up outcomes.
 *
 * <p>The claimer waits until at least {@code refill} slots are free, so that under load it claims
 * in batches (one storage call for many jobs) rather than one job per freed slot; a handler that
 * finds nothing to run calls {@link #hungry()}, and then any free slot is worth a claim.
 */
final class ClaimBudget {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition claimable = lock.newCondition();
    private final int concurrency;
    private final int prefetch;
    private final int refill;
    private int held;
    private volatile boolean ahead;
    private boolean hungry;

    ClaimBudget(int concurrency, int prefetch) {
        if (concurrency < 1 || prefetch < 0) {
            throw new IllegalArgumentException("concurrency " + concurrency + ", prefetch " + prefetch);
        }
        this.concurrency = concurrency;
        this.prefetch = prefetch;
        this.refill = Math.max(1, Math.min(prefetch, (concurrency + prefetch) / 4));
    }

    private int free() {
        return concurrency + (ahead ? prefetch : 0) - held;
    }

    private boolean worthClaiming() {
        int free = free();
        return free > 0 && (free >= refill || hungry);
    }

    /** Blocks until a claim is worth making, then takes every free slot; returns how many (>= 1). */
    int takeAll() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (!worthClaiming()) {
                claimable.await();
            }
            int taken = free();
            held += taken;
            hungry = false;
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Gives back {@code n} slots: jobs whose outcome is stored, or slots a claim did not fill. */
    void giveBack(int n) {
        if (n <= 0) {
            return;
        }
        lock.lock();
        try {
            held -= n;
            if (worthClaiming()) {
                claimable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A handler ran out of work: claim as soon as any slot is free. */
    void hungry() {
        lock.lock();
        try {
            hungry = true;
            if (worthClaiming()) {
                claimable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Turns claiming ahead (the prefetch slots) on or off. */
    void claimAhead(boolean on) {
        if (on == ahead || prefetch == 0) {
            return; // racy read: a late switch only shifts when the next claim happens
        }
        lock.lock();
        try {
            ahead = on;
            if (worthClaiming()) {
                claimable.signal();
            }
        } finally {
            lock.unlock();
        }
    }
}
