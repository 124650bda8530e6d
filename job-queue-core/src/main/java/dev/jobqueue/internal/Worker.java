package dev.jobqueue.internal;

import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.TerminalListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The consumer side of one started queue: a claimer thread, {@code concurrency} handler threads,
 * a {@link CompletionBatcher} and a {@link Heartbeat}.
 *
 * <p>The claimer keeps a local buffer of claimed jobs topped up: it may hold up to
 * {@code concurrency} jobs (buffered, running, or finished and not yet stored), plus
 * {@code prefetch} more while handlers average under a millisecond per job (claiming ahead would
 * only keep long jobs from idle workers elsewhere), and claims the free slots in one storage call,
 * blocking in the storage while the queue is idle.
 * Handlers take jobs from the buffer, so a busy queue costs no storage round trip and no thread
 * hand-off between two jobs of a handler; successes are stored in batches by the batcher.
 *
 * <p>Shutdown: stop claiming; buffered jobs go back to the queue at once; running jobs get the
 * grace period; then their handlers are interrupted and their jobs released (QUEUED at once);
 * finished jobs' completions are stored before stop returns.
 *
 * <p>Execution control: each attempt runs under its execution timeout (the job's own, else the
 * queue's) kept by a {@link Watchdog}; the worker listens to its queue's terminal notices to
 * interrupt handlers of jobs cancelled while running (the heartbeat's lost-lease answer is the
 * fallback). The {@code concurrency} handler loops run on the queue's own platform threads, on
 * virtual threads, or as long-lived tasks of the application's executor: each loop is one worker
 * slot, so a handler that ignores interrupts keeps its slot until it returns.
 */
public final class Worker<P, R> {
    private static final Duration SETTLE_AFTER_FORCE = Duration.ofSeconds(5);
    /** Shutdown must end even when the storage is down: a job not released is reaped later. */
    private static final int RELEASE_TRIES = 3;
    /** One claim call takes at most this many jobs, so one reply stays small. */
    private static final int MAX_CLAIM = 1000;
    /**
     * Claiming ahead pays while handlers are short next to a storage round trip; for longer jobs
     * it would only keep work from idle workers elsewhere, so it is on only below this average.
     */
    private static final long CLAIM_AHEAD_BELOW_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final QueueSettings<P, R> s;
    private final AttemptRunner<P, R> runner;
    private final CompletionBatcher<P, R> completions;
    private final Map<LeaseRef, RunningJob<P>> inFlight = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<RunningJob<P>> buffer = new LinkedBlockingQueue<>();
    private final ClaimBudget budget;
    private final Thread claimer;
    private final HandlerLoops loops;
    /** Handler loops waiting for a job (not running one): stop() wakes them. */
    private final Set<Thread> idleLoops = ConcurrentHashMap.newKeySet();
    private final Heartbeat heartbeat;
    private final Watchdog watchdog;
    private final LocalOutcomes<R> localOutcomes;
    private volatile boolean accepting = true;
    /** Moving average of handler run time; racy updates only lose a sample. */
    private volatile long averageRunNanos = Long.MAX_VALUE;

    public Worker(QueueSettings<P, R> settings, LocalOutcomes<R> localOutcomes) {
        this.s = settings;
        this.localOutcomes = localOutcomes;
        this.budget = new ClaimBudget(settings.concurrency(), settings.prefetch());
        this.completions = new CompletionBatcher<>(settings, localOutcomes, this::settled);
        this.runner = new AttemptRunner<>(settings, localOutcomes, completions);
        this.loops = new HandlerLoops(settings, this::handlerLoop);
        this.watchdog = new Watchdog(settings);
        this.claimer = new NamedThreads("jobqueue-" + settings.name() + "-claimer").newThread(this::claimLoop);
        this.heartbeat = new Heartbeat(settings, inFlight);
    }

    /** Starts the threads; when that fails, the ones already started end before it throws. */
    public void start() {
        try {
            loops.start();
            heartbeat.start();
            claimer.start();
        } catch (RuntimeException | Error e) {
            accepting = false; // handlers with an empty buffer end at their next look
            claimer.interrupt();
            loops.interruptAll();
            try {
                heartbeat.stop();
                watchdog.stop();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
        subscribeToCancellations();
    }

    // ---------------------------------------------------------------- cancellation of running jobs

    /**
     * Listens to the queue's terminal notices (over the waiters' subscription: one per queue): a CANCELLED notice for a job this worker runs
     * interrupts its handler. Storages notify every cancelled PROCESSING job. When subscribing fails
     * the heartbeat's lost-lease answer still finds cancelled jobs, one heartbeat later.
     */
    private void subscribeToCancellations() {
        try {
            localOutcomes.shareNotices(new TerminalListener() {
                @Override
                public void onTerminal(String jobId, JobSnapshot snapshot) {
                    if (snapshot == null || snapshot.state() == JobState.CANCELLED) {
                        RunningJob<P> job = runningJob(jobId);
                        if (job != null) {
                            watchdog.execute(() -> checkCancelled(job, snapshot));
                        }
                    }
                }
            });
        } catch (RuntimeException e) {
            s.logger().warn("queue {} cannot subscribe to cancellations; jobs cancelled while running are found by "
                    + "the heartbeat instead", s.name(), e);
            s.listener().error(e);
        }
    }

    private RunningJob<P> runningJob(String jobId) {
        for (RunningJob<P> job : inFlight.values()) {
            if (job.id().equals(jobId) && !job.isSettled()) {
                return job;
            }
        }
        return null;
    }

    private void checkCancelled(RunningJob<P> job, JobSnapshot notice) {
        JobSnapshot snapshot = notice;
        if (snapshot == null) {
            try {
                snapshot = s.storage().status(s.name(), job.id()).orElse(null);
            } catch (RuntimeException e) {
                return; // the heartbeat finds it
            }
        }
        // Same job record (a cancelled record replaced by a new job has another creation time).
        if (snapshot != null && snapshot.state() == JobState.CANCELLED && snapshot.createdAt().equals(job.createdAt())
                && !job.isSettled()) {
            AttemptRunner.reportCancelled(s, job);
        }
    }

    private void claimLoop() {
        ErrorBackoff backoff = new ErrorBackoff();
        while (accepting) {
            int wanted;
            try {
                wanted = budget.takeAll();
            } catch (InterruptedException e) {
                return;
            }
            int asked = Math.min(wanted, MAX_CLAIM);
            budget.giveBack(wanted - asked);
            List<ClaimedJob> claimed;
            try {
                claimed = s.storage().claim(s.name(), s.workerId(), asked, s.visibilityTimeout(), s.claimWait());
                backoff.reset();
            } catch (InterruptedException e) {
                budget.giveBack(asked);
                return;
            } catch (RuntimeException e) {
                budget.giveBack(asked);
                s.logger().warn("claim on queue {} failed; backing off", s.name(), e);
                s.listener().error(e);
                try {
                    backoff.pause();
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            budget.giveBack(asked - claimed.size());
            for (ClaimedJob c : claimed) {
                RunningJob<P> job = new RunningJob<>(c);
                inFlight.put(job.lease(), job);
                buffer.add(job);
            }
            if (!accepting) {
                releaseBuffered(); // claimed just as stop began: hand them back now
            }
        }
    }

    private void handlerLoop() {
        while (true) {
            RunningJob<P> job = buffer.poll();
            if (job == null) {
                if (!accepting) {
                    return;
                }
                budget.hungry();
                Thread me = Thread.currentThread();
                idleLoops.add(me);
                try {
                    job = accepting ? buffer.poll(s.claimWait().toNanos(), TimeUnit.NANOSECONDS) : buffer.poll();
                } catch (InterruptedException e) {
                    continue; // stop() waking an idle loop, or a stray interrupt: re-check
                } finally {
                    idleLoops.remove(me);
                }
                if (job == null) {
                    continue;
                }
            }
            runOne(job);
        }
    }

    private void runOne(RunningJob<P> job) {
        boolean pending = false;
        try {
            if (!accepting) {
                Thread.interrupted(); // stop() may have woken this loop just as it took the job
                if (job.trySettle()) {
                    runner.handBack(job, false, RELEASE_TRIES);
                }
                return;
            }
            if (job.isCancelledRunning() || job.isLeaseLost()) {
                job.trySettle(); // cancelled (or reaped) while claimed ahead: not ours to run any more
                return;
            }
            job.runsOn(Thread.currentThread());
            Duration timeout = ReservedMetadata.timeoutOf(job.metadata(), s.timeout(), job.id(), s.logger());
            Watchdog.Watch watch = timeout == null ? null : watchdog.watch(job, timeout, runner);
            long start = System.nanoTime();
            try {
                pending = runner.run(job);
            } finally {
                if (watch != null) {
                    watch.cancel();
                }
            }
            paced(System.nanoTime() - start);
        } catch (RuntimeException | Error e) { // never reached by handler failures; guards the loop
            s.logger().error("unexpected error running job {}", job.id(), e);
            s.listener().error(e);
        } finally {
            job.runsOn(null);
            Thread.interrupted(); // a forced-shutdown interrupt must not leak into the next job
            if (!pending) {
                settled(job);
            }
        }
        if (pending) {
            completions.flush();
        }
    }

    private void paced(long runNanos) {
        long avg = averageRunNanos;
        avg = avg == Long.MAX_VALUE ? runNanos : avg + (runNanos - avg) / 8;
        averageRunNanos = avg;
        budget.claimAhead(avg < CLAIM_AHEAD_BELOW_NANOS);
    }

    /** The job's outcome is stored (or given up): it no longer holds a slot or needs its lease. */
    private void settled(RunningJob<P> job) {
        if (inFlight.remove(job.lease()) != null) {
            budget.giveBack(1);
        }
    }

    private void releaseBuffered() {
        RunningJob<P> job;
        while ((job = buffer.poll()) != null) {
            if (job.trySettle()) {
                runner.handBack(job, false, RELEASE_TRIES);
            }
            settled(job);
        }
    }

    /**
     * Stops claiming, hands buffered jobs back, waits up to {@code grace} for running handlers,
     * then interrupts the rest and releases their jobs. Returns when no job of this worker is
     * left PROCESSING (unless the storage itself is failing).
     */
    public void stop(Duration grace) throws InterruptedException {
        accepting = false;
        localOutcomes.shareNotices(null);
        claimer.interrupt();
        claimer.join();
        releaseBuffered();
        // Idle loops wait up to claimWait for work; wake them so they end now (running ones are
        // not in the set, so no handler is interrupted before its grace).
        idleLoops.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + grace.toNanos();
        if (!joinHandlers(deadline)) {
            handBackUnsettled();
            // Handlers that won the race are storing their outcome; give them a moment.
            if (!joinHandlers(System.nanoTime() + SETTLE_AFTER_FORCE.toNanos())) {
                s.logger().warn("handler threads of queue {} ignore interrupts; leaving them behind", s.name());
            }
        }
        completions.drainOnStop(RELEASE_TRIES, System.nanoTime() + SETTLE_AFTER_FORCE.toNanos());
        handBackUnsettled(); // safety net: nothing of ours may stay PROCESSING
        // A handler still retrying a write against a failing storage gives up now (the leases of
        // what it held expire and a reaper requeues those jobs) instead of retrying forever.
        loops.interruptAll();
        heartbeat.stop();
        watchdog.stop();
    }

    private boolean joinHandlers(long deadlineNanos) throws InterruptedException {
        return loops.awaitEnd(deadlineNanos);
    }

    /** Interrupts the handlers of unsettled jobs and puts those jobs back to QUEUED. */
    private void handBackUnsettled() {
        for (RunningJob<P> job : inFlight.values()) {
            if (job.trySettle()) {
                job.shutDownForcibly();
                runner.handBack(job, job.hasStarted(), RELEASE_TRIES);
                settled(job);
            }
        }
    }
}
