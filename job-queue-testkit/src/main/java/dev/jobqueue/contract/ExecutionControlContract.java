package dev.jobqueue.contract;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.BackOffException;
import dev.jobqueue.Backoff;
import dev.jobqueue.CancelResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.ExecutionTimeoutException;
import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.NonRetryableException;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.QueueListener;
import dev.jobqueue.SnoozeException;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/**
 * Execution control of a {@link Queue} end to end over a storage: execution timeouts (queue and
 * per job, unresponsive handlers), cancelling a running job from another queue instance, the retry
 * policy, snooze, back-off/throttle, per-job backoff, flow-control limits set through the queue,
 * and handler executors. Every storage runs it by subclassing and implementing
 * {@link #createStorage(Clock)}; it needs the storage's {@code snooze}, cancel of PROCESSING jobs,
 * {@code setLimits}/{@code limits} and {@code throttle}.
 *
 * <!-- snippet: execution-control-contract -->
 * <pre>{@code
 * class MyStorageExecutionControlTest extends ExecutionControlContract {
 *     @Override
 *     protected Storage createStorage(Clock clock) {
 *         return new MyStorage(clock);
 *     }
 * }
 * }</pre>
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ExecutionControlContract extends QueueContractSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);


    private final List<ExecutorService> executors = new CopyOnWriteArrayList<>();
    private Storage storage;
    private String name;

    /** Makes this suite's storage and queue name. */
    @BeforeEach
    void createStorageAndName() {
        storage = newStorage(Clock.systemUTC());
        name = "xc-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    protected void afterQueuesStopped() {
        executors.forEach(ExecutorService::shutdownNow);
    }

    private Queue.Builder<String, String> strings() {
        return Queue.builder(storage, String.class, String.class).name(name).backoff(Backoff.none())
                .closeOnJvmShutdown(false).shutdownGrace(Duration.ZERO);
    }

    private <P, R> Queue<P, R> started(Queue.Builder<P, R> b) {
        Queue<P, R> q = b.build();
        track(q);
        q.start();
        return q;
    }

    private <P, R> Queue<P, R> producer(Queue.Builder<P, R> b) {
        Queue<P, R> q = b.build();
        track(q);
        return q;
    }

    private static JobFailedException failure(Queue<String, String> q, String id, String payload, EnqueueOptions o)
            throws InterruptedException {
        return assertThrows(JobFailedException.class, () -> q.enqueueAndWait(id, payload, o, WAIT));
    }

    private JobStatus<String> awaitState(Queue<String, String> q, String id, JobState state) {
        await(id + " " + state, WAIT, () -> q.status(id).map(s -> s.state() == state).orElse(false));
        return q.status(id).orElseThrow();
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void anAttemptOverItsTimeoutIsInterruptedAndFailsWithTimeoutCode() throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cancelledSeen = new AtomicBoolean();
        Queue<String, String> q = started(strings().maxAttempts(1).timeout(Duration.ofMillis(300)).handler(job -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                cancelledSeen.set(job.isCancelled());
                throw e;
            }
            return "too late";
        }));
        JobFailedException e = failure(q, "slow", "x", EnqueueOptions.defaults());
        assertEquals(JobError.TIMEOUT, e.error().code());
        assertEquals(ExecutionTimeoutException.class.getName(), e.error().type());
        assertTrue(interrupted.get(), "handler interrupted");
        assertTrue(cancelledSeen.get(), "job.isCancelled() true after the timeout");
        assertEquals(JobState.FAILED, q.status("slow").orElseThrow().state());
    }

    @Test
    void aTimedOutAttemptIsRetriedLikeAnyFailure() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(2).timeout(Duration.ofMillis(300)).handler(job -> {
            if (attempts.incrementAndGet() == 1) {
                Thread.sleep(60_000);
            }
            return "ok " + job.attempt();
        }));
        assertEquals("ok 2", q.enqueueAndWait("retried", "x", WAIT));
    }

    @Test
    void aResultReturnedAfterTheTimeoutInterruptIsStillATimeout() throws Exception {
        Queue<String, String> q = started(strings().maxAttempts(1).timeout(Duration.ofMillis(200)).handler(job -> {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!job.isCancelled() && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return "partial";
        }));
        JobFailedException e = failure(q, "partial", "x", EnqueueOptions.defaults());
        assertEquals(JobError.TIMEOUT, e.error().code());
    }

    @Test
    void aPerJobTimeoutWinsOverTheQueuesAndIsStoredAsReservedMetadata() throws Exception {
        AtomicReference<Map<String, String>> seen = new AtomicReference<>();
        Queue<String, String> q = started(strings().maxAttempts(1).timeout(Duration.ofMinutes(10)).handler(job -> {
            seen.set(job.metadata());
            Thread.sleep(60_000);
            return "never";
        }));
        EnqueueOptions o = EnqueueOptions.builder().timeout(Duration.ofMillis(300)).build();
        JobFailedException e = failure(q, "own-timeout", "x", o);
        assertEquals(JobError.TIMEOUT, e.error().code());
        assertEquals("PT0.3S", seen.get().get("jobqueue.timeout"));
    }

    @Test
    void reservedMetadataKeysAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EnqueueOptions.builder().metadata(Map.of("jobqueue.timeout", "PT1S")));
        assertTrue(e.getMessage().contains("jobqueue."), e.getMessage());
    }

    @Test
    void anUnresponsiveHandlerIsReportedItsFailureRecordedAndItKeepsItsSlot() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondStarted = new AtomicBoolean();
        List<String> unresponsive = new CopyOnWriteArrayList<>();
        CapturingLogger log = new CapturingLogger("exec");
        Queue<String, String> q = started(strings().maxAttempts(1).concurrency(1).prefetch(0)
                .timeout(Duration.ofMillis(200)).timeoutGrace(Duration.ofMillis(300)).logger(log)
                .listener(new QueueListener() {
                    @Override
                    public void handlerUnresponsive(String jobId, int attempt, Duration runningFor) {
                        unresponsive.add(jobId + "#" + attempt);
                    }
                })
                .handler(job -> {
                    if (job.id().equals("second")) {
                        secondStarted.set(true);
                        return "second";
                    }
                    boolean done = false;
                    while (!done) { // ignores interrupts
                        try {
                            done = release.await(60, TimeUnit.SECONDS);
                        } catch (InterruptedException ignored) {
                            // keep waiting, like a handler stuck in uninterruptible I/O
                        }
                    }
                    return "late";
                }));
        q.enqueue("stuck", "x");
        JobStatus<String> failed = awaitState(q, "stuck", JobState.FAILED);
        assertEquals(JobError.TIMEOUT, failed.error().code());
        assertEquals(List.of("stuck#1"), unresponsive);
        assertTrue(log.lines().stream().anyMatch(l -> l.level() == Level.WARN && l.message().contains("stuck")
                && l.message().contains("attempt 1") && !l.message().contains("\"x\"")), "WARN naming job and attempt");
        q.enqueue("second", "y");
        Thread.sleep(500); // the stuck handler still holds the only slot
        assertFalse(secondStarted.get(), "no second job while the unresponsive handler holds its slot");
        release.countDown();
        awaitState(q, "second", JobState.COMPLETED);
        JobStatus<String> after = q.status("stuck").orElseThrow();
        assertEquals(JobState.FAILED, after.state(), "the late outcome is discarded");
        assertEquals(JobError.TIMEOUT, after.error().code());
    }

    // ---------------------------------------------------------------- cancelling running jobs

    @Test
    void cancellingARunningJobFromAnotherQueueInterruptsItsHandler() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean cancelledSeen = new AtomicBoolean();
        List<String> cancelledEvents = new CopyOnWriteArrayList<>();
        CapturingLogger log = new CapturingLogger("exec");
        started(strings().logger(log).listener(new QueueListener() {
            @Override
            public void runningJobCancelled(String jobId, int attempt) {
                cancelledEvents.add(jobId + "#" + attempt);
            }
        }).handler(job -> {
            running.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                cancelledSeen.set(job.isCancelled());
            }
            return "returned after cancel";
        }));
        Queue<String, String> other = producer(strings());
        CompletableFuture<String> waiter = other.submit("long", "x", EnqueueOptions.defaults(), WAIT);
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(CancelResult.CANCELLED, other.cancel("long"));
        await("handler interrupted", WAIT, interrupted::get);
        await("cancel reported", WAIT, () -> cancelledEvents.equals(List.of("long#1")));
        assertTrue(cancelledSeen.get(), "job.isCancelled() true");
        ExecutionException e = assertThrows(ExecutionException.class, () -> waiter.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof JobCancelledException, e.toString());
        Thread.sleep(200); // the handler's late outcome would be recorded by now
        assertEquals(JobState.CANCELLED, other.status("long").orElseThrow().state());
        assertFalse(log.lines().stream().anyMatch(l -> l.level() == Level.ERROR), log.lines()::toString);
    }

    @Test
    void withoutNoticesTheHeartbeatFindsTheCancelledJobAndInterruptsItsHandler() throws Exception {
        FaultInjectingStorage deaf = new FaultInjectingStorage(storage);
        deaf.dropNotifications = true;
        CountDownLatch running = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        List<String> cancelledEvents = new CopyOnWriteArrayList<>();
        List<String> leaseLostEvents = new CopyOnWriteArrayList<>();
        started(Queue.builder((Storage) deaf, String.class, String.class).name(name).closeOnJvmShutdown(false)
                .shutdownGrace(Duration.ZERO).visibilityTimeout(Duration.ofMillis(900))
                .listener(new QueueListener() {
                    @Override
                    public void runningJobCancelled(String jobId, int attempt) {
                        cancelledEvents.add(jobId);
                    }

                    @Override
                    public void leaseLost(String jobId, long fencingToken) {
                        leaseLostEvents.add(jobId);
                    }
                })
                .handler(job -> {
                    running.countDown();
                    try {
                        Thread.sleep(60_000);
                    } catch (InterruptedException e) {
                        interrupted.set(true);
                    }
                    return "late";
                }));
        Queue<String, String> other = producer(strings());
        other.enqueue("deaf", "x");
        assertTrue(running.await(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(CancelResult.CANCELLED, other.cancel("deaf"));
        await("handler interrupted by the heartbeat's answer", WAIT, interrupted::get);
        await("cancel reported", WAIT, () -> cancelledEvents.equals(List.of("deaf")));
        assertEquals(List.of(), leaseLostEvents, "a cancel, not a lost lease");
        assertEquals(JobState.CANCELLED, other.status("deaf").orElseThrow().state());
    }

    // ---------------------------------------------------------------- retry policy

    @Test
    void nonRetryableFailuresFailTheJobAtOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(5).nonRetryable(IllegalStateException.class)
                .handler(job -> {
                    runs.incrementAndGet();
                    switch (job.payload()) {
                        case "typed" -> throw new IllegalStateException("bad state");
                        case "marked" -> throw new NonRetryableException("NOPE", "never works");
                        default -> throw new RuntimeException("transient");
                    }
                }));
        JobFailedException typed = failure(q, "typed", "typed", EnqueueOptions.defaults());
        assertEquals(1, typed.error().attempts());
        assertEquals(IllegalStateException.class.getName(), typed.error().type());
        JobFailedException marked = failure(q, "marked", "marked", EnqueueOptions.defaults());
        assertEquals(1, marked.error().attempts());
        assertEquals("NOPE", marked.error().code());
        JobFailedException transientOne = failure(q, "transient", "other", EnqueueOptions.defaults());
        assertEquals(5, transientOne.error().attempts());
        assertEquals(7, runs.get());
    }

    @Test
    void retryIfDecidesWhichFailuresAreRetried() throws Exception {
        Queue<String, String> q = started(strings().maxAttempts(4)
                .retryIf(t -> !t.getMessage().startsWith("4"))
                .handler(job -> {
                    throw new RuntimeException(job.payload());
                }));
        assertEquals(1, failure(q, "client", "404", EnqueueOptions.defaults()).error().attempts());
        assertEquals(4, failure(q, "server", "503", EnqueueOptions.defaults()).error().attempts());
    }

    // ---------------------------------------------------------------- snooze and back-off

    @Test
    void aSnoozedJobRunsAgainLaterWithoutUsingAnAttempt() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        List<Duration> snoozes = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().maxAttempts(1).listener(new QueueListener() {
            @Override
            public void snoozed(String jobId, int attempt, Duration delay, boolean backOff) {
                snoozes.add(delay);
            }
        }).handler(job -> {
            attempts.add(job.attempt());
            if (attempts.size() < 3) {
                throw new SnoozeException(Duration.ofMillis(100));
            }
            return "done";
        }));
        assertEquals("done", q.enqueueAndWait("sleepy", "x", WAIT));
        assertEquals(List.of(1, 1, 1), attempts, "a snooze does not use the attempt");
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(100)), snoozes);
        JobStatus<String> s = q.status("sleepy").orElseThrow();
        assertEquals(1, s.attempts());
        assertEquals(null, s.error());
    }

    @Test
    void aSnoozedJobIsDelayed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Queue<String, String> q = started(strings().handler(job -> {
            if (runs.incrementAndGet() == 1) {
                throw new SnoozeException(Duration.ofHours(1));
            }
            return "second";
        }));
        q.enqueue("later", "x");
        JobStatus<String> s = awaitState(q, "later", JobState.DELAYED);
        assertEquals(0, s.attempts(), "the attempt was given back");
        assertEquals(null, s.error());
    }

    @Test
    void aBackOffThrottlesTheWholeQueueAndSnoozesTheJob() throws Exception {
        List<Instant> starts = new CopyOnWriteArrayList<>();
        List<Boolean> backOffs = new CopyOnWriteArrayList<>();
        AtomicReference<Instant> thrownAt = new AtomicReference<>();
        Queue<String, String> q = started(strings().concurrency(1).listener(new QueueListener() {
            @Override
            public void snoozed(String jobId, int attempt, Duration delay, boolean backOff) {
                backOffs.add(backOff);
            }
        }).handler(job -> {
            starts.add(Instant.now());
            if (job.id().equals("first") && thrownAt.get() == null) {
                thrownAt.set(Instant.now());
                throw new BackOffException(Duration.ofMillis(800));
            }
            return job.id();
        }));
        q.enqueue("first", "x");
        await("back-off thrown", WAIT, () -> thrownAt.get() != null);
        q.enqueue("second", "y");
        awaitState(q, "second", JobState.COMPLETED);
        awaitState(q, "first", JobState.COMPLETED);
        assertEquals(List.of(true), backOffs);
        Instant afterBackOff = starts.get(1);
        assertTrue(!afterBackOff.isBefore(thrownAt.get().plusMillis(500)),
                "no job started during the back-off: thrown " + thrownAt.get() + ", next start " + afterBackOff);
        assertEquals(1, q.status("first").orElseThrow().attempts());
    }

    @Test
    void throttleThroughTheQueueHoldsBackClaims() throws Exception {
        List<Instant> starts = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().handler(job -> {
            starts.add(Instant.now());
            return "ok";
        }));
        Instant asked = Instant.now();
        Instant until = q.throttle(Duration.ofMillis(700));
        assertTrue(until.isAfter(asked.plusMillis(300)), "throttled until " + until);
        q.enqueue("held", "x");
        awaitState(q, "held", JobState.COMPLETED);
        assertTrue(!starts.get(0).isBefore(asked.plusMillis(400)), "started at " + starts.get(0) + ", asked at " + asked);
    }

    // ---------------------------------------------------------------- per-job backoff

    @Test
    void aPerJobBackoffWinsOverTheQueues() throws Exception {
        List<Duration> retryIns = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().maxAttempts(2).listener(new QueueListener() {
            @Override
            public void failing(String jobId, int attempt, Duration retryIn, JobError error) {
                retryIns.add(retryIn);
            }
        }).handler(job -> {
            if (job.attempt() == 1) {
                throw new RuntimeException("once");
            }
            return "ok";
        }));
        EnqueueOptions o = EnqueueOptions.builder().backoff(Backoff.fixed(Duration.ofMillis(250))).build();
        assertEquals("ok", q.enqueueAndWait("own-backoff", "x", o, WAIT));
        assertEquals(List.of(Duration.ofMillis(250)), retryIns);
    }

    @Test
    void undecodableReservedMetadataFallsBackToTheQueuesDefaultsWithAWarning() throws Exception {
        CapturingLogger log = new CapturingLogger("exec");
        JobInterceptor corrupt = new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                return Map.of("jobqueue.backoff", "garbage", "jobqueue.timeout", "soon");
            }
        };
        Queue<String, String> q = started(strings().maxAttempts(2).logger(log).interceptor(corrupt).handler(job -> {
            if (job.attempt() == 1) {
                throw new RuntimeException("once");
            }
            return "ok";
        }));
        assertEquals("ok", q.enqueueAndWait("corrupt", "x", WAIT));
        assertTrue(log.contains(Level.WARN, "jobqueue.backoff"), log.lines()::toString);
        assertTrue(log.contains(Level.WARN, "jobqueue.timeout"), log.lines()::toString);
    }

    // ---------------------------------------------------------------- limits through the queue

    @Test
    void builderLimitsAreWrittenAtStartAndBoundRunningJobs() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        QueueLimits one = QueueLimits.NONE.withMaxRunning(1);
        Queue<String, String> q = started(strings().concurrency(4).limits(one).handler(job -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(100);
            running.decrementAndGet();
            return "ok";
        }));
        assertEquals(one, q.limits());
        for (int i = 0; i < 5; i++) {
            q.enqueue("j" + i, "x");
        }
        for (int i = 0; i < 5; i++) {
            awaitState(q, "j" + i, JobState.COMPLETED);
        }
        assertEquals(1, most.get(), "maxRunning 1 across a worker of concurrency 4");
        q.setLimits(QueueLimits.NONE);
        assertEquals(QueueLimits.NONE, q.limits());
    }

    // ---------------------------------------------------------------- executors

    @Test
    void handlersRunOnTheApplicationsExecutorWhichTheQueueDoesNotShutDown() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2, r -> new Thread(r, "app-pool-" + UUID.randomUUID()));
        executors.add(pool);
        Queue<String, String> q = started(strings().concurrency(2).executor(pool)
                .handler(job -> Thread.currentThread().getName()));
        assertTrue(q.enqueueAndWait("where", "x", WAIT).startsWith("app-pool-"));
        q.stop(Duration.ofSeconds(5));
        assertFalse(pool.isShutdown());
        assertEquals("still usable", pool.submit(() -> "still usable").get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }
}
