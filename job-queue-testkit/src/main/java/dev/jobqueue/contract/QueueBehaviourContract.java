package dev.jobqueue.contract;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.AttemptTiming;
import dev.jobqueue.Backoff;
import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.Job;
import dev.jobqueue.JobCancelledException;
import dev.jobqueue.JobError;
import dev.jobqueue.JobException;
import dev.jobqueue.JobFailedException;
import dev.jobqueue.JobHandler;
import dev.jobqueue.JobInfo;
import dev.jobqueue.JobInterceptor;
import dev.jobqueue.JobPage;
import dev.jobqueue.JobState;
import dev.jobqueue.JobStatus;
import dev.jobqueue.JobTimeoutException;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.JobMetadata;
import dev.jobqueue.spi.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.MDC;
import org.slf4j.event.Level;

/**
 * Behaviour of {@link Queue} end to end over a storage: deduplication, processing, retries,
 * request/response, TTLs, hooks, named queues, shutdown, fencing; the operations (list, inspect,
 * retry, delete, purge, promote, pause), metadata, attempt timing, interceptors and MDC. Every storage runs it by
 * subclassing and implementing {@link #createStorage(Clock)}.
 *
 * <p>End-to-end tests use the system clock; TTL tests use a {@link ManualClock} (skipped for
 * storages that keep their own time, see {@link #storageFollowsGivenClock()}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class QueueBehaviourContract extends QueueContractSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);



    /**
     * The test's storage, fresh for each test (on the system clock unless replaced by {@link #manualClockStorage()}).
     */
    protected Storage storage;
    /**
     * A queue name unique to the test.
     */
    protected String name;

    @BeforeEach
    void createDefaultStorage() {
        storage = newStorage(Clock.systemUTC());
        name = "q-" + UUID.randomUUID().toString().substring(0, 8);
    }



    /**
     * Replaces {@link #storage} with one on a new manual clock; skips the test when the storage
     * keeps its own time.
     *
     * @return the clock to advance
     */
    protected ManualClock manualClockStorage() {
        assumeTrue(storageFollowsGivenClock(), "storage keeps its own time");
        ManualClock clock = new ManualClock();
        storage = newStorage(clock);
        return clock;
    }

    /**
     * The storage's clock for TTL checks that need no time to pass: a fresh {@link ManualClock}
     * storage where the storage follows the given clock, else the system clock (the storage keeps
     * its own time, e.g. a server's, on this host).
      *
      * @return the clock the storage's TTLs are measured on
     */
    protected Clock ttlClock() {
        return storageFollowsGivenClock() ? manualClockStorage() : Clock.systemUTC();
    }

    /**
     * Asserts that a record expires {@code ttl} after it was written, which happened between
     * {@code from} and now; exact with a manual clock, a few seconds of slack with a real one.
      *
      * @param from the storage time just before the write
      * @param clock the storage's clock, read for the time after the write
      * @param ttl the TTL the record was written with
      * @param expiresAt the record's expiry as stored
     */
    protected static void assertExpiresAt(Instant from, Clock clock, Duration ttl, Instant expiresAt) {
        Instant to = clock.instant();
        Duration slack = from.equals(to) ? Duration.ZERO : Duration.ofSeconds(5);
        assertNotNull(expiresAt, "expiresAt");
        Instant earliest = from.plus(ttl).minus(slack);
        Instant latest = to.plus(ttl).plus(slack);
        assertTrue(!expiresAt.isBefore(earliest) && !expiresAt.isAfter(latest),
                "expiresAt " + expiresAt + " should be " + ttl + " after the write, in [" + earliest + ", " + latest + "]");
    }

    /**
     * A string queue on the test's storage and name, retrying at once, tracked for teardown.
     *
     * @return a queue builder to add a handler or options to
     */
    protected Queue.Builder<String, String> strings() {
        return Queue.builder(storage, String.class, String.class).name(name).backoff(Backoff.none());
    }

    /**
     * A producer-only string queue (no handler, not started).
     *
     * @return the queue
     */
    protected Queue<String, String> producer() {
        return track(strings().build());
    }

    /**
     * Builds and starts a queue that is stopped after the test.
     *
     * @param b the builder
     * @return the started queue
     */
    protected Queue<String, String> started(Queue.Builder<String, String> b) {
        Queue<String, String> q = track(b.build());
        q.start();
        return q;
    }

    /**
     * A started string queue running {@code handler}.
     *
     * @param handler the job handler
     * @return the started queue
     */
    protected Queue<String, String> worker(JobHandler<String, String> handler) {
        return started(strings().handler(handler));
    }

    /**
     * A handler that succeeds with the payload in upper case.
     *
     * @return the handler
     */
    protected static JobHandler<String, String> upper() {
        return job -> job.payload().toUpperCase();
    }

    /**
     * Waits until the job is in {@code state}, failing after a generous deadline.
     *
     * @param q the queue to ask
     * @param id the job's id
     * @param state the state to wait for
     */
    protected static void awaitState(Queue<?, ?> q, String id, JobState state) {
        await("job " + id + " in state " + state,
                () -> q.status(id).map(s -> s.state() == state).orElse(false));
    }

    /**
     * Waits for the latch to reach zero, failing after 20 s.
     *
     * @param latch the latch
     * @param what describes the awaited event in the failure message
     * @throws InterruptedException when the test thread is interrupted while waiting
     */
    protected static void awaitLatch(CountDownLatch latch, String what) throws InterruptedException {
        assertTrue(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS), "timed out waiting for " + what);
    }

    /** Records events, in order, as "event:id". */
    protected static final class Events implements QueueListener {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final List<JobError> failedErrors = new CopyOnWriteArrayList<>();

        @Override
        public void enqueued(String jobId) {
            seen.add("enqueued:" + jobId);
        }

        @Override
        public void started(String jobId, int attempt) {
            seen.add("started:" + jobId);
        }

        @Override
        public void completed(String jobId, int attempt) {
            seen.add("completed:" + jobId);
        }

        @Override
        public void failing(String jobId, int attempt, Duration retryIn, JobError error) {
            seen.add("failing:" + jobId);
        }

        @Override
        public void failed(String jobId, JobError error) {
            seen.add("failed:" + jobId);
            failedErrors.add(error);
        }

        @Override
        public void requeued(String jobId) {
            seen.add("requeued:" + jobId);
        }

        @Override
        public void cancelled(String jobId) {
            seen.add("cancelled:" + jobId);
        }

        @Override
        public void leaseLost(String jobId, long fencingToken) {
            seen.add("leaseLost:" + jobId);
        }

        boolean has(String event) {
            return seen.contains(event);
        }

        long count(String event) {
            return seen.stream().filter(event::equals).count();
        }
    }

    // ================================================================= Deduplication

    @Test
    void duplicateIdWhileQueuedIsReportedAsDuplicateEvenWithADifferentPayload() {
        Queue<String, String> q = producer();
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("a", "first").kind());
        EnqueueResult<String> again = q.enqueue("a", "second");
        assertEquals(EnqueueResult.Kind.DUPLICATE, again.kind());
        assertEquals(JobState.QUEUED, again.state());
        assertEquals(1L, q.counts().get(JobState.QUEUED));
    }

    @Test
    void duplicateWhileProcessingIsReportedAsDuplicate() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = worker(job -> {
            running.countDown();
            release.await();
            return "done";
        });
        q.enqueue("a", "x");
        awaitLatch(running, "handler start");
        EnqueueResult<String> dup = q.enqueue("a", "y");
        assertEquals(EnqueueResult.Kind.DUPLICATE, dup.kind());
        assertEquals(JobState.PROCESSING, dup.state());
        release.countDown();
    }

    @Test
    void duplicateAfterCompletionReturnsTheCachedResultEvenWithADifferentPayload() throws Exception {
        Queue<String, String> q = worker(upper());
        assertEquals("HELLO", q.enqueueAndWait("a", "hello", WAIT));
        EnqueueResult<String> dup = q.enqueue("a", "other payload");
        assertEquals(EnqueueResult.Kind.COMPLETED, dup.kind());
        assertEquals("HELLO", dup.result());
    }

    @Test
    void duplicateAfterFailureIsReportedWithTheFailedState() {
        Queue<String, String> q = worker(job -> {
            throw new IllegalStateException("boom");
        });
        q.enqueue("a", "x", EnqueueOptions.builder().maxAttempts(1).build());
        awaitState(q, "a", JobState.FAILED);
        EnqueueResult<String> dup = q.enqueue("a", "y");
        assertEquals(EnqueueResult.Kind.DUPLICATE, dup.kind());
        assertEquals(JobState.FAILED, dup.state());
        assertEquals("boom", dup.error().message());
    }

    @Test
    void afterCancellationANewJobWithTheSameIdIsAccepted() {
        Queue<String, String> q = producer();
        q.enqueue("a", "x");
        assertEquals(CancelResult.CANCELLED, q.cancel("a"));
        EnqueueResult<String> again = q.enqueue("a", "y");
        assertEquals(EnqueueResult.Kind.QUEUED, again.kind());
        assertEquals(JobState.QUEUED, q.status("a").orElseThrow().state());
    }

    @Test
    void concurrentEnqueueOfTheSameIdFromManyThreadsCreatesExactlyOneJob() throws Exception {
        Queue<String, String> q = producer();
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Future<EnqueueResult<String>>> results = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String payload = "p" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return q.enqueue("same", payload);
                }));
            }
            int created = 0;
            for (Future<EnqueueResult<String>> f : results) {
                if (f.get().kind() == EnqueueResult.Kind.QUEUED) {
                    created++;
                }
            }
            assertEquals(1, created);
            assertEquals(1L, q.counts().get(JobState.QUEUED));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resultsExpireAfterTheirTtlAndThenTheIdCanBeEnqueuedAgain() throws Exception {
        ManualClock clock = manualClockStorage();
        Queue<String, String> q = started(strings().resultTtl(Duration.ofSeconds(10)).handler(upper()));
        assertEquals("A", q.enqueueAndWait("a", "a", WAIT));
        clock.advance(Duration.ofSeconds(9));
        assertEquals(EnqueueResult.Kind.COMPLETED, q.enqueue("a", "again").kind(), "still blocked within the TTL");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(q.status("a").isEmpty(), "status of an expired id is none");
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("a", "again").kind());
        assertEquals("AGAIN", q.enqueueAndWait("a", "ignored", WAIT));
    }

    @Test
    void errorsExpireAfterTheirTtlAndThenTheIdCanBeEnqueuedAgain() {
        ManualClock clock = manualClockStorage();
        Queue<String, String> q = started(strings().resultTtl(Duration.ofSeconds(10)).maxAttempts(1).handler(job -> {
            throw new IllegalArgumentException("bad");
        }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILED);
        clock.advance(Duration.ofSeconds(9));
        assertEquals(EnqueueResult.Kind.DUPLICATE, q.enqueue("a", "x").kind(), "still blocked within the TTL");
        clock.advance(Duration.ofSeconds(2));
        assertTrue(q.status("a").isEmpty());
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("a", "x").kind());
    }

    @Test
    void resultsAndErrorsExpireInRealTimeOnStoragesThatKeepTheirOwnClock() throws Exception {
        assumeFalse(storageFollowsGivenClock(), "covered with a ManualClock above");
        Queue<String, String> q = started(strings().resultTtl(Duration.ofSeconds(3)).maxAttempts(1).handler(job -> {
            if (job.id().equals("bad")) {
                throw new IllegalStateException("bad");
            }
            return "ok";
        }));
        assertEquals("ok", q.enqueueAndWait("good", "x", WAIT));
        assertThrows(JobFailedException.class, () -> q.enqueueAndWait("bad", "x", WAIT));
        assertEquals(EnqueueResult.Kind.COMPLETED, q.enqueue("good", "x").kind(), "blocked within the TTL");
        await("result and error expired", () -> q.status("good").isEmpty() && q.status("bad").isEmpty());
        assertEquals(TtlUpdateResult.NOT_FOUND, q.updateResultTtl("good", Duration.ofMinutes(1)));
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("good", "x").kind());
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("bad", "x").kind());
    }

    // ================================================================= Queue lifecycle

    @Test
    void repeatedStartAndStopCallsAreHarmlessAndAStoppedQueueCanBeStartedAgain() throws Exception {
        Queue<String, String> q = track(strings().handler(upper()).build());
        q.start();
        q.start();
        assertTrue(q.isRunning());
        assertEquals("A", q.enqueueAndWait("a", "a", WAIT));
        q.stop(Duration.ofSeconds(5));
        q.stop(Duration.ofSeconds(5));
        q.close();
        assertFalse(q.isRunning());
        q.enqueue("b", "b");
        assertEquals(JobState.QUEUED, q.status("b").orElseThrow().state(), "nothing processes while stopped");
        q.start();
        awaitState(q, "b", JobState.COMPLETED);
        assertEquals("B", q.result("b").orElseThrow());
    }

    @Test
    void noThreadOfTheQueueIsLeftAfterStop() throws Exception {
        Queue<String, String> q = started(strings().concurrency(3).handler(upper()));
        assertEquals("X", q.enqueueAndWait("a", "x", WAIT));
        String prefix = "jobqueue-" + name + "-";
        assertTrue(threadsNamed(prefix) > 0);
        q.stop(Duration.ofSeconds(5));
        await("claimer, handler and heartbeat threads ended", () -> threadsNamed(prefix) == 0);
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void closingANeverStartedProducerEndsItsWaits() {
        Queue<String, String> q = producer();
        CompletableFuture<String> waiting = q.submit("a", "x", EnqueueOptions.defaults(), WAIT);
        q.close();
        assertTrue(waiting.isCompletedExceptionally());
        assertEquals(0, q.waitingCallers());
    }

    @Test
    void aProducerOnlyQueueCanBeStartedAndStopped() {
        Queue<String, String> q = producer();
        q.start();
        q.enqueue("a", "x");
        q.stop(Duration.ofSeconds(1));
        assertEquals(JobState.QUEUED, q.status("a").orElseThrow().state());
    }

    @Test
    void aCustomLoggerIsHonoured() throws Exception {
        CapturingLogger logger = new CapturingLogger("custom");
        Queue<String, String> q = started(strings().logger(logger).maxAttempts(1).handler(job -> {
            throw new IllegalStateException("logged failure");
        }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILED);
        await("failure logged on the custom logger", () -> logger.contains(Level.WARN, "job a failed"));
        assertTrue(logger.contains(Level.INFO, "started"), "lifecycle logged on the custom logger");
    }

    @Test
    void enqueueQueuesProcessingRunsTheHandlerEmitsCompletedAndStoresTheResult() {
        Events events = new Events();
        Queue<String, String> q = started(strings().listener(events).handler(upper()));
        EnqueueResult<String> r = q.enqueue("a", "hello");
        assertEquals(EnqueueResult.Kind.QUEUED, r.kind());
        assertEquals(JobState.QUEUED, r.state());
        awaitState(q, "a", JobState.COMPLETED);
        await("completed event", () -> events.has("completed:a"));
        assertTrue(events.has("enqueued:a"));
        assertTrue(events.has("started:a"));
        assertEquals("HELLO", q.result("a").orElseThrow());
        EnqueueResult<String> dup = q.enqueue("a", "hello");
        assertEquals(EnqueueResult.Kind.COMPLETED, dup.kind());
        assertEquals("HELLO", dup.result());
    }

    @Test
    void enqueueAllEnqueuesManyJobsInOneCall() {
        FaultInjectingStorage counting = new FaultInjectingStorage(storage);
        Queue<String, String> q = track(Queue.builder((Storage) counting, String.class, String.class).name(name).build());
        q.enqueue("b", "existing");
        List<EnqueueResult<String>> results = q.enqueueAll(List.of(
                EnqueueRequest.of("a", "1"),
                EnqueueRequest.of("b", "2"),
                EnqueueRequest.of("c", "3", EnqueueOptions.builder().delay(Duration.ofHours(1)).build())));
        assertEquals(List.of(EnqueueResult.Kind.QUEUED, EnqueueResult.Kind.DUPLICATE, EnqueueResult.Kind.QUEUED),
                results.stream().map(EnqueueResult::kind).toList());
        assertEquals(JobState.DELAYED, q.status("c").orElseThrow().state());
        assertEquals(2L, q.counts().get(JobState.QUEUED));
        assertEquals(1, counting.batchEnqueues.get(), "one storage call for the whole list");
    }

    @Test
    void enqueueAndWaitReturnsTheResult() throws Exception {
        Queue<String, String> q = worker(upper());
        assertEquals("HI", q.enqueueAndWait("a", "hi", WAIT));
    }

    @Test
    void enqueueAndWaitTimesOutWhenTheJobIsTooSlow() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = worker(job -> {
            release.await();
            return "late";
        });
        JobTimeoutException e = assertThrows(JobTimeoutException.class,
                () -> q.enqueueAndWait("slow", "x", Duration.ofMillis(200)));
        assertEquals("slow", e.jobId());
        assertEquals(0, q.waitingCallers());
        release.countDown();
        awaitState(q, "slow", JobState.COMPLETED);
    }

    @Test
    void enqueueAndWaitReturnsAtOnceForAnAlreadyCompletedJob() throws Exception {
        Queue<String, String> w = worker(upper());
        assertEquals("X", w.enqueueAndWait("a", "x", WAIT));
        w.stop(Duration.ofSeconds(5));
        Queue<String, String> producerOnly = producer();
        assertEquals("X", producerOnly.enqueueAndWait("a", "ignored", Duration.ofSeconds(5)));
    }

    @Test
    void enqueueAndWaitUsesTheDefaultTimeoutWhenNoneIsGiven() {
        Queue<String, String> q = track(strings().defaultWaitTimeout(Duration.ofMillis(200)).build());
        assertThrows(JobTimeoutException.class, () -> q.enqueueAndWait("nobody-runs-me", "x"));
        assertThrows(JobTimeoutException.class, () -> q.enqueueAndWait("me-neither", "x", EnqueueOptions.defaults()));
    }

    @Test
    void failedJobsAreRetriedUntilTheySucceed() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Events events = new Events();
        Queue<String, String> q = started(strings().maxAttempts(3).listener(events).handler(job -> {
            if (calls.incrementAndGet() < 3) {
                throw new IllegalStateException("attempt " + job.attempt());
            }
            return "ok on " + job.attempt();
        }));
        assertEquals("ok on 3", q.enqueueAndWait("a", "x", WAIT));
        assertEquals(2, events.count("failing:a"));
        assertEquals(3, q.status("a").orElseThrow().attempts());
    }

    @Test
    void theHandlerSeesAttemptMaxAttemptsCreatedAtAndAFencingTokenThatGrowsPerAttempt() throws Exception {
        List<Job<String>> attempts = new CopyOnWriteArrayList<>();
        List<String> payloads = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().handler(job -> {
            attempts.add(job);
            payloads.add(job.payload());
            if (job.attempt() < 3) {
                throw new IllegalStateException("again");
            }
            return "done";
        }));
        assertEquals("done", q.enqueueAndWait("a", "the payload", EnqueueOptions.builder().maxAttempts(4).build(), WAIT));
        assertEquals(List.of(1, 2, 3), attempts.stream().map(Job::attempt).toList());
        assertTrue(attempts.stream().allMatch(j -> j.maxAttempts() == 4 && j.id().equals("a") && !j.isCancelled()));
        assertEquals(List.of("the payload", "the payload", "the payload"), payloads);
        assertEquals(1, attempts.stream().map(Job::createdAt).distinct().count(), "createdAt is the job's, not the attempt's");
        assertTrue(attempts.get(0).fencingToken() < attempts.get(1).fencingToken()
                && attempts.get(1).fencingToken() < attempts.get(2).fencingToken());
    }

    /** A generic payload and result, as used with type references. */
    public record Line(String sku, int quantity) {
    }

    @Test
    void genericPayloadAndResultTypesWorkThroughTypeReferences() throws Exception {
        Queue<List<Line>, Map<String, Integer>> q = track(Queue.builder(storage,
                        new com.fasterxml.jackson.core.type.TypeReference<List<Line>>() { },
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Integer>>() { })
                .name(name).handler(job -> {
                    Map<String, Integer> totals = new java.util.TreeMap<>();
                    for (Line l : job.payload()) {
                        totals.merge(l.sku(), l.quantity(), Integer::sum);
                    }
                    return totals;
                }).build());
        q.start();
        Map<String, Integer> totals = q.enqueueAndWait("order",
                List.of(new Line("apple", 2), new Line("pear", 1), new Line("apple", 3)), WAIT);
        assertEquals(Map.of("apple", 5, "pear", 1), totals);
        assertEquals(Map.of("apple", 5, "pear", 1), q.result("order").orElseThrow());
    }

    @Test
    void aFailedEventIsEmittedAfterMaxAttempts() {
        Events events = new Events();
        AtomicInteger calls = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(3).listener(events).handler(job -> {
            calls.incrementAndGet();
            throw new IllegalStateException("always");
        }));
        q.enqueue("a", "x");
        await("failed event", () -> events.has("failed:a"));
        assertEquals(3, calls.get());
        assertEquals(2, events.count("failing:a"));
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals(JobState.FAILED, s.state());
        assertEquals(3, s.error().attempts());
    }

    @Test
    void retriesFollowTheBackoffTheJobWaitsInFailing() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(2).backoff(Backoff.fixed(Duration.ofHours(1)))
                .handler(job -> {
                    if (job.id().equals("a")) {
                        calls.incrementAndGet();
                        throw new IllegalStateException("fails");
                    }
                    return "fine";
                }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILING);
        // A later job runs to completion, proving the worker is busy while "a" keeps waiting.
        assertEquals("fine", q.enqueueAndWait("b", "y", WAIT));
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals(JobState.FAILING, s.state());
        assertEquals(1, calls.get(), "not retried at once");
        assertTrue(s.runAt().isAfter(s.createdAt().plus(Duration.ofMinutes(59))), "due after the backoff: " + s.runAt());
        assertEquals("fails", s.error().message(), "the last error is kept while failing");
    }

    @Test
    void aRetryRunsOnceItsBackoffHasPassed() throws Exception {
        ManualClock clock = manualClockStorage();
        AtomicInteger calls = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(2).backoff(Backoff.fixed(Duration.ofMinutes(10)))
                .handler(job -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("first fails");
                    }
                    return "second works";
                }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILING);
        clock.advance(Duration.ofMinutes(11));
        awaitState(q, "a", JobState.COMPLETED);
        assertEquals(2, calls.get());
    }

    @Test
    void delayedJobsDoNotRunBeforeTheirTime() throws Exception {
        ManualClock clock = manualClockStorage();
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Queue<String, String> q = worker(job -> {
            ran.add(job.id());
            return "ok";
        });
        EnqueueResult<String> r = q.enqueue("later", "x", EnqueueOptions.builder().delay(Duration.ofMinutes(5)).build());
        assertEquals(JobState.DELAYED, r.state());
        q.enqueue("at", "x", EnqueueOptions.builder().runAt(clock.instant().plus(Duration.ofMinutes(10))).build());
        assertEquals("ok", q.enqueueAndWait("now", "x", WAIT));
        assertFalse(ran.contains("later"));
        assertFalse(ran.contains("at"));
        assertEquals(JobState.DELAYED, q.status("later").orElseThrow().state());
        clock.advance(Duration.ofMinutes(6));
        awaitState(q, "later", JobState.COMPLETED);
        assertEquals(JobState.DELAYED, q.status("at").orElseThrow().state());
        clock.advance(Duration.ofMinutes(5));
        awaitState(q, "at", JobState.COMPLETED);
    }

    @Test
    void higherPriorityJobsRunFirstAndFifoWithinAPriority() throws Exception {
        Queue<String, String> p = producer();
        p.enqueue("low-1", "x", EnqueueOptions.builder().priority(-1).build());
        p.enqueue("mid-1", "x");
        p.enqueue("high-1", "x", EnqueueOptions.builder().priority(10).build());
        p.enqueue("mid-2", "x");
        p.enqueue("high-2", "x", EnqueueOptions.builder().priority(10).build());
        List<String> order = new CopyOnWriteArrayList<>();
        worker(job -> {
            order.add(job.id());
            return "ok";
        });
        await("all five ran", () -> order.size() == 5);
        assertEquals(List.of("high-1", "high-2", "mid-1", "mid-2", "low-1"), order);
    }

    @Test
    void cancelAQueuedJob() {
        Events events = new Events();
        Queue<String, String> q = track(strings().listener(events).build());
        q.enqueue("a", "x");
        assertEquals(CancelResult.CANCELLED, q.cancel("a"));
        assertEquals(JobState.CANCELLED, q.status("a").orElseThrow().state());
        assertTrue(events.has("cancelled:a"));
    }

    @Test
    void cancelOfAnUnknownIdIsNotFound() {
        assertEquals(CancelResult.NOT_FOUND, producer().cancel("nope"));
    }

    @Test
    void cancelCancelsARunningJobAndReportsCompletedAndFailedJobsWithoutChangingThem() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = started(strings().maxAttempts(1).handler(job -> {
            switch (job.id()) {
                case "block" -> {
                    running.countDown();
                    // Returns when released or interrupted (a runtime may interrupt a cancelled job's handler).
                    release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    return "ok";
                }
                case "fail" -> throw new IllegalStateException("no");
                default -> {
                    return "ok";
                }
            }
        }));
        q.enqueueAndWait("done", "x", WAIT);
        q.enqueue("fail", "x");
        awaitState(q, "fail", JobState.FAILED);
        q.enqueue("block", "x");
        awaitLatch(running, "blocking job start");
        assertEquals(CancelResult.CANCELLED, q.cancel("block"));
        assertEquals(CancelResult.COMPLETED, q.cancel("done"));
        assertEquals(CancelResult.FAILED, q.cancel("fail"));
        assertEquals(JobState.CANCELLED, q.status("block").orElseThrow().state());
        release.countDown();
        // The handler's late outcome is rejected: the job stays CANCELLED, and the queue goes on.
        assertEquals("ok", q.enqueueAndWait("after", "x", WAIT));
        assertEquals(JobState.CANCELLED, q.status("block").orElseThrow().state());
        assertEquals(CancelResult.CANCELLED, q.cancel("block"));
    }

    @Test
    void aCancelledJobIsNeverProcessed() throws Exception {
        Queue<String, String> p = producer();
        p.enqueue("cancelled", "x");
        p.cancel("cancelled");
        Set<String> ran = ConcurrentHashMap.newKeySet();
        Queue<String, String> w = worker(job -> {
            ran.add(job.id());
            return "ok";
        });
        assertEquals("ok", w.enqueueAndWait("after", "x", WAIT));
        assertFalse(ran.contains("cancelled"));
        assertEquals(JobState.CANCELLED, w.status("cancelled").orElseThrow().state());
    }

    @Test
    void enqueueAndWaitOnACancelledJobFailsWithJobCancelledException() {
        Queue<String, String> q = producer();
        q.enqueue("a", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        CompletableFuture<String> waiting = q.submit("a", "x", EnqueueOptions.defaults(), WAIT);
        assertEquals(CancelResult.CANCELLED, q.cancel("a"));
        Throwable cause = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).getCause();
        assertTrue(cause instanceof JobCancelledException, "got " + cause);
    }

    @Test
    void statusOfAJobWithTheResultWhenCompleted() throws Exception {
        Queue<String, String> q = worker(upper());
        q.enqueueAndWait("a", "abc", WAIT);
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals("a", s.id());
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals("ABC", s.result());
        assertEquals(1, s.attempts());
        assertEquals(3, s.maxAttempts());
        assertNotNull(s.createdAt());
        assertNotNull(s.expiresAt());
        assertNull(s.error());
    }

    @Test
    void statusOfAQueuedJobAndNoneForAnUnknownId() {
        Queue<String, String> q = producer();
        q.enqueue("a", "x", EnqueueOptions.builder().priority(3).maxAttempts(5).build());
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(3, s.priority());
        assertEquals(5, s.maxAttempts());
        assertEquals(0, s.attempts());
        assertNull(s.result());
        assertTrue(q.status("unknown").isEmpty());
        assertTrue(q.result("unknown").isEmpty());
        assertTrue(q.error("unknown").isEmpty());
    }

    @Test
    void aFailedJobsStatusCarriesTheStructuredError() {
        Queue<String, String> q = started(strings().maxAttempts(2).handler(job -> {
            throw new JobException("CARD_DECLINED", "card was declined");
        }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILED);
        JobError e = q.error("a").orElseThrow();
        assertEquals(JobException.class.getName(), e.type());
        assertEquals("card was declined", e.message());
        assertEquals("CARD_DECLINED", e.code());
        assertTrue(e.stackTrace().contains("card was declined") && e.stackTrace().contains("at "), e.stackTrace());
        assertEquals(2, e.attempts());
        assertEquals(e, q.status("a").orElseThrow().error());
    }

    @Test
    void aPerJobResultTtlOverridesTheDefault() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> q = started(strings().resultTtl(Duration.ofHours(1)).handler(upper()));
        q.enqueueAndWait("a", "x", EnqueueOptions.builder().resultTtl(Duration.ofMinutes(2)).build(), WAIT);
        assertExpiresAt(from, clock, Duration.ofMinutes(2), q.status("a").orElseThrow().expiresAt());
    }

    @Test
    void theDefaultResultTtlAppliesWhenNoOverrideIsGiven() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> q = started(strings().resultTtl(Duration.ofMinutes(7)).handler(upper()));
        q.enqueueAndWait("a", "x", WAIT);
        assertExpiresAt(from, clock, Duration.ofMinutes(7), q.status("a").orElseThrow().expiresAt());
    }

    @Test
    void theFirstAcceptedEnqueuesTtlStandsForDuplicates() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> p = track(strings().build());
        p.enqueue("a", "x", EnqueueOptions.builder().resultTtl(Duration.ofMinutes(3)).build());
        p.enqueue("a", "x", EnqueueOptions.builder().resultTtl(Duration.ofMinutes(30)).build());
        Queue<String, String> w = worker(upper());
        awaitState(w, "a", JobState.COMPLETED);
        assertExpiresAt(from, clock, Duration.ofMinutes(3), w.status("a").orElseThrow().expiresAt());
    }

    @Test
    void invalidResultTtlsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> EnqueueOptions.builder().resultTtl(Duration.ZERO).build());
        assertThrows(IllegalArgumentException.class, () -> EnqueueOptions.builder().resultTtl(Duration.ofSeconds(-1)).build());
        assertThrows(IllegalArgumentException.class, () -> strings().resultTtl(Duration.ZERO));
        Queue<String, String> q = producer();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> q.updateResultTtl("a", Duration.ofMillis(-5)));
        assertTrue(e.getMessage().contains("ttl"), e.getMessage());
    }

    @Test
    void theAfterExecutionHookCanReplaceTheResultAndTheTtl() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> q = started(strings().handler(upper())
                .afterExecution((job, outcome) -> outcome.withResult(outcome.result() + "!")
                        .withResultTtl(Duration.ofMinutes(42))));
        assertEquals("A!", q.enqueueAndWait("a", "a", WAIT));
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals("A!", s.result());
        assertExpiresAt(from, clock, Duration.ofMinutes(42), s.expiresAt());
    }

    @Test
    void theAfterExecutionHookCanReplaceTheTtlOnFailure() {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        List<Boolean> sawFailure = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().maxAttempts(1)
                .handler(job -> {
                    throw new IllegalStateException("nope");
                })
                .afterExecution((job, outcome) -> {
                    sawFailure.add(!outcome.succeeded() && outcome.failure().getMessage().equals("nope"));
                    return outcome.withResultTtl(Duration.ofDays(2));
                }));
        q.enqueue("a", "x");
        awaitState(q, "a", JobState.FAILED);
        assertEquals(List.of(true), sawFailure);
        assertExpiresAt(from, clock, Duration.ofDays(2), q.status("a").orElseThrow().expiresAt());
    }

    @Test
    void errorsInTheHookAreLoggedEvenWithoutAListenerAndTheOriginalTtlIsKept() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        CapturingLogger logger = new CapturingLogger("hook");
        Queue<String, String> q = started(strings().logger(logger).resultTtl(Duration.ofMinutes(9)).handler(upper())
                .afterExecution((job, outcome) -> {
                    throw new IllegalStateException("hook broke");
                }));
        assertEquals("A", q.enqueueAndWait("a", "a", WAIT));
        assertExpiresAt(from, clock, Duration.ofMinutes(9), q.status("a").orElseThrow().expiresAt());
        assertTrue(logger.lines().stream().anyMatch(l -> l.level() == Level.WARN && l.message().contains("afterExecution")
                && l.error() != null && "hook broke".equals(l.error().getMessage())));
    }

    @Test
    void updateResultTtlOnCompletedAndFailedJobs() throws Exception {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> q = started(strings().maxAttempts(1).handler(job -> {
            if (job.id().equals("bad")) {
                throw new IllegalStateException("bad");
            }
            return "ok";
        }));
        q.enqueueAndWait("good", "x", WAIT);
        q.enqueue("bad", "x");
        awaitState(q, "bad", JobState.FAILED);
        from = clock.instant();
        assertEquals(TtlUpdateResult.UPDATED, q.updateResultTtl("good", Duration.ofMinutes(5)));
        assertEquals(TtlUpdateResult.UPDATED, q.updateResultTtl("bad", Duration.ofMinutes(6)));
        assertExpiresAt(from, clock, Duration.ofMinutes(5), q.status("good").orElseThrow().expiresAt());
        assertExpiresAt(from, clock, Duration.ofMinutes(6), q.status("bad").orElseThrow().expiresAt());
    }

    @Test
    void updateResultTtlIsNotFoundForUnknownOrExpiredAndNotTerminalForQueuedJobs() throws Exception {
        ManualClock clock = manualClockStorage();
        Queue<String, String> q = started(strings().resultTtl(Duration.ofSeconds(30)).handler(upper()));
        q.enqueueAndWait("done", "x", WAIT);
        q.stop(Duration.ofSeconds(5));
        q.enqueue("waiting", "x");
        assertEquals(TtlUpdateResult.NOT_FOUND, q.updateResultTtl("unknown", Duration.ofMinutes(1)));
        assertEquals(TtlUpdateResult.NOT_TERMINAL, q.updateResultTtl("waiting", Duration.ofMinutes(1)));
        clock.advance(Duration.ofSeconds(31));
        assertEquals(TtlUpdateResult.NOT_FOUND, q.updateResultTtl("done", Duration.ofMinutes(1)));
    }

    @Test
    void jobsRunConcurrentlyUpToConcurrencyAndNeverMore() throws Exception {
        int concurrency = 3;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = started(strings().concurrency(concurrency).handler(job -> {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            try {
                release.await();
            } finally {
                running.decrementAndGet();
            }
            return "ok";
        }));
        for (int i = 0; i < 9; i++) {
            q.enqueue("j" + i, "x");
        }
        await("three jobs running at once", () -> running.get() == concurrency);
        await("six jobs still waiting", () -> q.counts().get(JobState.QUEUED) == 6L);
        release.countDown();
        await("all done", () -> q.counts().get(JobState.COMPLETED) == 9L);
        assertEquals(concurrency, maxRunning.get());
    }

    // ================================================================= Request/response

    @Test
    void manyConcurrentCallersEachGetTheirOwnResultOverOneSharedSubscription() throws Exception {
        FaultInjectingStorage counting = new FaultInjectingStorage(storage);
        Queue<String, String> q = started(Queue.builder((Storage) counting, String.class, String.class).name(name)
                .concurrency(4).handler(upper()));
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(q.submit("job-" + i, "payload-" + i, EnqueueOptions.defaults(), WAIT));
        }
        for (int i = 0; i < 200; i++) {
            assertEquals("PAYLOAD-" + i, futures.get(i).get(WAIT.toSeconds(), TimeUnit.SECONDS));
        }
        assertEquals(0, q.waitingCallers());
        assertEquals(1, counting.subscribeCalls.get(), "one subscription per queue, not one per job");
    }

    @Test
    void aDuplicateEnqueueAndWaitWhileQueuedWaitsForTheSameJob() throws Exception {
        Queue<String, String> p = producer();
        CompletableFuture<String> first = p.submit("a", "first", EnqueueOptions.defaults(), WAIT);
        CompletableFuture<String> second = p.submit("a", "second", EnqueueOptions.defaults(), WAIT);
        assertEquals(2, p.waitingCallers());
        worker(upper());
        assertEquals("FIRST", first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("FIRST", second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
    }

    @Test
    void aDuplicateEnqueueAndWaitWhileInProgressWaitsForTheSameJob() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Queue<String, String> q = worker(job -> {
            runs.incrementAndGet();
            running.countDown();
            release.await();
            return job.payload();
        });
        CompletableFuture<String> first = q.submit("a", "first", EnqueueOptions.defaults(), WAIT);
        awaitLatch(running, "first run");
        CompletableFuture<String> second = q.submit("a", "second", EnqueueOptions.defaults(), WAIT);
        release.countDown();
        assertEquals("first", first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals("first", second.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(1, runs.get());
    }

    @Test
    void aJobFailingAfterItsAttemptsFailsTheCallerWithTheStoredError() {
        Queue<String, String> q = started(strings().maxAttempts(2).handler(job -> {
            throw new JobException("E42", "attempt " + job.attempt() + " failed");
        }));
        JobFailedException e = assertThrows(JobFailedException.class, () -> q.enqueueAndWait("a", "x", WAIT));
        assertEquals("a", e.jobId());
        assertEquals("E42", e.error().code());
        assertEquals("attempt 2 failed", e.error().message());
        assertEquals(q.error("a").orElseThrow(), e.error());
    }

    @Test
    void thePerJobTtlAppliesToTheStoredError() {
        Clock clock = ttlClock();
        Instant from = clock.instant();
        Queue<String, String> q = started(strings().maxAttempts(1).handler(job -> {
            throw new IllegalStateException("no");
        }));
        assertThrows(JobFailedException.class, () -> q.enqueueAndWait("a", "x",
                EnqueueOptions.builder().resultTtl(Duration.ofMinutes(4)).build(), WAIT));
        assertExpiresAt(from, clock, Duration.ofMinutes(4), q.status("a").orElseThrow().expiresAt());
    }

    @Test
    void anAlreadyFailedIdFailsAtOnce() throws Exception {
        Queue<String, String> w = started(strings().maxAttempts(1).handler(job -> {
            throw new IllegalStateException("no");
        }));
        w.enqueue("a", "x");
        awaitState(w, "a", JobState.FAILED);
        w.stop(Duration.ofSeconds(5));
        Queue<String, String> p = producer();
        JobFailedException e = assertThrows(JobFailedException.class,
                () -> p.enqueueAndWait("a", "x", Duration.ofSeconds(5)));
        assertEquals("no", e.error().message());
    }

    @Test
    void largeResultsComeBackIntact() throws Exception {
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 3_000_000; i++) {
            big.append(i).append(',');
        }
        String expected = big.toString();
        Queue<String, String> q = worker(job -> expected);
        String got = q.enqueueAndWait("big", "x", WAIT);
        assertEquals(expected.length(), got.length());
        assertEquals(expected, got);
        assertEquals(expected, q.result("big").orElseThrow());
    }

    @Test
    void noWaiterIsLeftBehindAfterTimeoutsEvenAfterThousandsOfCalls() throws Exception {
        Queue<String, String> p = producer();
        List<CompletableFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            futures.add(p.submit("never-" + i, "x", EnqueueOptions.defaults(), Duration.ofMillis(1 + i % 20)));
        }
        for (CompletableFuture<String> f : futures) {
            Throwable t = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(WAIT.toSeconds(), TimeUnit.SECONDS)).getCause();
            assertTrue(t instanceof JobTimeoutException, "got " + t);
        }
        await("no waiter left", () -> p.waitingCallers() == 0);
    }

    @Test
    void aLostNotificationCannotHangACallerStatusIsReadAgainAfterAResubscribe() throws Exception {
        FaultInjectingStorage lossy = new FaultInjectingStorage(storage);
        lossy.dropNotifications = true;
        Queue<String, String> caller = track(Queue.builder((Storage) lossy, String.class, String.class).name(name).build());
        CompletableFuture<String> waiting = caller.submit("a", "x", EnqueueOptions.defaults(), WAIT);
        Queue<String, String> otherProcess = worker(upper()); // not the caller's queue: no in-process fast path
        awaitState(otherProcess, "a", JobState.COMPLETED);
        assertFalse(waiting.isDone(), "the notification was lost");
        lossy.announceResubscribe();
        assertEquals("X", waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, caller.waitingCallers());
    }

    @Test
    void aCallerThatStopsWaitingLeavesNoWaiterBehind() {
        Queue<String, String> p = producer();
        CompletableFuture<String> f = p.submit("a", "x", EnqueueOptions.defaults(), WAIT);
        assertEquals(1, p.waitingCallers());
        f.cancel(false);
        assertEquals(0, p.waitingCallers());
    }

    // ================================================================= Named queues

    @Test
    void jobsDedupResultsAndStatusAreIsolatedPerQueueName() throws Exception {
        Queue<String, String> a = started(strings().name(name + "-a").handler(job -> "from a"));
        Queue<String, String> b = started(strings().name(name + "-b").handler(job -> "from b"));
        assertEquals("from a", a.enqueueAndWait("same-id", "x", WAIT));
        assertTrue(b.status("same-id").isEmpty());
        assertEquals(EnqueueResult.Kind.QUEUED, b.enqueue("same-id", "x").kind(), "the same id is allowed in another queue");
        awaitState(b, "same-id", JobState.COMPLETED);
        assertEquals("from a", a.result("same-id").orElseThrow());
        assertEquals("from b", b.result("same-id").orElseThrow());
        assertEquals(1L, a.counts().get(JobState.COMPLETED));
        assertEquals(1L, b.counts().get(JobState.COMPLETED));
    }

    @Test
    void anUnnamedQueueWorks() throws Exception {
        Queue<String, String> q = track(Queue.builder(storage, String.class, String.class).handler(upper()).build());
        q.start();
        assertEquals("default", q.name());
        assertEquals("OK", q.enqueueAndWait("a", "ok", WAIT));
    }

    @Test
    void repeatedStartStopCyclesOnASharedStorageWork() throws Exception {
        for (int cycle = 0; cycle < 5; cycle++) {
            Queue<String, String> a = started(strings().name(name + "-a").handler(upper()));
            Queue<String, String> b = started(strings().name(name + "-b").handler(upper()));
            assertEquals("A" + cycle, a.enqueueAndWait("a" + cycle, "a" + cycle, WAIT));
            assertEquals("B" + cycle, b.enqueueAndWait("b" + cycle, "b" + cycle, WAIT));
            a.stop(Duration.ofSeconds(5));
            b.stop(Duration.ofSeconds(5));
        }
    }

    // ================================================================= End to end

    @Test
    void workSpreadsAcrossSeveralWorkers() throws Exception {
        // Both jobs can only finish if two different workers run them at the same time.
        CyclicBarrier together = new CyclicBarrier(2);
        Set<String> workers = ConcurrentHashMap.newKeySet();
        Queue<String, String> w1 = started(strings().workerId("w1").handler(job -> {
            workers.add("w1");
            together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "w1";
        }));
        started(strings().workerId("w2").handler(job -> {
            workers.add("w2");
            together.await(WAIT.toSeconds(), TimeUnit.SECONDS);
            return "w2";
        }));
        w1.enqueue("j1", "x");
        w1.enqueue("j2", "x");
        awaitState(w1, "j1", JobState.COMPLETED);
        awaitState(w1, "j2", JobState.COMPLETED);
        assertEquals(Set.of("w1", "w2"), workers);
    }

    @Test
    void producerOnlyAndWorkerOnlyQueuesWorkTogether() throws Exception {
        Queue<String, String> producerOnly = producer();
        worker(upper());
        assertEquals("X", producerOnly.enqueueAndWait("a", "x", WAIT));
        producerOnly.enqueue("b", "y");
        awaitState(producerOnly, "b", JobState.COMPLETED);
        assertEquals("Y", producerOnly.result("b").orElseThrow());
    }

    @Test
    void highConcurrencyProcessesEveryJobExactlyOnce() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Queue<String, String> q = started(strings().concurrency(16).handler(job -> {
            runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
            return job.payload();
        }));
        List<EnqueueRequest<String>> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            batch.add(EnqueueRequest.of("job-" + i, "p" + i));
        }
        q.enqueueAll(batch);
        await("2000 jobs completed", () -> q.counts().get(JobState.COMPLETED) == 2000L);
        assertEquals(2000, runs.size());
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 1));
    }

    @Test
    void oddJobIdsWork() throws Exception {
        Queue<String, String> q = worker(job -> job.id());
        List<String> ids = List.of("a:b", "{x}", "*", "../../etc/passwd", "a/b\\c", "ünï©ødé-✓", "with space",
                "x?", "emoji-\uD83D\uDE00", "x".repeat(CheckedStorage.MAX_NAME_LENGTH));
        for (String id : ids) {
            assertEquals(id, q.enqueueAndWait(id, "x", WAIT));
            assertEquals(id, q.status(id).orElseThrow().id());
        }
        assertEquals((long) ids.size(), q.counts().get(JobState.COMPLETED));
    }

    @Test
    void idsBreakingTheIdRulesAreRejectedBeforeAnythingIsStoredOrAwaited() throws Exception {
        Queue<String, String> q = worker(job -> job.id());
        assertEquals("x?", q.enqueueAndWait("x?", "x", WAIT));
        for (String bad : List.of("x\uD800", "\uDC00x", "x".repeat(CheckedStorage.MAX_NAME_LENGTH + 1), "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.enqueueAndWait(bad, "x", WAIT));
            assertTrue(e.getMessage().startsWith("id "), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> q.submit(bad, "x", EnqueueOptions.defaults(), WAIT));
            assertThrows(IllegalArgumentException.class, () -> q.enqueue(bad, "x"));
            assertThrows(IllegalArgumentException.class, () -> q.status(bad));
        }
        assertEquals(1L, q.counts().get(JobState.COMPLETED), "only the valid id was stored");
        assertEquals("x?", q.status("x?").orElseThrow().result(), "the valid id that an unpaired surrogate used to collide with is intact");
    }

    @Test
    void enqueueAsyncCompletesWithTheSameResultsAsEnqueue() throws Exception {
        Queue<String, String> q = started(strings().handler(upper()));
        assertEquals("DONE", q.enqueueAndWait("done", "done", WAIT));
        q.enqueue("waiting-dup", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        EnqueueResult<String> created = q.enqueueAsync("a", "a").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        EnqueueResult<String> completed = q.enqueueAsync("done", "other").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        EnqueueResult<String> duplicate = q.enqueueAsync("waiting-dup", "y").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(EnqueueResult.Kind.QUEUED, created.kind());
        assertEquals(EnqueueResult.Kind.COMPLETED, completed.kind());
        assertEquals("DONE", completed.result());
        assertEquals(EnqueueResult.Kind.DUPLICATE, duplicate.kind());
        assertEquals(JobState.DELAYED, duplicate.state());
        awaitState(q, "a", JobState.COMPLETED);
        assertEquals("A", q.result("a").orElseThrow());
        assertThrows(IllegalArgumentException.class, () -> q.enqueueAsync("", "x"), "bad ids fail at once, not in the future");
    }

    @Test
    void invalidIdsAreRejected() {
        Queue<String, String> q = producer();
        assertThrows(IllegalArgumentException.class, () -> q.enqueue("", "x"));
        assertThrows(IllegalArgumentException.class, () -> q.enqueue(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> q.status(""));
    }

    // ================================================================= Failures and shutdown

    @Test
    void anUndeserializablePayloadFailsThatJobWithAPersistedErrorAndNoRetry() throws Exception {
        Queue<String, String> stringProducer = producer();
        stringProducer.enqueue("bad", "not a number");
        AtomicInteger handled = new AtomicInteger();
        Queue<Integer, Integer> numbers = track(Queue.builder(storage, Integer.class, Integer.class).name(name)
                .maxAttempts(3).handler(job -> {
                    handled.incrementAndGet();
                    return job.payload() * 2;
                }).build());
        numbers.start();
        awaitState(numbers, "bad", JobState.FAILED);
        JobError e = numbers.error("bad").orElseThrow();
        assertEquals(JobError.DESERIALIZATION_TYPE, e.type());
        assertEquals(1, e.attempts());
        assertEquals(0, handled.get());
        assertEquals(42, numbers.enqueueAndWait("good", 21, WAIT), "the worker loop survived");
    }

    @Test
    void aHandlerThrowingAnErrorIsRecordedAsAFailureAndDoesNotKillTheLoop() throws Exception {
        Queue<String, String> q = started(strings().maxAttempts(1).handler(job -> {
            if (job.id().startsWith("err")) {
                throw new AssertionError("an Error, not an Exception");
            }
            return "fine";
        }));
        for (int i = 0; i < 3; i++) {
            q.enqueue("err" + i, "x");
        }
        for (int i = 0; i < 3; i++) {
            awaitState(q, "err" + i, JobState.FAILED);
            assertEquals(AssertionError.class.getName(), q.error("err" + i).orElseThrow().type());
        }
        assertEquals("fine", q.enqueueAndWait("ok", "x", WAIT));
    }

    @Test
    void listenerExceptionsNeverBreakTheQueue() throws Exception {
        QueueListener throwing = new QueueListener() {
            @Override
            public void enqueued(String jobId) {
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void started(String jobId, int attempt) {
                throw new IllegalStateException("listener broke");
            }

            @Override
            public void completed(String jobId, int attempt) {
                throw new IllegalStateException("listener broke");
            }
        };
        Events events = new Events();
        Queue<String, String> q = started(strings().listener(throwing).listener(events).handler(upper()));
        assertEquals("A", q.enqueueAndWait("a", "a", WAIT));
        await("later listeners still called", () -> events.has("completed:a"));
    }

    @Test
    void gracefulShutdownLetsInFlightJobsFinishWithinTheGracePeriod() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = worker(job -> {
            running.countDown();
            release.await();
            return "finished";
        });
        q.enqueue("a", "x");
        awaitLatch(running, "handler start");
        CompletableFuture<Thread> stopper = new CompletableFuture<>();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(() -> {
            stopper.complete(Thread.currentThread());
            q.stop(Duration.ofSeconds(30));
        });
        Thread stopThread = stopper.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await("stop waits for the running job", () -> stopThread.getState() == Thread.State.TIMED_WAITING);
        assertFalse(stopping.isDone());
        assertEquals(JobState.PROCESSING, q.status("a").orElseThrow().state());
        release.countDown();
        stopping.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(JobState.COMPLETED, q.status("a").orElseThrow().state());
        assertEquals("finished", q.result("a").orElseThrow());
    }

    @Test
    void afterTheGracePeriodHandlersAreInterruptedAndTheirJobsAreQueuedAgainAtOnce() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicBoolean sawCancelled = new AtomicBoolean();
        Events events = new Events();
        Queue<String, String> q = started(strings().concurrency(2).listener(events).handler(job -> {
            running.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.set(true);
                sawCancelled.set(job.isCancelled());
                throw e;
            }
            return "never";
        }));
        q.enqueue("a", "x");
        q.enqueue("b", "x");
        awaitLatch(running, "both handlers running");
        q.stop(Duration.ofMillis(100));
        assertEquals(JobState.QUEUED, q.status("a").orElseThrow().state());
        assertEquals(JobState.QUEUED, q.status("b").orElseThrow().state());
        assertEquals(0L, q.counts().get(JobState.PROCESSING), "none left PROCESSING");
        await("handler interrupted", interrupted::get);
        assertTrue(sawCancelled.get(), "job.isCancelled() is true on forced shutdown");
        assertTrue(events.has("requeued:a") && events.has("requeued:b"));
        assertEquals(1, q.status("a").orElseThrow().attempts(), "the attempt stays counted");
    }

    @Test
    void stopWithoutInFlightJobsReturnsPromptlyAndLeavesNothingProcessing() throws Exception {
        Queue<String, String> q = started(strings().concurrency(4).handler(upper()));
        for (int i = 0; i < 100; i++) {
            q.enqueue("j" + i, "x");
        }
        q.stop(Duration.ofSeconds(10));
        assertEquals(0L, q.counts().get(JobState.PROCESSING));
        long done = q.counts().get(JobState.COMPLETED);
        long queued = q.counts().get(JobState.QUEUED);
        assertEquals(100L, done + queued);
    }

    @Test
    void fencingACompletionFromAWorkerWhoseLeaseWasTakenOverIsRejected() throws Exception {
        ManualClock clock = manualClockStorage();
        CountDownLatch firstRunning = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        Events firstEvents = new Events();
        Queue<String, String> first = started(strings().workerId("first").visibilityTimeout(Duration.ofSeconds(30))
                .listener(firstEvents).handler(job -> {
                    firstRunning.countDown();
                    releaseFirst.await();
                    return "from first";
                }));
        first.enqueue("a", "x");
        awaitLatch(firstRunning, "first attempt");
        expireLeaseAndReap(clock, "a");
        Queue<String, String> second = started(strings().workerId("second").handler(job -> "from second"));
        awaitState(second, "a", JobState.COMPLETED);
        releaseFirst.countDown();
        await("the stale completion is reported as lease lost", () -> firstEvents.has("leaseLost:a"));
        assertEquals("from second", first.result("a").orElseThrow(), "the newer attempt's outcome stands");
        assertFalse(firstEvents.has("completed:a"));
        assertEquals(2, first.status("a").orElseThrow().attempts());
    }

    /** Moves storage time past the job's lease and reaps it (a heartbeat may extend in between: retry). */
    private void expireLeaseAndReap(ManualClock clock, String id) {
        await("lease of " + id + " expired and reaped", () -> {
            clock.advance(Duration.ofMinutes(5));
            return storage.requeueExpired(name, 10).stream().anyMatch(j -> j.id().equals(id));
        });
    }

    @Test
    void aLostLeaseMarksTheRunningJobCancelled() throws Exception {
        ManualClock clock = manualClockStorage();
        CountDownLatch running = new CountDownLatch(1);
        List<Job<String>> seen = new CopyOnWriteArrayList<>();
        Events events = new Events();
        // Heartbeats every 100 ms of real time; the lease is 300 ms of storage time.
        Queue<String, String> q = started(strings().visibilityTimeout(Duration.ofMillis(300)).listener(events)
                .handler(job -> {
                    seen.add(job);
                    running.countDown();
                    while (!job.isCancelled()) {
                        Thread.sleep(1); // a cooperative long-running handler
                    }
                    return "gave up";
                }));
        q.enqueue("a", "x");
        awaitLatch(running, "handler start");
        expireLeaseAndReap(clock, "a");
        await("heartbeat learns the lease is lost", () -> events.has("leaseLost:a"));
        await("the handler sees isCancelled()", () -> seen.get(0).isCancelled());
        assertEquals(1L, events.count("leaseLost:a"), "reported once");
    }

    @Test
    void storageErrorsAreSurvivedTheWorkerBacksOffAndRecovers() throws Exception {
        FaultInjectingStorage flaky = new FaultInjectingStorage(storage);
        flaky.claimFailure = new IllegalStateException("injected: claim failed");
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(Queue.builder((Storage) flaky, String.class, String.class).name(name)
                .listener(new QueueListener() {
                    @Override
                    public void error(Throwable error) {
                        errors.add(error);
                    }
                }).handler(upper()));
        q.enqueue("a", "x");
        await("errors reported", () -> errors.size() >= 2);
        flaky.claimFailure = null;
        awaitState(q, "a", JobState.COMPLETED);
    }

    // ================================================================= Operating a queue

    /** Every page of {@code state} in {@code order}, following the cursors; fails on a page loop. */
    private static <P, R> List<JobInfo<P, R>> allPages(Queue<P, R> q, JobState state, ListOrder order, int pageSize) {
        List<JobInfo<P, R>> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 1000; pages++) {
            JobPage<P, R> page = q.list(state, order, cursor, pageSize);
            assertTrue(page.jobs().size() <= pageSize, "page of " + page.jobs().size() + " > limit " + pageSize);
            all.addAll(page.jobs());
            cursor = page.nextCursor();
            if (cursor == null) {
                return all;
            }
        }
        throw new AssertionError("paging did not end");
    }

    private static List<String> ids(List<? extends JobInfo<?, ?>> jobs) {
        return jobs.stream().map(JobInfo::id).toList();
    }

    @Test
    void listPagesThroughAStateInClaimOrderWithPayloadAndMetadata() {
        Queue<String, String> q = producer();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "job-" + i;
            q.enqueue(id, "payload-" + i, EnqueueOptions.builder().metadata(Map.of("n", Integer.toString(i))).build());
            expected.add(id);
        }
        q.enqueue("urgent", "u", EnqueueOptions.builder().priority(5).build());
        q.enqueue("later", "l", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        expected.add(0, "urgent"); // claim order: higher priority first

        JobPage<String, String> first = q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 3);
        assertEquals(List.of("urgent", "job-0", "job-1"), ids(first.jobs()));
        assertTrue(first.hasNext());
        List<JobInfo<String, String>> all = allPages(q, JobState.QUEUED, ListOrder.OLDEST_FIRST, 3);
        assertEquals(expected, ids(all), "every job exactly once, in claim order");
        List<String> reversed = new ArrayList<>(expected);
        Collections.reverse(reversed);
        assertEquals(reversed, ids(allPages(q, JobState.QUEUED, ListOrder.NEWEST_FIRST, 2)));

        JobInfo<String, String> job3 = all.stream().filter(j -> j.id().equals("job-3")).findFirst().orElseThrow();
        assertEquals("payload-3", job3.payload());
        assertEquals(Map.of("n", "3"), job3.metadata());
        assertEquals(JobState.QUEUED, job3.state());
        assertNotNull(job3.createdAt());
        assertNull(job3.startedAt());
        assertNull(job3.decodeError());
        assertEquals(List.of("later"), ids(q.list(JobState.DELAYED, ListOrder.OLDEST_FIRST, 10).jobs()));
        assertEquals(List.of(), q.list(JobState.FAILED, ListOrder.OLDEST_FIRST, 10).jobs());
        assertNull(q.list(JobState.FAILED, ListOrder.OLDEST_FIRST, 10).nextCursor());
    }

    @Test
    void aCursorIsCheckedAgainstItsStateAndOrder() {
        Queue<String, String> q = producer();
        for (int i = 0; i < 3; i++) {
            q.enqueue("job-" + i, "x");
        }
        String cursor = q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 1).nextCursor();
        assertNotNull(cursor);
        for (String bad : List.of("garbage", "x".repeat(40))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, bad, 10));
            assertTrue(e.getMessage().contains("cursor"), e.getMessage());
        }
        IllegalArgumentException otherState = assertThrows(IllegalArgumentException.class,
                () -> q.list(JobState.DELAYED, ListOrder.OLDEST_FIRST, cursor, 10));
        assertTrue(otherState.getMessage().contains("cursor"), otherState.getMessage());
        IllegalArgumentException otherOrder = assertThrows(IllegalArgumentException.class,
                () -> q.list(JobState.QUEUED, ListOrder.NEWEST_FIRST, cursor, 10));
        assertTrue(otherOrder.getMessage().contains("cursor"), otherOrder.getMessage());
        assertEquals(List.of("job-1", "job-2"), ids(q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, cursor, 10).jobs()));
    }

    @Test
    void aPayloadThisQueueCannotReadIsListedWithADecodeError() {
        producer().enqueue("text", "not a number");
        Queue<Integer, Integer> numbers = track(Queue.builder(storage, Integer.class, Integer.class).name(name).build());
        numbers.enqueue("number", 7);
        List<JobInfo<Integer, Integer>> jobs = numbers.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 10).jobs();
        assertEquals(List.of("text", "number"), ids(jobs));
        assertNull(jobs.get(0).payload());
        assertTrue(jobs.get(0).decodeError().startsWith("payload: "), jobs.get(0).decodeError());
        assertEquals(7, jobs.get(1).payload());
        assertNull(jobs.get(1).decodeError());
        assertNull(numbers.inspect("text").orElseThrow().payload());
        assertEquals(DeleteResult.DELETED, numbers.delete("text"), "an unreadable job can still be removed");
    }

    @Test
    void inspectShowsOneJobWithPayloadMetadataResultAndAttemptTimes() throws Exception {
        Queue<String, String> q = worker(upper());
        assertTrue(q.inspect("unknown").isEmpty());
        q.enqueueAndWait("a", "hello", EnqueueOptions.builder().metadata(Map.of("tenant", "acme")).build(), WAIT);
        JobInfo<String, String> a = q.inspect("a").orElseThrow();
        assertEquals(JobState.COMPLETED, a.state());
        assertEquals("hello", a.payload());
        assertEquals("HELLO", a.result());
        assertEquals(Map.of("tenant", "acme"), a.metadata());
        assertEquals(1, a.attempts());
        assertNotNull(a.expiresAt());
        assertNotNull(a.startedAt(), "startedAt");
        assertNotNull(a.finishedAt(), "finishedAt");
        assertFalse(a.startedAt().isBefore(a.createdAt()), a.startedAt() + " before " + a.createdAt());
        assertFalse(a.finishedAt().isBefore(a.startedAt()), a.finishedAt() + " before " + a.startedAt());
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals(Map.of("tenant", "acme"), s.metadata());
        assertEquals(a.startedAt(), s.startedAt());
        assertEquals(a.finishedAt(), s.finishedAt());
    }

    @Test
    void aRetriedFailedJobRunsAgainToCompletionAndCanBeWaitedFor() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        AtomicInteger runs = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(2).handler(job -> {
            runs.incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("downstream down");
            }
            return "done on attempt " + job.attempt();
        }));
        assertThrows(JobFailedException.class, () -> q.enqueueAndWait("a", "x", WAIT));
        assertEquals(2, runs.get());
        assertEquals(RetryResult.NOT_FOUND, q.retry("unknown"));
        broken.set(false);
        assertEquals(RetryResult.RETRIED, q.retry("a"));
        assertEquals("done on attempt 1", q.enqueueAndWait("a", "ignored", WAIT), "a fresh attempt budget");
        JobStatus<String> s = q.status("a").orElseThrow();
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals(1, s.attempts());
        assertNull(s.error());
        assertEquals(3, runs.get());
        assertEquals(RetryResult.NOT_RETRYABLE, q.retry("a"), "a completed job is not retried");
    }

    @Test
    void aCancelledJobCanBeRetriedAndAWaitingJobIsNotRetryable() {
        Queue<String, String> q = producer();
        q.enqueue("a", "x", EnqueueOptions.builder().metadata(Map.of("k", "v")).priority(3).build());
        assertEquals(RetryResult.NOT_RETRYABLE, q.retry("a"));
        assertEquals(JobState.QUEUED, q.status("a").orElseThrow().state(), "nothing changed");
        q.cancel("a");
        assertEquals(RetryResult.RETRIED, q.retry("a"));
        JobInfo<String, String> a = q.inspect("a").orElseThrow();
        assertEquals(JobState.QUEUED, a.state());
        assertEquals("x", a.payload());
        assertEquals(Map.of("k", "v"), a.metadata());
        assertEquals(3, a.priority());
    }

    @Test
    void retryAllRetriesEveryFailedJobOnce() throws Exception {
        AtomicBoolean broken = new AtomicBoolean(true);
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        Queue<String, String> q = started(strings().concurrency(4).maxAttempts(1).handler(job -> {
            runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
            if (broken.get()) {
                throw new IllegalStateException("broken");
            }
            return "ok";
        }));
        for (int i = 0; i < 30; i++) {
            q.enqueue("job-" + i, "x");
        }
        await("30 failed", () -> q.counts().get(JobState.FAILED) == 30L);
        broken.set(false);
        assertEquals(30, q.retryAll(JobState.FAILED));
        await("30 completed", () -> q.counts().get(JobState.COMPLETED) == 30L);
        assertTrue(runs.values().stream().allMatch(n -> n.get() == 2), runs.toString());
        assertEquals(0, q.retryAll(JobState.FAILED));
        assertEquals(0, q.retryAll(JobState.CANCELLED));
    }

    @Test
    void deleteRemovesAJobInAnyStateButProcessingAndFreesItsId() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Queue<String, String> q = worker(job -> {
            if (job.id().equals("busy")) {
                running.countDown();
                release.await();
            }
            return "ran " + job.payload();
        });
        q.enqueue("busy", "x");
        awaitLatch(running, "busy running");
        assertEquals(DeleteResult.PROCESSING, q.delete("busy"));
        assertEquals(JobState.PROCESSING, q.status("busy").orElseThrow().state(), "nothing changed");
        release.countDown();
        awaitState(q, "busy", JobState.COMPLETED);
        assertEquals(DeleteResult.DELETED, q.delete("busy"));
        assertTrue(q.status("busy").isEmpty());
        assertEquals(DeleteResult.NOT_FOUND, q.delete("busy"));
        assertEquals("ran again", q.enqueueAndWait("busy", "again", WAIT), "the id is free for a new job");
        q.enqueue("delayed", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        assertEquals(DeleteResult.DELETED, q.delete("delayed"));
        assertEquals(0L, q.counts().get(JobState.DELAYED));
    }

    @Test
    void deletingAJobSomeoneWaitsForEndsTheWaitWithJobCancelledException() throws Exception {
        Queue<String, String> q = producer();
        CompletableFuture<String> waiting = q.submit("a", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build(), WAIT);
        await("enqueued", () -> q.status("a").isPresent());
        assertEquals(DeleteResult.DELETED, q.delete("a"));
        java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof JobCancelledException, "got " + e.getCause());
    }

    @Test
    void purgeDeletesEveryJobOfOneState() {
        Queue<String, String> q = producer();
        for (int i = 0; i < 12; i++) {
            q.enqueue("queued-" + i, "x");
        }
        q.enqueue("delayed", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        q.enqueue("cancelled", "x");
        q.cancel("cancelled");
        assertEquals(12, q.purge(JobState.QUEUED));
        assertEquals(0L, q.counts().get(JobState.QUEUED));
        assertEquals(1L, q.counts().get(JobState.DELAYED), "other states untouched");
        assertEquals(1L, q.counts().get(JobState.CANCELLED));
        assertEquals(1, q.purge(JobState.CANCELLED));
        assertEquals(0, q.purge(JobState.FAILED));
        assertEquals(EnqueueResult.Kind.QUEUED, q.enqueue("queued-3", "x").kind(), "a purged id is free");
    }

    @Test
    void promoteRunsADelayedJobNow() throws Exception {
        Queue<String, String> q = worker(upper());
        q.enqueue("later", "x", EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        assertEquals(JobState.DELAYED, q.status("later").orElseThrow().state());
        assertEquals(PromoteResult.PROMOTED, q.promote("later"));
        awaitState(q, "later", JobState.COMPLETED);
        assertEquals(PromoteResult.NOT_DELAYED, q.promote("later"));
        assertEquals(PromoteResult.NOT_FOUND, q.promote("unknown"));
    }

    @Test
    void operationsWorkOnOddIdsAndTouchNoOtherJob() {
        Queue<String, String> q = producer();
        List<String> ids = List.of("a:b", "{x}", "*", "../../etc/passwd", "a/b\\c", "emoji-\uD83D\uDE00",
                "x".repeat(CheckedStorage.MAX_NAME_LENGTH));
        for (String id : ids) {
            q.enqueue(id, "payload of " + id, EnqueueOptions.builder().delay(Duration.ofHours(1)).build());
        }
        for (String id : ids) {
            assertEquals("payload of " + id, q.inspect(id).orElseThrow().payload());
        }
        assertEquals(PromoteResult.PROMOTED, q.promote("a:b"));
        assertEquals(DeleteResult.DELETED, q.delete("{x}"));
        q.cancel("*");
        assertEquals(RetryResult.RETRIED, q.retry("*"));
        assertEquals(List.of("a:b", "*"), ids(q.list(JobState.QUEUED, ListOrder.OLDEST_FIRST, 10).jobs()));
        assertEquals(ids.size() - 3L, q.counts().get(JobState.DELAYED));
        assertTrue(q.inspect("{x}").isEmpty());
        assertEquals("payload of ../../etc/passwd", q.inspect("../../etc/passwd").orElseThrow().payload());
    }

    @Test
    void pausingThroughOneQueueStopsTheClaimsOfAnotherInFlightJobsFinishAndResumeRunsTheRest() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        FaultInjectingStorage counting = new FaultInjectingStorage(storage);
        Queue<String, String> worker = started(Queue.builder((Storage) counting, String.class, String.class).name(name)
                .listener(new QueueListener() {
                    @Override
                    public void error(Throwable error) {
                        errors.add(error);
                    }
                }).handler(job -> {
                    if (job.id().equals("in-flight")) {
                        running.countDown();
                        release.await();
                    }
                    return "done";
                }));
        Queue<String, String> operator = producer(); // another process, as far as the worker can tell
        assertFalse(operator.isPaused());
        worker.enqueue("in-flight", "x");
        awaitLatch(running, "in-flight job running");

        Queue<String, String> observer = producer();
        assertTrue(operator.pause());
        assertFalse(operator.pause(), "already paused");
        assertTrue(observer.isPaused(), "the flag is the storage's, seen by every queue instance");
        operator.enqueue("after-pause", "x");
        release.countDown();
        awaitState(worker, "in-flight", JobState.COMPLETED);
        int claimsBefore = counting.claims.get();
        Thread.sleep(1500); // a few claim waits: nothing may be taken, and the claimer must not spin
        assertEquals(JobState.QUEUED, worker.status("after-pause").orElseThrow().state(), "nothing claimed while paused");
        int claimsWhilePaused = counting.claims.get() - claimsBefore;
        assertTrue(claimsWhilePaused < 50, claimsWhilePaused + " claim calls in 1.5 s: the claimer spins while paused");
        assertEquals(List.of(), errors, "a paused queue is not an error");

        assertTrue(operator.resume());
        assertFalse(operator.resume(), "already running");
        assertFalse(observer.isPaused());
        awaitState(worker, "after-pause", JobState.COMPLETED);
    }

    @Test
    void retriesAndPausesIssuedWhileWorkersRunLoseNoJobAndRunNoneTwice() throws Exception {
        int jobs = 200;
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        JobHandler<String, String> handler = job -> {
            int run = runs.computeIfAbsent(job.id(), k -> new AtomicInteger()).incrementAndGet();
            if (job.id().endsWith("0") && run == 1) {
                throw new IllegalStateException("fails the first time");
            }
            return "ok";
        };
        Queue<String, String> w1 = started(strings().workerId("w1").concurrency(4).maxAttempts(1).handler(handler));
        started(strings().workerId("w2").concurrency(4).maxAttempts(1).handler(handler));
        Queue<String, String> operator = producer();
        List<EnqueueRequest<String>> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            batch.add(EnqueueRequest.of("job-" + i, "x"));
        }
        w1.enqueueAll(batch);
        for (int round = 0; round < 10; round++) {
            operator.pause();
            Thread.sleep(20);
            operator.retryAll(JobState.FAILED);
            operator.resume();
            Thread.sleep(20);
        }
        await("every job completed", () -> {
            operator.retryAll(JobState.FAILED);
            return operator.counts().get(JobState.COMPLETED) == jobs;
        });
        assertEquals(jobs, runs.size());
        for (Map.Entry<String, AtomicInteger> e : runs.entrySet()) {
            int expected = e.getKey().endsWith("0") ? 2 : 1;
            assertEquals(expected, e.getValue().get(), "runs of " + e.getKey());
        }
    }

    // ================================================================= Metadata, timing, interceptors, MDC

    @Test
    void metadataReachesTheHandlerAndIsKeptAcrossAttempts() throws Exception {
        List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().handler(job -> {
            seen.add(job.metadata());
            if (job.attempt() == 1) {
                throw new IllegalStateException("once more");
            }
            return "ok";
        }));
        Map<String, String> metadata = Map.of("tenant", "acme", "unicode", "ünï ✓ \uD83D\uDE00", "empty", "");
        q.enqueueAndWait("a", "x", EnqueueOptions.builder().metadata(metadata).build(), WAIT);
        assertEquals(List.of(metadata, metadata), seen);
        assertEquals(metadata, q.status("a").orElseThrow().metadata());
        assertEquals(metadata, q.list(JobState.COMPLETED, ListOrder.OLDEST_FIRST, 10).jobs().get(0).metadata());
        q.enqueue("none", "x");
        awaitState(q, "none", JobState.COMPLETED);
        assertEquals(Map.of(), seen.get(seen.size() - 1), "no metadata is an empty map");
    }

    @Test
    void listenerEventsAndTheAfterExecutionHookCarryTheAttemptsTiming() throws Exception {
        Map<String, Duration> queueWaits = new ConcurrentHashMap<>();
        Map<String, AttemptTiming> timings = new ConcurrentHashMap<>();
        List<String> events = new CopyOnWriteArrayList<>();
        Map<String, AttemptTiming> hookTimings = new ConcurrentHashMap<>();
        QueueListener timed = new QueueListener() {
            @Override
            public void started(String jobId, int attempt, Duration queueWait) {
                queueWaits.put(jobId + "#" + attempt, queueWait);
            }

            @Override
            public void completed(String jobId, int attempt, AttemptTiming timing) {
                timings.put("completed:" + jobId, timing);
            }

            @Override
            public void failing(String jobId, int attempt, Duration retryIn, JobError error, AttemptTiming timing) {
                timings.put("failing:" + jobId, timing);
            }

            @Override
            public void failed(String jobId, int attempt, JobError error, AttemptTiming timing) {
                timings.put("failed:" + jobId + "#" + attempt, timing);
            }

            @Override
            public void queueStarted(String queue, String workerId) {
                events.add("queueStarted:" + queue + ":" + workerId);
            }

            @Override
            public void queueStopped(String queue, String workerId) {
                events.add("queueStopped:" + queue + ":" + workerId);
            }
        };
        Events plain = new Events(); // an old-style listener next to it still hears the short events
        Queue<String, String> q = track(strings().workerId("timed-worker").maxAttempts(2).listener(timed).listener(plain)
                .afterExecution((job, outcome) -> {
                    hookTimings.put(job.id() + "#" + job.attempt(), outcome.timing().orElseThrow());
                    return outcome;
                }).handler(job -> {
                    Thread.sleep(50);
                    if (job.id().equals("bad")) {
                        throw new IllegalStateException("bad");
                    }
                    return "ok";
                }).build());
        q.enqueue("slow", "x");
        Thread.sleep(300); // claimable, but no worker yet: queue wait
        q.start();
        assertEquals(List.of("queueStarted:" + name + ":timed-worker"), events);
        awaitState(q, "slow", JobState.COMPLETED);
        assertThrows(JobFailedException.class, () -> q.enqueueAndWait("bad", "x", WAIT));
        await("completed event", () -> timings.containsKey("completed:slow"));
        await("failed event", () -> timings.containsKey("failed:bad#2"));

        assertTrue(queueWaits.get("slow#1").compareTo(Duration.ofMillis(200)) >= 0, "queue wait " + queueWaits.get("slow#1"));
        AttemptTiming slow = timings.get("completed:slow");
        assertSane(slow);
        assertEquals(queueWaits.get("slow#1"), slow.queueWait());
        assertEquals(slow, hookTimings.get("slow#1"), "the hook saw the same timing");
        assertSane(timings.get("failing:bad"));
        assertSane(timings.get("failed:bad#2"));
        assertEquals(hookTimings.get("bad#2"), timings.get("failed:bad#2"));
        assertTrue(plain.has("completed:slow") && plain.has("failing:bad") && plain.has("failed:bad") && plain.has("started:slow"));

        JobStatus<String> s = q.status("slow").orElseThrow();
        assertFalse(s.finishedAt().isBefore(s.startedAt()));
        assertTrue(Duration.between(s.createdAt(), s.startedAt()).compareTo(Duration.ofMillis(200)) >= 0,
                "startedAt is the claim, after the wait: " + s.createdAt() + " -> " + s.startedAt());
        q.stop(Duration.ofSeconds(5));
        assertEquals("queueStopped:" + name + ":timed-worker", events.get(events.size() - 1));
    }

    private static void assertSane(AttemptTiming t) {
        assertNotNull(t, "timing");
        assertTrue(t.duration().compareTo(Duration.ofMillis(50)) >= 0, "the handler slept 50 ms: " + t.duration());
        assertTrue(t.duration().compareTo(Duration.ofSeconds(20)) < 0, "duration " + t.duration());
        assertEquals(t.duration(), Duration.between(t.startedAt(), t.finishedAt()));
        assertFalse(t.queueWait().isNegative());
    }

    /** Records the calls of one interceptor, in a list shared by several. */
    private static JobInterceptor recording(String label, List<String> calls) {
        return new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                calls.add(label + ".beforeEnqueue:" + jobId + ":" + Thread.currentThread().getName());
                Map<String, String> more = new java.util.LinkedHashMap<>(metadata);
                more.put("by-" + label, String.join(",", metadata.keySet()));
                return more;
            }

            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) throws Exception {
                calls.add(label + ".before:" + job.id());
                try {
                    return attempt.proceed();
                } catch (Exception e) {
                    calls.add(label + ".saw:" + e.getMessage());
                    throw e;
                } finally {
                    calls.add(label + ".after:" + job.id());
                }
            }
        };
    }

    @Test
    void interceptorsRunFirstRegisteredOutermostAroundEveryEnqueueAndAttempt() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        List<Map<String, String>> handlerSaw = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().maxAttempts(1)
                .interceptor(recording("a", calls)).interceptor(recording("b", calls)).handler(job -> {
                    calls.add("handler:" + job.id());
                    handlerSaw.add(job.metadata());
                    if (job.id().equals("bad")) {
                        throw new IllegalStateException("handler failed");
                    }
                    return "ok";
                }));
        String producerThread = Thread.currentThread().getName();
        q.enqueueAndWait("one", "x", EnqueueOptions.builder().metadata(Map.of("given", "1")).build(), WAIT);
        assertEquals(List.of("a.beforeEnqueue:one:" + producerThread, "b.beforeEnqueue:one:" + producerThread,
                "a.before:one", "b.before:one", "handler:one", "b.after:one", "a.after:one"), calls);
        Map<String, String> expected = Map.of("given", "1", "by-a", "given", "by-b", "given,by-a");
        assertEquals(List.of(expected), handlerSaw, "each interceptor saw what the one before returned; the handler all of it");
        assertEquals(expected, q.status("one").orElseThrow().metadata());

        calls.clear();
        assertThrows(JobFailedException.class, () -> q.enqueueAndWait("bad", "x", WAIT));
        assertEquals(List.of("a.before:bad", "b.before:bad", "handler:bad", "b.saw:handler failed", "b.after:bad",
                "a.saw:handler failed", "a.after:bad"), calls.subList(2, calls.size()));
        assertEquals("handler failed", q.error("bad").orElseThrow().message(), "the handler's own failure is stored");

        calls.clear();
        q.enqueue("e1", "x");
        q.enqueueAsync("e2", "x").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        q.enqueueAll(List.of(EnqueueRequest.of("e3", "x"), EnqueueRequest.of("e4", "x")));
        q.submit("e5", "x").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (String id : List.of("e1", "e2", "e3", "e4", "e5")) {
            assertTrue(calls.contains("a.beforeEnqueue:" + id + ":" + producerThread), id + " in " + calls);
        }
    }

    @Test
    void anInterceptorThatThrowsFailsTheAttemptOrTheEnqueueLikeAHandlerWould() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        Queue<String, String> q = started(strings().maxAttempts(2).interceptor(new JobInterceptor() {
            @Override
            public Map<String, String> beforeEnqueue(String queue, String jobId, Map<String, String> metadata) {
                if (jobId.equals("too-big")) {
                    return Map.of("blob", "x".repeat(JobMetadata.MAX_BYTES + 1));
                }
                return metadata;
            }

            @Override
            public Object aroundAttempt(String queue, Job<?> job, Attempt attempt) {
                throw new IllegalStateException("no tenant for " + job.id());
            }
        }).handler(job -> {
            handled.incrementAndGet();
            return "never";
        }));
        JobFailedException failed = assertThrows(JobFailedException.class, () -> q.enqueueAndWait("a", "x", WAIT));
        assertEquals("no tenant for a", failed.error().message());
        assertEquals(2, q.status("a").orElseThrow().attempts(), "retried like a handler failure");
        assertEquals(0, handled.get());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.enqueue("too-big", "x"));
        assertTrue(e.getMessage().startsWith("metadata"), e.getMessage());
        assertTrue(q.status("too-big").isEmpty(), "nothing stored");
    }

    /** MDC needs a binding that supports it (slf4j-simple does not): these tests are skipped without one. */
    private static void assumeMdcWorks() {
        MDC.put("jobqueue.probe", "x");
        boolean works = "x".equals(MDC.get("jobqueue.probe"));
        MDC.remove("jobqueue.probe");
        assumeTrue(works, "the SLF4J binding has no MDC");
    }

    @Test
    void whileAHandlerRunsMdcHoldsTheJobAndIsClearedAfterwards() throws Exception {
        assumeMdcWorks();
        List<Map<String, String>> inside = new CopyOnWriteArrayList<>();
        List<String> afterwards = new CopyOnWriteArrayList<>();
        Queue<String, String> q = started(strings().handler(job -> {
            inside.add(MDC.getCopyOfContextMap());
            if (job.attempt() == 1) {
                throw new IllegalStateException("again");
            }
            return "ok";
        }).afterExecution((job, outcome) -> {
            afterwards.add(String.valueOf(MDC.get("jobqueue.jobId")));
            return outcome;
        }));
        q.enqueueAndWait("a", "x", WAIT);
        assertEquals(Map.of("jobqueue.jobId", "a", "jobqueue.queue", name, "jobqueue.attempt", "1"), inside.get(0));
        assertEquals("2", inside.get(1).get("jobqueue.attempt"));
        assertEquals(List.of("null", "null"), afterwards, "cleared after the handler, also after it threw");
    }

    @Test
    void propagatedMdcEntriesOfTheProducerAreRestoredAroundTheHandler() throws Exception {
        assumeMdcWorks();
        List<Map<String, String>> inside = new CopyOnWriteArrayList<>();
        Queue<String, String> producer = track(strings().propagateMdc("requestId", "user").build());
        worker(job -> { // another queue instance: the worker needs no propagateMdc of its own
            inside.add(MDC.getCopyOfContextMap());
            return "ok";
        });
        MDC.put("requestId", "req-7");
        MDC.put("notPropagated", "x");
        try {
            producer.enqueueAndWait("a", "x", WAIT);
        } finally {
            MDC.remove("requestId");
            MDC.remove("notPropagated");
        }
        assertEquals("req-7", inside.get(0).get("requestId"));
        assertFalse(inside.get(0).containsKey("user"), "no value, nothing propagated");
        assertFalse(inside.get(0).containsKey("notPropagated"));
        assertEquals(Map.of("mdc.requestId", "req-7"), producer.status("a").orElseThrow().metadata());

        List<Map<String, String>> withoutMdc = new CopyOnWriteArrayList<>();
        Queue<String, String> off = started(strings().name(name + "-off").mdc(false).handler(job -> {
            Map<String, String> copy = MDC.getCopyOfContextMap();
            withoutMdc.add(copy == null ? Map.of() : copy);
            return "ok";
        }));
        off.enqueueAndWait("b", "x", EnqueueOptions.builder().metadata(Map.of("mdc.requestId", "r")).build(), WAIT);
        assertEquals(List.of(Map.of()), withoutMdc, "mdc(false) leaves MDC alone");
    }
}
