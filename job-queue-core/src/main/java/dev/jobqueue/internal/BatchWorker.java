package dev.jobqueue.internal;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.Batch;
import dev.jobqueue.Job;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The consumer side of a started queue with a {@link dev.jobqueue.BatchHandler}: {@code concurrency}
 * batch threads, each claiming a batch (up to {@code maxJobs}; once it holds a job it waits at most
 * {@code maxWait} for more), calling the handler once and recording the outcomes. It reuses the
 * single-job runtime's parts: {@link Heartbeat} extends the leases of every claimed job (also while
 * a batch is being gathered), {@link CompletionBatcher} stores the successes of a batch in one
 * {@code completeAll}, {@link AttemptRunner} records failures (retry or fail, listener events).
 *
 * <p>Shutdown: stop claiming (jobs of a batch being gathered go back at once); running batches get
 * the grace period; then their threads are interrupted and their jobs released (QUEUED at once).
 */
public final class BatchWorker<P, R> {
    private static final Duration SETTLE_AFTER_FORCE = Duration.ofSeconds(5);
    private static final int RELEASE_TRIES = 3;

    private final QueueSettings<P, R> s;
    private final BatchSettings<P, R> batch;
    private final AttemptRunner<P, R> runner;
    private final CompletionBatcher<P, R> completions;
    private final Map<LeaseRef, RunningJob<P>> inFlight = new ConcurrentHashMap<>();
    private final List<Thread> threads;
    private final Map<Thread, Slot> slots = new ConcurrentHashMap<>();
    private final Heartbeat heartbeat;
    private volatile boolean accepting = true;

    /** Whether a batch thread is claiming (may be interrupted by stop) or running a handler (gets the grace). */
    private static final class Slot {
        private boolean running; // guarded by this
    }

    public BatchWorker(QueueSettings<P, R> settings, BatchSettings<P, R> batch, LocalOutcomes<R> localOutcomes) {
        this.s = settings;
        this.batch = batch;
        this.completions = new CompletionBatcher<>(settings, localOutcomes, this::settled);
        this.runner = new AttemptRunner<>(settings, localOutcomes, completions);
        NamedThreads named = new NamedThreads("jobqueue-" + settings.name() + "-batch");
        this.threads = new ArrayList<>(settings.concurrency());
        for (int i = 0; i < settings.concurrency(); i++) {
            threads.add(named.newThread(this::batchLoop));
        }
        this.heartbeat = new Heartbeat(settings, inFlight);
    }

