package dev.jobqueue.internal;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The consumer side of one started queue: one claimer thread that claims up to as many jobs as
 * there are free handler slots per storage call (blocking while the queue is idle),
 * {@code concurrency} handler threads that run them, and a {@link Heartbeat}. Under load a handler
 * that finishes a job claims the next ones itself without blocking, so a busy queue needs no
 * thread hand-off per job. Never more jobs are claimed than there are free slots: no prefetching
 * that would keep ready jobs from other workers. One instance per start; {@link #stop} shuts it
 * down for good.
 *
 * <p>Shutdown: stop claiming; jobs claimed but not started are released at once; running jobs get
 * the grace period; then their handlers are interrupted and their jobs released (QUEUED at once).
 */
public final class Worker<P, R> {
    private static final Duration SETTLE_AFTER_FORCE = Duration.ofSeconds(5);
    /** Shutdown must end even when the storage is down: a job not released is reaped later. */
    private static final int RELEASE_TRIES = 3;

    private final QueueSettings<P, R> s;
    private final AttemptRunner<P, R> runner;
    private final Map<LeaseRef, RunningJob<P>> inFlight = new ConcurrentHashMap<>();
    private final Semaphore freeSlots;
    private final ThreadPoolExecutor handlers;
    private final Thread claimer;
    private final Heartbeat heartbeat;
    /** Held by whichever thread is claiming, so that one claim per worker runs at a time. */
    private final ReentrantLock claimerRole = new ReentrantLock();
    private volatile boolean accepting = true;

    public Worker(QueueSettings<P, R> settings, LocalOutcomes<R> localOutcomes) {
        this.s = settings;
        this.runner = new AttemptRunner<>(settings, localOutcomes);
        this.freeSlots = new Semaphore(settings.concurrency());
        this.handlers = new ThreadPoolExecutor(settings.concurrency(), settings.concurrency(), 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), new NamedThreads("jobqueue-" + settings.name() + "-handler"));
        this.claimer = new NamedThreads("jobqueue-" + settings.name() + "-claimer").newThread(this::claimLoop);
        this.heartbeat = new Heartbeat(settings, inFlight);
    }

    public void start() {
        handlers.prestartAllCoreThreads();
        heartbeat.start();
        claimer.start();
    }

    private void claimLoop() {
        ErrorBackoff backoff = new ErrorBackoff();
        while (accepting) {
            int wanted;
            try {
                freeSlots.acquire();
                wanted = 1 + freeSlots.drainPermits();
            } catch (InterruptedException e) {
                return;
            }
            List<ClaimedJob> claimed;
            try {
                claimerRole.lockInterruptibly();
            } catch (InterruptedException e) {
                freeSlots.release(wanted);
                return;
            }
            try {
                claimed = s.storage().claim(s.name(), s.workerId(), wanted, s.visibilityTimeout(), s.claimWait());
                backoff.reset();
            } catch (InterruptedException e) {
                freeSlots.release(wanted);
                return;
            } catch (RuntimeException e) {
                freeSlots.release(wanted);
                s.logger().warn("claim on queue {} failed; backing off", s.name(), e);
                s.listener().error(e);
                try {
                    backoff.pause();
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            } finally {
                if (claimerRole.isHeldByCurrentThread()) {
                    claimerRole.unlock();
                }
            }
            if (claimed.size() < wanted) {
                freeSlots.release(wanted - claimed.size());
            }
            for (ClaimedJob c : claimed) {
                dispatch(c);
            }
        }
    }

    /**
     * Runs {@code first}, then keeps this thread busy without a hand-off: while jobs are ready it
     * claims the next ones itself (without blocking, for its own slot plus any free ones) and runs
     * one of them here. Only one claim runs at a time per worker (the claimer role is a lock); when
     * nothing is ready the slot goes back and the claimer thread does the blocking wait.
     */
    private void runOnHandlerThread(RunningJob<P> first) {
        RunningJob<P> job = first;
        while (job != null) {
            runOne(job);
            job = accepting ? claimNextHere() : releaseSlot();
        }
    }

    private RunningJob<P> releaseSlot() {
        freeSlots.release();
        return null;
    }

    private RunningJob<P> claimNextHere() {
        if (!claimerRole.tryLock()) {
            return releaseSlot(); // the claimer thread is claiming; it will use this slot
        }
        int wanted = 1 + freeSlots.drainPermits();
        List<ClaimedJob> claimed;
        try {
            claimed = s.storage().claim(s.name(), s.workerId(), wanted, s.visibilityTimeout(), Duration.ZERO);
        } catch (InterruptedException e) {
            freeSlots.release(wanted);
            return null;
        } catch (RuntimeException e) { // the claimer thread owns the backoff; it retries
            freeSlots.release(wanted);
            s.logger().warn("claim on queue {} failed", s.name(), e);
            s.listener().error(e);
            return null;
        } finally {
            claimerRole.unlock();
        }
        if (claimed.size() < wanted) {
            freeSlots.release(wanted - claimed.size());
        }
        if (claimed.isEmpty()) {
            return null;
        }
        for (int i = 1; i < claimed.size(); i++) {
            dispatch(claimed.get(i));
        }
        RunningJob<P> here = new RunningJob<>(claimed.get(0));
        inFlight.put(here.lease(), here);
        return here;
    }

    private void dispatch(ClaimedJob c) {
        RunningJob<P> job = new RunningJob<>(c);
        inFlight.put(job.lease(), job);
        try {
            handlers.execute(() -> runOnHandlerThread(job));
        } catch (RejectedExecutionException stopping) { // claimed just as stop began: hand it back now
            if (job.trySettle()) {
                release(job);
            }
            inFlight.remove(job.lease());
            freeSlots.release();
        }
    }

    private void runOne(RunningJob<P> job) {
        try {
            if (!accepting) {
                if (job.trySettle()) {
                    release(job);
                }
                return;
            }
            job.runsOn(Thread.currentThread());
            runner.run(job);
        } catch (RuntimeException | Error e) { // never reached by handler failures; guards the pool thread
            s.logger().error("unexpected error running job {}", job.id(), e);
            s.listener().error(e);
        } finally {
            job.runsOn(null);
            Thread.interrupted(); // a forced-shutdown interrupt must not leak into the next job
            inFlight.remove(job.lease());
        }
    }

    private void release(RunningJob<P> job) {
        TransitionOutcome t = AttemptRunner.retryStorageCall(s, job.lease(), "release", RELEASE_TRIES,
                () -> s.storage().release(s.name(), job.lease()));
        if (t == TransitionOutcome.APPLIED) {
            s.logger().info("handed job {} back to queue {}", job.id(), s.name());
            s.listener().requeued(job.id());
        }
    }

    /**
     * Stops claiming, waits up to {@code grace} for running handlers, then interrupts the rest
     * and releases their jobs. Returns when no job of this worker is left PROCESSING (unless the
     * storage itself is failing).
     */
    public void stop(Duration grace) throws InterruptedException {
        accepting = false;
        claimer.interrupt();
        claimer.join();
        handlers.shutdown();
        if (!handlers.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
            handBackUnsettled();
            // Handlers that won the race are storing their outcome; give them a moment.
            if (!handlers.awaitTermination(SETTLE_AFTER_FORCE.toMillis(), TimeUnit.MILLISECONDS)) {
                s.logger().warn("handler threads of queue {} ignore interrupts; leaving them behind", s.name());
                handlers.shutdownNow();
            }
        }
        handBackUnsettled(); // safety net: nothing of ours may stay PROCESSING
        heartbeat.stop();
    }

    /** Interrupts the handlers of unsettled jobs and puts those jobs back to QUEUED. */
    private void handBackUnsettled() {
        for (RunningJob<P> job : inFlight.values()) {
            if (job.trySettle()) {
                job.shutDownForcibly();
                release(job);
            }
        }
    }
}