    /** Starts the threads; when that fails, the ones already started end before it throws. */
    public void start() {
        try {
            heartbeat.start();
            threads.forEach(Thread::start);
        } catch (RuntimeException | Error e) {
            accepting = false;
            threads.forEach(Thread::interrupt);
            try {
                heartbeat.stop();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private void batchLoop() {
        Slot slot = new Slot();
        slots.put(Thread.currentThread(), slot);
        ErrorBackoff backoff = new ErrorBackoff();
        try {
            while (accepting) {
                List<RunningJob<P>> jobs = gather(backoff);
                if (jobs.isEmpty()) {
                    continue;
                }
                synchronized (slot) {
                    if (!accepting) {
                        handBackAll(jobs);
                        return;
                    }
                    slot.running = true;
                    Thread.interrupted(); // an interrupt meant for the claim must not reach the handler
                }
                try {
                    runBatch(jobs);
                } catch (RuntimeException | Error e) { // guards the loop; handler failures never get here
                    s.logger().error("unexpected error running a batch of queue {}", s.name(), e);
                    s.listener().error(e);
                } finally {
                    synchronized (slot) {
                        slot.running = false;
                        Thread.interrupted(); // a forced-shutdown interrupt must not leak into the next claim
                    }
                }
            }
        } catch (InterruptedException e) {
            // stop() while claiming
        } finally {
            slots.remove(Thread.currentThread());
        }
    }

    /** Claims one batch: up to maxJobs, waiting at most maxWait after the first job for more. */
    private List<RunningJob<P>> gather(ErrorBackoff backoff) throws InterruptedException {
        List<RunningJob<P>> got = new ArrayList<>();
        long deadline = 0;
        try {
            while (accepting && got.size() < batch.maxJobs()) {
                Duration wait = s.claimWait();
                if (!got.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    wait = Duration.ofNanos(Math.min(left, wait.toNanos()));
                }
                List<ClaimedJob> claimed;
                try {
                    claimed = s.storage().claim(s.name(), s.workerId(), batch.maxJobs() - got.size(),
                            s.visibilityTimeout(), wait);
                    backoff.reset();
                } catch (RuntimeException e) {
                    s.logger().warn("claim on queue {} failed; backing off", s.name(), e);
                    s.listener().error(e);
                    if (!got.isEmpty()) {
                        break; // run what we have rather than hold it through an outage
                    }
                    backoff.pause();
                    continue;
                }
                for (ClaimedJob c : claimed) {
                    RunningJob<P> job = new RunningJob<>(c);
                    inFlight.put(job.lease(), job);
                    got.add(job);
                }
                if (deadline == 0 && !got.isEmpty()) {
                    deadline = System.nanoTime() + batch.maxWait().toNanos();
                    if (batch.maxWait().isZero()) {
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            handBackAll(got);
            throw e;
        }
        if (!accepting) {
            handBackAll(got);
            return List.of();
        }
        return got;
    }

    private void runBatch(List<RunningJob<P>> jobs) {
        Instant startedAt = s.clock().instant();
        long startNanos = System.nanoTime();
        List<RunningJob<P>> ready = new ArrayList<>(jobs.size());
        for (RunningJob<P> job : jobs) {
            job.runsOn(Thread.currentThread());
            s.listener().started(job.id(), job.attempt(), queueWait(job.claim()));
            try {
                job.payload(s.payloadSerde().deserialize(job.claim().payload()));
                ready.add(job);
            } catch (RuntimeException e) {
                runner.failUndeserializable(job, e, timing(startedAt, startNanos, job.claim()));
                settled(job);
            }
        }
        boolean pending = false;
        try {
            if (ready.isEmpty()) {
                return;
            }
            BatchOf<P, R> b = new BatchOf<>(ready);
            Throwable thrown = null;
            try {
                batch.handler().handle(b);
            } catch (Throwable t) { // an Error from a handler fails the batch, not the worker
                thrown = t;
            }
            Map<Job<P>, Outcome<R>> outcomes = b.close();
            for (RunningJob<P> job : ready) {
                if (!job.trySettle()) {
                    continue; // a forced shutdown already handed the job back
                }
                AttemptTiming timing = timing(startedAt, startNanos, job.claim());
                Outcome<R> o = outcomes.get(job);
                if (o != null && o.error() == null) {
                    byte[] bytes;
                    try {
                        bytes = s.resultSerde().serialize(o.result());
                    } catch (RuntimeException e) {
                        runner.recordFailure(job, e, null, timing);
                        settled(job);
                        continue;
                    }
                    completions.add(job, o.result(), bytes, null, timing);
                    pending = true;
                } else {
                    Throwable failure = o != null ? o.error() : thrown != null ? thrown
                            : new IllegalStateException("the batch handler returned without an outcome for job " + job.id()
                            + " (call batch.complete or batch.fail for every job)");
                    runner.recordFailure(job, failure, null, timing);
                    settled(job);
                }
            }
        } finally {
            for (RunningJob<P> job : jobs) {
                job.runsOn(null);
            }
        }
        if (pending) {
            completions.flush();
        }
    }

    private static Duration queueWait(ClaimedJob claim) {
        Duration wait = Duration.between(claim.readyAt(), claim.claimedAt());
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    private static AttemptTiming timing(Instant startedAt, long startNanos, ClaimedJob claim) {
        Duration duration = Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos));
        return new AttemptTiming(startedAt, startedAt.plus(duration), duration, queueWait(claim));
    }

    private void settled(RunningJob<P> job) {
        inFlight.remove(job.lease());
    }

    private void handBackAll(List<RunningJob<P>> jobs) {
        for (RunningJob<P> job : jobs) {
            if (job.trySettle()) {
                runner.handBack(job, false, RELEASE_TRIES);
            }
            settled(job);
        }
    }

    /**
     * Stops claiming (batches being gathered go back at once), waits up to {@code grace} for running
     * batches, then interrupts them and releases their jobs.
     *
     * @param grace how long running batches may take
     * @throws InterruptedException when the calling thread is interrupted
     */
    public void stop(Duration grace) throws InterruptedException {
        accepting = false;
        for (Map.Entry<Thread, Slot> e : slots.entrySet()) {
            synchronized (e.getValue()) {
                if (!e.getValue().running) {
                    e.getKey().interrupt();
                }
            }
        }
        long deadline = System.nanoTime() + grace.toNanos();
        if (!join(deadline)) {
            handBackUnsettled();
            if (!join(System.nanoTime() + SETTLE_AFTER_FORCE.toNanos())) {
                s.logger().warn("batch threads of queue {} ignore interrupts; leaving them behind", s.name());
            }
        }
        completions.drainOnStop(RELEASE_TRIES, System.nanoTime() + SETTLE_AFTER_FORCE.toNanos());
        handBackUnsettled();
        threads.forEach(Thread::interrupt);
        heartbeat.stop();
    }

    private boolean join(long deadlineNanos) throws InterruptedException {
        for (Thread t : threads) {
            long left = deadlineNanos - System.nanoTime();
            if (left > 0) {
                TimeUnit.NANOSECONDS.timedJoin(t, left);
            }
            if (t.isAlive()) {
                return false;
            }
        }
        return true;
    }

    private void handBackUnsettled() {
        for (RunningJob<P> job : inFlight.values()) {
            if (job.trySettle()) {
                job.shutDownForcibly();
                runner.handBack(job, job.hasStarted(), RELEASE_TRIES);
                settled(job);
            }
        }
    }

    /** One reported outcome: a result, or an error when {@code error} is not null. */
    private record Outcome<R>(R result, Throwable error) {
    }

    /** The {@link Batch} a handler sees; outcomes reported after the handler returned are ignored. */
    private static final class BatchOf<P, R> implements Batch<P, R> {
        private final List<Job<P>> jobs;
        private final Map<Job<P>, Outcome<R>> outcomes = new IdentityHashMap<>();
        private boolean closed; // guarded by this

        BatchOf(List<RunningJob<P>> jobs) {
            this.jobs = List.copyOf(jobs);
        }

        @Override
        public List<Job<P>> jobs() {
            return jobs;
        }

        @Override
        public void complete(Job<P> job, R result) {
            report(job, new Outcome<>(result, null));
        }

        @Override
        public void fail(Job<P> job, Throwable error) {
            if (error == null) {
                throw new IllegalArgumentException("error must not be null");
            }
            report(job, new Outcome<>(null, error));
        }

        private synchronized void report(Job<P> job, Outcome<R> outcome) {
            if (job == null || !jobs.contains(job)) {
                throw new IllegalArgumentException("job " + job + " is not of this batch");
            }
            if (closed) {
                throw new IllegalStateException("the batch handler has returned; the outcome of job " + job.id()
                        + " came too late and is ignored");
            }
            if (outcomes.putIfAbsent(job, outcome) != null) {
                throw new IllegalStateException("job " + job.id() + " already has an outcome in this batch");
            }
        }

        synchronized Map<Job<P>, Outcome<R>> close() {
            closed = true;
            return new IdentityHashMap<>(outcomes);
        }

        @Override
        public String toString() {
            return "Batch[" + jobs.size() + " jobs]";
        }
    }
}
