package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.TtlUpdateResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract: what every {@link Storage} must do, as example-based tests. A storage
 * module runs it by extending this class:
 *
 * <!-- snippet: storage-contract -->
 * <pre>{@code
 * class RedisStorageContractTest extends StorageContract {
 *     private final String prefix = "contract-" + System.nanoTime();
 *
 *     protected Storage createStorage(Clock clock) {
 *         return RedisStorage.builder().uri(redisUrl).keyPrefix(prefix).clock(clock).build();
 *     }
 *
 *     protected void destroyStorage(Storage s) {
 *         s.close(); // and delete the keys under prefix
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a fresh storage on a {@link ManualClock} ({@link #clock}) and a fresh random
 * queue name ({@link #queue}), so persistent storages never see another test's keys. Time-based
 * behaviour is driven only by advancing the clock; nothing sleeps.
 *
 * <p>Rules the tests pin down, beyond the SPI Javadoc:
 * <ul>
 *   <li>Times have millisecond precision; a deadline (due time, lease, expiry, lock) at or before
 *       now has passed.</li>
 *   <li>Claim order is priority (higher first), then enqueue order. A job keeps its enqueue
 *       position when it is retried, released or requeued after a stall.</li>
 *   <li>DELAYED and FAILING jobs stay in their state until a claim on their queue promotes them.</li>
 *   <li>A lease that ended but was not reaped yet is still current: its holder may extend or finish it.</li>
 *   <li>CANCELLED records are kept for the job's result TTL; cancelling one again answers
 *       CANCELLED; updateResultTtl on one answers NOT_TERMINAL.</li>
 *   <li>Fencing tokens only have to increase per job; two queues may hand out equal tokens.</li>
 *   <li>An interrupted waiting claim may return an empty list or throw InterruptedException.</li>
 *   <li>requeueExpired takes the oldest deadlines first; among equal deadlines the order is free.
 *       Listings of non-QUEUED states are ordered by time where one applies; ties are free.</li>
 *   <li>Terminal listeners may be called on another thread and later; tests wait for them. A
 *       storage may skip jobs enqueued with {@code notifyOnTerminal=false}, so tests set it.</li>
 * </ul>
 *
 * Test names start with the operation or topic they cover (enqueue, dedup, claim, extend,
 * complete, fail, retry, release, fencing, requeue, cancel, ttl, counts, list, subscribe,
 * namespace, lock, concurrency, ids, arguments).
 */
// Subscriptions are held open by try-with-resources without being read in the body; that is the point.
@SuppressWarnings("try")
public abstract class StorageContract {
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected static final Duration TTL = TestJobs.DEFAULT_TTL;
    /** Generous deadline for conditions reached by other threads (never a timing assertion). */
    protected static final Duration PATIENCE = Duration.ofSeconds(30);

    protected ManualClock clock;
    protected Storage storage;
    protected String queue;

    /** A new storage whose deadlines follow {@code clock}. */
    protected abstract Storage createStorage(Clock clock);

    /** Releases the storage and whatever it holds for this test (Redis: its keys). */
    protected void destroyStorage(Storage s) {
        s.close();
    }

    @BeforeEach
    void createStorageForTest() {
        clock = new ManualClock();
        queue = "q" + UUID.randomUUID();
        storage = createStorage(clock);
    }

    @AfterEach
    void destroyStorageAfterTest() {
        if (storage != null) {
            destroyStorage(storage);
        }
    }

    // ====================================================================== enqueue

    @Test
    void enqueue_dueJobIsQueued() {
        EnqueueOutcome outcome = storage.enqueue(queue, job("a").build());
        assertTrue(outcome.created());
        assertNull(outcome.existing());
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(clock.instant(), s.createdAt());
        assertEquals(0, s.attempts());
        assertEquals(3, s.maxAttempts());
        assertEquals(0, s.stalls());
        assertNull(s.result());
        assertNull(s.error());
        assertNull(s.expiresAt());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
    }

    @Test
    void enqueue_withDelayIsDelayedAndClaimableOnlyWhenDue() throws Exception {
        storage.enqueue(queue, job("d").delay(Duration.ofSeconds(10)).build());
        JobSnapshot s = status("d");
        assertEquals(JobState.DELAYED, s.state());
        assertEquals(clock.instant().plusSeconds(10), s.runAt());

        assertTrue(claimNow(10).isEmpty());
        clock.advance(Duration.ofMillis(9_999));
        assertTrue(claimNow(10).isEmpty());
        assertEquals(JobState.DELAYED, state("d"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of("d"), ids(claimNow(10)));
    }

    @Test
    void enqueue_withRunAtIsDelayedUntilThen() throws Exception {
        Instant at = clock.instant().plusSeconds(60);
        storage.enqueue(queue, job("r").runAt(at).build());
        assertEquals(JobState.DELAYED, state("r"));
        assertEquals(at, status("r").runAt());
        clock.set(at.minusMillis(1));
        assertTrue(claimNow(1).isEmpty());
        clock.set(at);
        assertEquals(List.of("r"), ids(claimNow(1)));
    }

    @Test
    void enqueue_withRunAtInThePastIsQueued() {
        storage.enqueue(queue, job("p").runAt(clock.instant().minusSeconds(5)).build());
        assertEquals(JobState.QUEUED, state("p"));
    }

    @Test
    void enqueue_runAtWinsOverDelay() {
        storage.enqueue(queue, job("x").delay(Duration.ofHours(1)).runAt(clock.instant()).build());
        assertEquals(JobState.QUEUED, state("x"));
    }

    @Test
    void enqueue_higherPriorityIsClaimedFirstAndFifoWithinPriority() throws Exception {
        storage.enqueue(queue, job("low1").priority(0).build());
        storage.enqueue(queue, job("high1").priority(10).build());
        storage.enqueue(queue, job("low2").priority(0).build());
        storage.enqueue(queue, job("mid").priority(5).build());
        storage.enqueue(queue, job("high2").priority(10).build());
        storage.enqueue(queue, job("neg").priority(-3).build());
        assertEquals(List.of("high1", "high2", "mid", "low1", "low2", "neg"), ids(claimNow(10)));
    }

    @Test
    void enqueue_claimOrderHoldsAcrossSeparateClaims() throws Exception {
        for (int i = 0; i < 20; i++) {
            storage.enqueue(queue, job("j" + i).priority(i % 2).build());
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            order.addAll(ids(claimNow(1)));
        }
        List<String> expected = new ArrayList<>();
        IntStream.range(0, 20).filter(i -> i % 2 == 1).forEach(i -> expected.add("j" + i));
        IntStream.range(0, 20).filter(i -> i % 2 == 0).forEach(i -> expected.add("j" + i));
        assertEquals(expected, order);
    }

    @Test
    void enqueue_promotedDelayedJobKeepsItsEnqueuePosition() throws Exception {
        storage.enqueue(queue, job("early-delayed").delay(Duration.ofSeconds(1)).build());
        storage.enqueue(queue, job("later-ready").build());
        clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of("early-delayed", "later-ready"), ids(claimNow(2)));
    }

    @Test
    void enqueue_batchReportsOutcomesInOrderIncludingDuplicates() {
        storage.enqueue(queue, job("existing").payload("old").build());
        List<EnqueueOutcome> outcomes = storage.enqueueBatch(queue, List.of(
                job("b1").build(),
                job("existing").payload("new").build(),
                job("b2").delay(Duration.ofSeconds(5)).build(),
                job("b1").payload("again").build(),
                job("b3").build()));
        assertEquals(5, outcomes.size());
        assertTrue(outcomes.get(0).created());
        assertFalse(outcomes.get(1).created());
        assertEquals(JobState.QUEUED, outcomes.get(1).existing().state());
        assertTrue(outcomes.get(2).created());
        assertFalse(outcomes.get(3).created());
        assertEquals("b1", outcomes.get(3).existing().id());
        assertTrue(outcomes.get(4).created());
        assertEquals(JobState.DELAYED, state("b2"));
        assertEquals(JobState.QUEUED, state("b3"));
    }

    @Test
    void enqueue_batchJobsAreClaimedInBatchOrder() throws Exception {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(job("b" + i).build());
        }
        storage.enqueueBatch(queue, batch);
        List<String> expected = batch.stream().map(NewJob::id).collect(Collectors.toList());
        assertEquals(expected, ids(claimNow(100)));
    }

    @Test
    void enqueueAsync_reportsCreatedAndDuplicatesLikeEnqueue() throws Exception {
        storage.enqueue(queue, job("existing").payload("old").build());
        EnqueueOutcome created = storage.enqueueAsync(queue, job("a").build()).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        EnqueueOutcome duplicate = storage.enqueueAsync(queue, job("existing").payload("new").build())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertTrue(created.created());
        assertFalse(duplicate.created());
        assertEquals(JobState.QUEUED, duplicate.existing().state());
        assertEquals("old", text(claimNow(2).stream().filter(c -> c.id().equals("existing")).findFirst()
                .orElseThrow().payload()));
        assertEquals(JobState.PROCESSING, state("a"));
    }

    @Test
    void enqueueAsync_manyInFlightFromOneThreadAllLandInIssueOrder() throws Exception {
        List<CompletableFuture<EnqueueOutcome>> futures = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("a" + i);
            futures.add(storage.enqueueAsync(queue, job("a" + i).build()));
        }
        futures.add(storage.enqueueAsync(queue, job("a7").build()));
        for (int i = 0; i < 1000; i++) {
            assertTrue(futures.get(i).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created(), "a" + i);
        }
        assertFalse(futures.get(1000).get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created(), "a7 again");
        assertEquals(expected, ids(claimNow(2000)));
    }

    @Test
    void enqueueAsync_aCallMadeAfterItByTheSameThreadSeesTheJob() throws Exception {
        // Program order holds per thread even when the first call does not wait: a cancel or a
        // status read right after an enqueueAsync of the same id finds the job.
        List<CompletableFuture<EnqueueOutcome>> futures = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "then-look-" + i;
            futures.add(storage.enqueueAsync(queue, job(id).delay(Duration.ofHours(1)).build()));
            if (i % 2 == 0) {
                assertEquals(CancelResult.CANCELLED, storage.cancel(queue, id), id);
            } else {
                assertEquals(JobState.DELAYED, storage.status(queue, id).map(JobSnapshot::state).orElse(null), id);
            }
        }
        for (CompletableFuture<EnqueueOutcome> f : futures) {
            assertTrue(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created());
        }
        assertEquals(150L, storage.counts(queue).get(JobState.CANCELLED));
        assertEquals(150L, storage.counts(queue).get(JobState.DELAYED));
    }

    @Test
    void enqueueAsync_waitingClaimReturnsTheJob() throws Exception {
        assertWaitingClaimGets("late", () -> assertTrue(storage.enqueueAsync(queue, job("late").build())
                .get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created()));
        assertEquals(JobState.PROCESSING, state("late"));
    }

    @Test
    void enqueue_emptyBatchIsFine() {
        assertEquals(List.of(), storage.enqueueBatch(queue, List.of()));
    }

    // ====================================================================== dedup

    @Test
    void dedup_whileQueued() {
        storage.enqueue(queue, job("a").payload("first").build());
        EnqueueOutcome dup = storage.enqueue(queue, job("a").payload("second").priority(9).build());
        assertFalse(dup.created());
        assertEquals("a", dup.existing().id());
        assertEquals(JobState.QUEUED, dup.existing().state());
        assertEquals(0, dup.existing().priority());
        assertEquals(1, storage.counts(queue).get(JobState.QUEUED));
    }

    @Test
    void dedup_firstPayloadStands() throws Exception {
        storage.enqueue(queue, job("a").payload("first").build());
        storage.enqueue(queue, job("a").payload("second").build());
        assertEquals("first", text(claimOne().payload()));
    }

    @Test
    void dedup_whileDelayed() {
        storage.enqueue(queue, job("a").delay(Duration.ofMinutes(1)).build());
        EnqueueOutcome dup = storage.enqueue(queue, job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.DELAYED, dup.existing().state());
        assertEquals(JobState.DELAYED, state("a"));
    }

    @Test
    void dedup_whileProcessing() throws Exception {
        storage.enqueue(queue, job("a").build());
        claimOne();
        EnqueueOutcome dup = storage.enqueue(queue, job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.PROCESSING, dup.existing().state());
        assertEquals(1, dup.existing().attempts());
    }

    @Test
    void dedup_whileFailing() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        storage.retry(queue, lease(c), Duration.ofSeconds(10), error("boom"));
        EnqueueOutcome dup = storage.enqueue(queue, job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.FAILING, dup.existing().state());
        assertEquals("boom", dup.existing().error().message());
    }

    @Test
    void dedup_afterCompletionCarriesTheResult() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.complete(queue, lease(claimOne()), bytes("result-a"), null);
        EnqueueOutcome dup = storage.enqueue(queue, job("a").payload("different").build());
        assertFalse(dup.created());
        assertEquals(JobState.COMPLETED, dup.existing().state());
        assertEquals("result-a", text(dup.existing().result()));
        assertTrue(claimNow(1).isEmpty());
    }

    @Test
    void dedup_afterFailureCarriesTheError() throws Exception {
        storage.enqueue(queue, job("a").build());
        JobError err = error("it broke");
        storage.fail(queue, lease(claimOne()), err, null);
        EnqueueOutcome dup = storage.enqueue(queue, job("a").build());
        assertFalse(dup.created());
        assertEquals(JobState.FAILED, dup.existing().state());
        assertEquals(err, dup.existing().error());
    }

    @Test
    void dedup_cancelledJobDoesNotBlockAndNewPayloadIsUsed() throws Exception {
        storage.enqueue(queue, job("a").payload("old").priority(1).build());
        assertEquals(CancelResult.CANCELLED, storage.cancel(queue, "a"));
        clock.advance(Duration.ofSeconds(1));
        EnqueueOutcome again = storage.enqueue(queue, job("a").payload("new").priority(2).build());
        assertTrue(again.created());
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(2, s.priority());
        assertEquals(clock.instant(), s.createdAt());
        ClaimedJob c = claimOne();
        assertEquals("new", text(c.payload()));
        assertEquals(1, c.attempt());
    }

    @Test
    void dedup_terminalRecordBlocksWithinTtlAndExpiresAfter() throws Exception {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofSeconds(60)).build());
        storage.complete(queue, lease(claimOne()), bytes("r"), null);
        clock.advance(Duration.ofMillis(59_999));
        assertFalse(storage.enqueue(queue, job("a").build()).created());
        assertEquals(JobState.COMPLETED, state("a"));
        clock.advance(Duration.ofMillis(1));
        assertEquals(Optional.empty(), storage.status(queue, "a"));
        assertTrue(storage.enqueue(queue, job("a").payload("second life").build()).created());
        assertEquals(JobState.QUEUED, state("a"));
        assertEquals("second life", text(claimOne().payload()));
    }

    @Test
    void dedup_failedRecordExpiresAfterItsTtl() throws Exception {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofSeconds(5)).build());
        storage.fail(queue, lease(claimOne()), error("x"), null);
        clock.advance(Duration.ofSeconds(4));
        assertFalse(storage.enqueue(queue, job("a").build()).created());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(storage.status(queue, "a").isEmpty());
        assertTrue(storage.enqueue(queue, job("a").build()).created());
    }

    @Test
    void dedup_cancelledRecordExpiresAfterItsTtl() {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofSeconds(5)).build());
        storage.cancel(queue, "a");
        JobSnapshot s = status("a");
        assertEquals(JobState.CANCELLED, s.state());
        assertEquals(clock.instant().plusSeconds(5), s.expiresAt());
        clock.advance(Duration.ofSeconds(5));
        assertTrue(storage.status(queue, "a").isEmpty());
        assertEquals(CancelResult.NOT_FOUND, storage.cancel(queue, "a"));
    }

    // ====================================================================== claim

    @Test
    void claim_marksProcessingWithAttemptTokenAndLease() throws Exception {
        storage.enqueue(queue, job("a").payload("pay").maxAttempts(5).build());
        Instant created = clock.instant();
        clock.advance(Duration.ofSeconds(2));
        List<ClaimedJob> claimed = storage.claim(queue, "worker-1", 1, Duration.ofSeconds(17), Duration.ZERO);
        assertEquals(1, claimed.size());
        ClaimedJob c = claimed.get(0);
        assertEquals("a", c.id());
        assertEquals("pay", text(c.payload()));
        assertEquals(1, c.attempt());
        assertEquals(5, c.maxAttempts());
        assertEquals(created, c.createdAt());
        assertEquals(clock.instant().plusSeconds(17), c.leaseDeadline());

        JobSnapshot s = status("a");
        assertEquals(JobState.PROCESSING, s.state());
        assertEquals(1, s.attempts());
        assertEquals("worker-1", s.workerId());
        assertEquals(c.leaseDeadline(), s.leaseDeadline());
    }

    @Test
    void claim_tokensStrictlyIncreaseAcrossClaimsOfTheSameJob() throws Exception {
        storage.enqueue(queue, job("a").build());
        long previous = Long.MIN_VALUE;
        for (int i = 1; i <= 5; i++) {
            ClaimedJob c = claimOne();
            assertEquals(i, c.attempt());
            assertTrue(c.fencingToken() > previous, "token " + c.fencingToken() + " after " + previous);
            previous = c.fencingToken();
            assertEquals(TransitionOutcome.APPLIED, storage.release(queue, lease(c)));
        }
    }

    @Test
    void claim_respectsMax() throws Exception {
        for (int i = 0; i < 7; i++) {
            storage.enqueue(queue, job("j" + i).build());
        }
        assertEquals(3, claimNow(3).size());
        assertEquals(3, claimNow(3).size());
        assertEquals(1, claimNow(3).size());
        assertEquals(0, claimNow(3).size());
    }

    @Test
    void claim_emptyWhenNothingIsDue() throws Exception {
        assertTrue(claimNow(5).isEmpty());
        storage.enqueue(queue, job("later").delay(Duration.ofSeconds(1)).build());
        assertTrue(claimNow(5).isEmpty());
    }

    @Test
    void claim_givesEachJobOnce() throws Exception {
        storage.enqueue(queue, job("a").build());
        assertEquals(1, claimNow(1).size());
        assertTrue(claimNow(1).isEmpty());
    }

    @Test
    void claim_waitingClaimReturnsJobEnqueuedByAnotherThread() throws Exception {
        assertWaitingClaimGets("late", () -> storage.enqueue(queue, job("late").build()));
    }

    /** A claim blocked on an empty queue returns {@code id} once {@code enqueue} (run on this thread) adds it. */
    private void assertWaitingClaimGets(String id, ThrowingRunnable enqueue) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage.claim(queue, "w", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            enqueue.run();
            List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(id), ids(got));
        } finally {
            pool.shutdownNow();
        }
    }

    /** A test step that may throw. */
    @FunctionalInterface
    protected interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void claim_interruptEndsTheWait() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage.claim(queue, "w", 1, LEASE, Duration.ofMinutes(10));
            });
            awaitParked(claimer::get);
            claimer.get().interrupt();
            try {
                List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(got.isEmpty());
            } catch (ExecutionException e) {
                assertTrue(e.getCause() instanceof InterruptedException, "unexpected " + e.getCause());
            } catch (TimeoutException e) {
                fail("an interrupt did not end the claim's wait");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claim_promotesDueJobsOfEveryKindTogether() throws Exception {
        storage.enqueue(queue, job("retried").build());
        ClaimedJob c = claimOne();
        storage.retry(queue, lease(c), Duration.ofSeconds(3), error("e"));
        storage.enqueue(queue, job("delayed").delay(Duration.ofSeconds(2)).build());
        storage.enqueue(queue, job("ready").build());
        clock.advance(Duration.ofSeconds(3));
        assertEquals(List.of("retried", "delayed", "ready"), ids(claimNow(5)));
    }

    @Test
    void claim_waitEndsEmptyWhenNothingArrives() throws Exception {
        assertTrue(storage.claim(queue, "w", 3, LEASE, Duration.ofMillis(50)).isEmpty());
    }

    @Test
    void claim_waitingClaimReturnsJobReleasedByAnotherWorker() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob held = claimOne();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage.claim(queue, "w2", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            assertEquals(TransitionOutcome.APPLIED, storage.release(queue, lease(held)));
            List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of("a"), ids(got));
            assertEquals(2, got.get(0).attempt());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claim_waitingClaimsAllWakeForABatch() throws Exception {
        int claimers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<List<ClaimedJob>>> waiting = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String worker = "w" + i;
                waiting.add(pool.submit(() -> storage.claim(queue, worker, 1, LEASE, Duration.ofSeconds(60))));
            }
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                batch.add(job("j" + i).build());
            }
            storage.enqueueBatch(queue, batch);
            Set<String> got = new HashSet<>();
            for (Future<List<ClaimedJob>> f : waiting) {
                List<ClaimedJob> one = f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertEquals(1, one.size());
                got.add(one.get(0).id());
            }
            assertEquals(Set.of("j0", "j1", "j2", "j3"), got);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claim_errorOfAFailingJobIsClearedOnceItRunsAgain() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.retry(queue, lease(claimOne()), Duration.ZERO, error("first try"));
        assertEquals("first try", status("a").error().message());
        claimOne();
        JobSnapshot s = status("a");
        assertEquals(JobState.PROCESSING, s.state());
        assertNull(s.error());
        assertNull(s.runAt());
    }

    @Test
    void claim_dueDelayedJobStaysDelayedUntilAClaimPromotesIt() throws Exception {
        storage.enqueue(queue, job("d").delay(Duration.ofSeconds(1)).build());
        clock.advance(Duration.ofSeconds(5));
        assertEquals(JobState.DELAYED, state("d"));
        assertEquals(1L, storage.counts(queue).get(JobState.DELAYED));
        assertEquals(CancelResult.CANCELLED, storage.cancel(queue, "d"));
        assertTrue(claimNow(1).isEmpty());
    }

    // ====================================================================== extend

    @Test
    void extend_pushesTheLeaseOfCurrentTokens() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.enqueue(queue, job("b").build());
        List<ClaimedJob> claimed = claimNow(2);
        clock.advance(Duration.ofSeconds(20));
        List<String> lost = storage.extend(queue, leases(claimed), Duration.ofSeconds(30));
        assertEquals(List.of(), lost);
        assertEquals(clock.instant().plusSeconds(30), status("a").leaseDeadline());
        assertEquals(clock.instant().plusSeconds(30), status("b").leaseDeadline());
    }

    @Test
    void extend_reportsStaleTokensAsLostAndLeavesThemAlone() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.enqueue(queue, job("b").build());
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        storage.release(queue, lease(a));
        ClaimedJob a2 = claimOne();
        Instant a2Deadline = status("a").leaseDeadline();
        clock.advance(Duration.ofSeconds(5));
        List<String> lost = storage.extend(queue,
                List.of(lease(a), lease(b), new LeaseRef("unknown", 1)), Duration.ofSeconds(60));
        assertEquals(List.of("a", "unknown"), lost);
        assertEquals(a2Deadline, status("a").leaseDeadline());
        assertEquals(clock.instant().plusSeconds(60), status("b").leaseDeadline());
        assertEquals(a2.fencingToken(), claimTokenStillCurrent(a2));
    }

    @Test
    void extend_lostForFinishedJobs() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        storage.complete(queue, lease(c), bytes("r"), null);
        assertEquals(List.of("a"), storage.extend(queue, List.of(lease(c)), LEASE));
    }

    @Test
    void extend_emptyListIsFine() {
        assertEquals(List.of(), storage.extend(queue, List.of(), LEASE));
    }

    @Test
    void extend_keepsAJobFromBeingReaped() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = storage.claim(queue, "w", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofSeconds(8));
            assertEquals(List.of(), storage.extend(queue, List.of(lease(c)), Duration.ofSeconds(10)));
            assertEquals(List.of(), storage.requeueExpired(queue, 10));
        }
        assertEquals(JobState.PROCESSING, state("a"));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), bytes("ok"), null));
    }

    @Test
    void extend_anEndedButUnreapedLeaseIsStillCurrent() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        clock.advance(LEASE.plusSeconds(5));
        assertEquals(List.of(), storage.extend(queue, List.of(lease(c)), LEASE));
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
        assertEquals(JobState.PROCESSING, state("a"));
    }

    // ====================================================================== complete / fail / retry / release

    @Test
    void complete_appliesWithCurrentToken() throws Exception {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofMinutes(5)).build());
        ClaimedJob c = claimOne();
        clock.advance(Duration.ofSeconds(1));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), bytes("done"), null));
        JobSnapshot s = status("a");
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals("done", text(s.result()));
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), s.expiresAt());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertNull(s.error());
        assertTrue(claimNow(1).isEmpty());
    }

    @Test
    void complete_resultTtlOverrideReplacesTheJobsTtl() throws Exception {
        storage.enqueue(queue, job("short").resultTtl(Duration.ofHours(1)).build());
        storage.enqueue(queue, job("long").resultTtl(Duration.ofSeconds(1)).build());
        storage.complete(queue, lease(claimOne()), bytes("s"), Duration.ofSeconds(10));
        storage.complete(queue, lease(claimOne()), bytes("l"), Duration.ofHours(2));
        assertEquals(clock.instant().plusSeconds(10), status("short").expiresAt());
        assertEquals(clock.instant().plus(Duration.ofHours(2)), status("long").expiresAt());
        clock.advance(Duration.ofSeconds(10));
        assertTrue(storage.status(queue, "short").isEmpty());
        clock.advance(Duration.ofHours(1));
        assertEquals(JobState.COMPLETED, state("long"));
        clock.advance(Duration.ofHours(1));
        assertTrue(storage.status(queue, "long").isEmpty());
    }

    @Test
    void complete_withStaleTokenIsLeaseLostAndChangesNothing() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        LeaseRef stale = new LeaseRef("a", c.fencingToken() - 1);
        JobSnapshot before = status("a");
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, stale, bytes("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.fail(queue, stale, error("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.retry(queue, stale, Duration.ZERO, error("x")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.release(queue, stale));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.unclaim(queue, stale));
        SnapshotAssertions.assertSameRecord(before, status("a"));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), bytes("ok"), null));
    }

    @Test
    void complete_unknownJobIsLeaseLost() {
        LeaseRef ghost = new LeaseRef("ghost", 1);
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, ghost, bytes("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.fail(queue, ghost, error("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.retry(queue, ghost, Duration.ZERO, error("x")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.release(queue, ghost));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.unclaim(queue, ghost));
        assertTrue(storage.status(queue, "ghost").isEmpty());
    }

    @Test
    void complete_secondCompletionWithTheSameTokenIsLeaseLost() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), bytes("first"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, lease(c), bytes("second"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.fail(queue, lease(c), error("late"), null));
        assertEquals("first", text(status("a").result()));
        assertEquals(JobState.COMPLETED, state("a"));
    }

    @Test
    void complete_anEndedButUnreapedLeaseCanStillFinish() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.enqueue(queue, job("b").build());
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        clock.advance(LEASE.multipliedBy(3));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(a), bytes("late but fine"), null));
        assertEquals(TransitionOutcome.APPLIED, storage.fail(queue, lease(b), error("late failure"), null));
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
        assertEquals(JobState.COMPLETED, state("a"));
        assertEquals(JobState.FAILED, state("b"));
    }

    @Test
    void completeAll_appliesEachInOrderAndFencesEachOnItsOwn() throws Exception {
        for (String id : List.of("a", "b", "c", "d")) {
            storage.enqueue(queue, job(id).resultTtl(Duration.ofMinutes(5)).build());
        }
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        ClaimedJob c = claimOne();
        ClaimedJob d = claimOne();
        storage.complete(queue, lease(c), bytes("already"), null);
        List<TransitionOutcome> outcomes = storage.completeAll(queue, List.of(
                new Completion(lease(a), bytes("ra"), null),
                new Completion(new LeaseRef("b", b.fencingToken() + 1), bytes("wrong token"), null),
                new Completion(lease(c), bytes("twice"), null),
                new Completion(new LeaseRef("ghost", 1), bytes("x"), null),
                new Completion(lease(d), bytes("rd"), Duration.ofSeconds(7))));
        assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.LEASE_LOST, TransitionOutcome.LEASE_LOST,
                TransitionOutcome.LEASE_LOST, TransitionOutcome.APPLIED), outcomes);
        assertEquals("ra", text(status("a").result()));
        assertEquals(clock.instant().plus(Duration.ofMinutes(5)), status("a").expiresAt());
        assertEquals(JobState.PROCESSING, state("b"));
        assertEquals("already", text(status("c").result()));
        assertEquals("rd", text(status("d").result()));
        assertEquals(clock.instant().plusSeconds(7), status("d").expiresAt());
        assertTrue(storage.status(queue, "ghost").isEmpty());
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(b), bytes("rb"), null));
    }

    @Test
    void completeAll_sameClaimTwiceInOneBatchAppliesOnce() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob a = claimOne();
        assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.LEASE_LOST), storage.completeAll(queue,
                List.of(new Completion(lease(a), bytes("first"), null), new Completion(lease(a), bytes("second"), null))));
        assertEquals("first", text(status("a").result()));
    }

    @Test
    void completeAll_emptyBatchIsFine() {
        assertEquals(List.of(), storage.completeAll(queue, List.of()));
    }

    @Test
    void completeAll_notifiesTerminalListenersOfEachJob() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage.subscribe(queue, (id, snapshot) -> seen.add(id))) {
            storage.enqueue(queue, job("a").notifyOnTerminal(true).build());
            storage.enqueue(queue, job("b").notifyOnTerminal(true).build());
            ClaimedJob a = claimOne();
            ClaimedJob b = claimOne();
            storage.completeAll(queue, List.of(new Completion(lease(a), bytes("ra"), null),
                    new Completion(lease(b), bytes("rb"), null)));
            awaitCondition(() -> seen.containsAll(List.of("a", "b")), () -> "terminal notifications, seen " + seen);
            assertEquals(JobState.COMPLETED, state("a"));
            assertEquals(JobState.COMPLETED, state("b"));
        }
    }

    @Test
    void complete_emptyResultRoundTrips() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.complete(queue, lease(claimOne()), new byte[0], null);
        assertArrayEquals(new byte[0], status("a").result());
    }

    @Test
    void fail_keepsTheWholeJobError() throws Exception {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofMinutes(3)).build());
        ClaimedJob c = claimOne();
        JobError err = new JobError("com.example.PaymentDeclined", "card 4242 declined",
                "com.example.PaymentDeclined: card 4242 declined\n\tat Billing.charge(Billing.java:42)\n",
                "CARD_DECLINED", 1, Instant.parse("2026-01-01T00:00:00.123Z"));
        assertEquals(TransitionOutcome.APPLIED, storage.fail(queue, lease(c), err, null));
        JobSnapshot s = status("a");
        assertEquals(JobState.FAILED, s.state());
        assertEquals(err, s.error());
        assertNull(s.result());
        assertEquals(clock.instant().plus(Duration.ofMinutes(3)), s.expiresAt());
        assertTrue(claimNow(1).isEmpty());
    }

    @Test
    void fail_errorWithNullOptionalFieldsRoundTrips() throws Exception {
        storage.enqueue(queue, job("a").build());
        JobError err = new JobError("java.lang.IllegalStateException", null, null, null, 1, clock.instant());
        storage.fail(queue, lease(claimOne()), err, Duration.ofSeconds(9));
        assertEquals(err, status("a").error());
        assertEquals(clock.instant().plusSeconds(9), status("a").expiresAt());
    }

    @Test
    void fail_fromCapturedThrowableKeepsTypeMessageCodeAndStack() throws Exception {
        storage.enqueue(queue, job("a").build());
        JobError err = JobError.of(new dev.jobqueue.JobException("E42", "broken widget"), 2, clock.instant());
        storage.fail(queue, lease(claimOne()), err, null);
        JobError stored = status("a").error();
        assertEquals("dev.jobqueue.JobException", stored.type());
        assertEquals("broken widget", stored.message());
        assertEquals("E42", stored.code());
        assertEquals(2, stored.attempts());
        assertEquals(err.stackTrace(), stored.stackTrace());
    }

    @Test
    void retry_movesToFailingUntilTheBackoffEnds() throws Exception {
        storage.enqueue(queue, job("a").build());
        ClaimedJob c = claimOne();
        JobError last = error("try again");
        assertEquals(TransitionOutcome.APPLIED, storage.retry(queue, lease(c), Duration.ofSeconds(30), last));
        JobSnapshot s = status("a");
        assertEquals(JobState.FAILING, s.state());
        assertEquals(clock.instant().plusSeconds(30), s.runAt());
        assertEquals(last, s.error());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());

        clock.advance(Duration.ofMillis(29_999));
        assertTrue(claimNow(1).isEmpty());
        assertEquals(JobState.FAILING, state("a"));
        clock.advance(Duration.ofMillis(1));
        ClaimedJob again = claimOne();
        assertEquals("a", again.id());
        assertEquals(2, again.attempt());
        assertTrue(again.fencingToken() > c.fencingToken());
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, lease(c), bytes("old"), null));
    }

    @Test
    void retry_withZeroBackoffIsClaimableAtOnce() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.retry(queue, lease(claimOne()), Duration.ZERO, error("again"));
        assertEquals(JobState.FAILING, state("a"));
        assertEquals(2, claimOne().attempt());
    }

    @Test
    void retry_keepsTheJobsEnqueuePosition() throws Exception {
        storage.enqueue(queue, job("first").build());
        ClaimedJob c = claimOne();
        storage.enqueue(queue, job("second").build());
        storage.retry(queue, lease(c), Duration.ZERO, error("again"));
        assertEquals(List.of("first", "second"), ids(claimNow(2)));
    }

    @Test
    void unclaim_requeuesAtOnceAndTakesBackTheAttempt() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.enqueue(queue, job("b").build());
        ClaimedJob first = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage.release(queue, lease(first)), "a run that started counts");
        ClaimedJob second = claimOne();
        assertEquals(2, second.attempt());
        assertEquals(TransitionOutcome.APPLIED, storage.unclaim(queue, lease(second)));
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(1, s.attempts(), "the unstarted claim's attempt is taken back");
        assertEquals(0, s.stalls());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertEquals(TransitionOutcome.LEASE_LOST, storage.unclaim(queue, lease(second)), "only once");
        ClaimedJob third = claimOne();
        assertEquals("a", third.id(), "back in its place, ahead of b");
        assertEquals(2, third.attempt());
        assertTrue(third.fencingToken() > second.fencingToken(), "tokens never go back");
        assertEquals(TransitionOutcome.LEASE_LOST, storage.unclaim(queue, lease(second)), "the old claim stays fenced off");
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(third), bytes("ok"), null));
        assertEquals(2, status("a").attempts());
    }

    @Test
    void release_requeuesAtOnceWithoutCountingAStall() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.enqueue(queue, job("b").build());
        ClaimedJob c = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage.release(queue, lease(c)));
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(0, s.stalls());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        ClaimedJob again = claimOne();
        assertEquals("a", again.id());
        assertEquals(2, again.attempt());
        assertEquals(TransitionOutcome.LEASE_LOST, storage.release(queue, lease(c)));
    }

    // ====================================================================== fencing

    @Test
    void fencing_reapedWorkersCompletionIsRejectedAndTheNewerOutcomeStands() throws Exception {
        storage.enqueue(queue, job("a").maxStalls(3).build());
        ClaimedJob workerA = storage.claim(queue, "A", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        clock.advance(Duration.ofSeconds(11));
        List<StalledJob> stalled = storage.requeueExpired(queue, 10);
        assertEquals(List.of(new StalledJob("a", "A", 1, JobState.QUEUED)), stalled);
        ClaimedJob workerB = storage.claim(queue, "B", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        assertTrue(workerB.fencingToken() > workerA.fencingToken());
        assertEquals(2, workerB.attempt());

        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, lease(workerA), bytes("from A"), null));
        assertEquals(List.of("a"), storage.extend(queue, List.of(lease(workerA)), LEASE));
        assertEquals("B", status("a").workerId());
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(workerB), bytes("from B"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage.fail(queue, lease(workerA), error("A late"), null));
        JobSnapshot s = status("a");
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals("from B", text(s.result()));
        assertEquals(1, s.stalls());
    }

    // ====================================================================== requeueExpired

    @Test
    void requeue_onlyExpiredLeasesAreReapedAndCountAStall() throws Exception {
        storage.enqueue(queue, job("short").build());
        storage.enqueue(queue, job("long").build());
        storage.claim(queue, "w1", 1, Duration.ofSeconds(5), Duration.ZERO);
        storage.claim(queue, "w2", 1, Duration.ofSeconds(60), Duration.ZERO);
        clock.advance(Duration.ofMillis(4_999));
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
        clock.advance(Duration.ofMillis(1));
        assertEquals(List.of(new StalledJob("short", "w1", 1, JobState.QUEUED)), storage.requeueExpired(queue, 10));
        JobSnapshot s = status("short");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(1, s.stalls());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertEquals(JobState.PROCESSING, state("long"));
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
        ClaimedJob again = claimOne();
        assertEquals("short", again.id());
        assertEquals(2, again.attempt());
    }

    @Test
    void requeue_failsTheJobAfterMoreThanMaxStalls() throws Exception {
        storage.enqueue(queue, job("poison").maxStalls(2).resultTtl(Duration.ofMinutes(1)).build());
        for (int stall = 1; stall <= 2; stall++) {
            claimOne();
            clock.advance(LEASE);
            assertEquals(List.of(new StalledJob("poison", "w", stall, JobState.QUEUED)),
                    storage.requeueExpired(queue, 10));
        }
        claimOne();
        clock.advance(LEASE);
        assertEquals(List.of(new StalledJob("poison", "w", 3, JobState.FAILED)), storage.requeueExpired(queue, 10));
        JobSnapshot s = status("poison");
        assertEquals(JobState.FAILED, s.state());
        assertEquals(3, s.stalls());
        assertEquals(3, s.attempts());
        assertEquals(JobError.STALLED_TYPE, s.error().type());
        assertEquals(3, s.error().attempts());
        assertEquals(clock.instant(), s.error().failedAt());
        assertEquals(clock.instant().plus(Duration.ofMinutes(1)), s.expiresAt());
        assertTrue(claimNow(1).isEmpty());
    }

    @Test
    void requeue_stallsAccumulateAcrossRetriesAndReleases() throws Exception {
        storage.enqueue(queue, job("a").maxStalls(1).build());
        claimOne();
        clock.advance(LEASE);
        assertEquals(JobState.QUEUED, storage.requeueExpired(queue, 10).get(0).newState());
        storage.retry(queue, lease(claimOne()), Duration.ZERO, error("retry"));
        storage.release(queue, lease(claimOne()));
        assertEquals(1, status("a").stalls());
        claimOne();
        clock.advance(LEASE);
        List<StalledJob> second = storage.requeueExpired(queue, 10);
        assertEquals(List.of(new StalledJob("a", "w", 2, JobState.FAILED)), second);
        assertEquals(4, status("a").attempts());
    }

    @Test
    void requeue_nothingToDoIsEmpty() {
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
    }

    @Test
    void requeue_withZeroMaxStallsFailsOnTheFirstStall() throws Exception {
        storage.enqueue(queue, job("a").maxStalls(0).build());
        claimOne();
        clock.advance(LEASE);
        assertEquals(List.of(new StalledJob("a", "w", 1, JobState.FAILED)), storage.requeueExpired(queue, 10));
    }

    @Test
    void requeue_respectsLimitOldestDeadlineFirst() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage.enqueue(queue, job("j" + i).build());
            storage.claim(queue, "w", 1, Duration.ofSeconds(10 + i), Duration.ZERO);
        }
        clock.advance(Duration.ofMinutes(1));
        List<StalledJob> first = storage.requeueExpired(queue, 2);
        assertEquals(List.of("j0", "j1"), first.stream().map(StalledJob::id).collect(Collectors.toList()));
        List<StalledJob> rest = storage.requeueExpired(queue, 10);
        assertEquals(List.of("j2", "j3", "j4"), rest.stream().map(StalledJob::id).collect(Collectors.toList()));
        assertEquals(5, storage.counts(queue).get(JobState.QUEUED));
    }

    @Test
    void requeue_doesNotTouchJobsThatFinishedInTime() throws Exception {
        storage.enqueue(queue, job("done").build());
        storage.enqueue(queue, job("failed").build());
        storage.enqueue(queue, job("retried").build());
        storage.enqueue(queue, job("released").build());
        storage.complete(queue, lease(claimOne()), bytes("r"), null);
        storage.fail(queue, lease(claimOne()), error("f"), null);
        storage.retry(queue, lease(claimOne()), Duration.ofHours(1), error("r"));
        storage.release(queue, lease(claimOne()));
        clock.advance(LEASE.multipliedBy(2));
        assertEquals(List.of(), storage.requeueExpired(queue, 10));
        assertEquals(JobState.COMPLETED, state("done"));
        assertEquals(JobState.FAILED, state("failed"));
        assertEquals(JobState.FAILING, state("retried"));
        assertEquals(JobState.QUEUED, state("released"));
    }

    @Test
    void requeue_requeuedJobKeepsItsEnqueuePosition() throws Exception {
        storage.enqueue(queue, job("stalled").build());
        claimOne();
        storage.enqueue(queue, job("newer").build());
        clock.advance(LEASE);
        storage.requeueExpired(queue, 10);
        assertEquals(List.of("stalled", "newer"), ids(claimNow(2)));
    }

    // ====================================================================== cancel

    @Test
    void cancel_queuedDelayedAndFailingJobs() throws Exception {
        storage.enqueue(queue, job("failing").build());
        storage.retry(queue, lease(claimOne()), Duration.ofSeconds(5), error("e"));
        storage.enqueue(queue, job("queued").build());
        storage.enqueue(queue, job("delayed").delay(Duration.ofSeconds(5)).build());

        for (String id : List.of("queued", "delayed", "failing")) {
            assertEquals(CancelResult.CANCELLED, storage.cancel(queue, id), id);
            JobSnapshot s = status(id);
            assertEquals(JobState.CANCELLED, s.state(), id);
            assertEquals(clock.instant().plus(TTL), s.expiresAt(), id);
        }
        clock.advance(Duration.ofSeconds(10));
        assertTrue(claimNow(10).isEmpty());
        assertEquals(CancelResult.CANCELLED, storage.cancel(queue, "queued"));
    }

    @Test
    void cancel_leavesRunningAndFinishedJobsAlone() throws Exception {
        storage.enqueue(queue, job("running").build());
        ClaimedJob running = claimOne();
        storage.enqueue(queue, job("done").build());
        storage.complete(queue, lease(claimOne()), bytes("r"), null);
        storage.enqueue(queue, job("failed").build());
        storage.fail(queue, lease(claimOne()), error("e"), null);

        assertEquals(CancelResult.PROCESSING, storage.cancel(queue, "running"));
        assertEquals(CancelResult.COMPLETED, storage.cancel(queue, "done"));
        assertEquals(CancelResult.FAILED, storage.cancel(queue, "failed"));
        assertEquals(CancelResult.NOT_FOUND, storage.cancel(queue, "never-enqueued"));
        assertEquals(JobState.PROCESSING, state("running"));
        assertEquals("r", text(status("done").result()));
        assertEquals(JobState.FAILED, state("failed"));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(running), bytes("fine"), null));
    }

    @Test
    void cancel_queuedJobAmongOthersIsSkippedByClaims() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage.enqueue(queue, job("j" + i).build());
        }
        storage.cancel(queue, "j1");
        storage.cancel(queue, "j3");
        assertEquals(List.of("j0", "j2", "j4"), ids(claimNow(10)));
    }

    @Test
    void cancel_cancelledRecordCarriesNoResultOrError() throws Exception {
        storage.enqueue(queue, job("a").build());
        storage.retry(queue, lease(claimOne()), Duration.ofMinutes(1), error("e"));
        storage.cancel(queue, "a");
        JobSnapshot s = status("a");
        assertEquals(JobState.CANCELLED, s.state());
        assertNull(s.error());
        assertNull(s.result());
        assertNull(s.runAt());
        assertEquals(1, s.attempts());
    }

    // ====================================================================== updateResultTtl

    @Test
    void ttl_updateOnCompletedCanLengthenAndShorten() throws Exception {
        storage.enqueue(queue, job("longer").resultTtl(Duration.ofSeconds(10)).build());
        storage.enqueue(queue, job("shorter").resultTtl(Duration.ofSeconds(10)).build());
        storage.complete(queue, lease(claimOne()), bytes("l"), null);
        storage.complete(queue, lease(claimOne()), bytes("s"), null);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(TtlUpdateResult.UPDATED, storage.updateResultTtl(queue, "longer", Duration.ofSeconds(60)));
        assertEquals(TtlUpdateResult.UPDATED, storage.updateResultTtl(queue, "shorter", Duration.ofSeconds(2)));
        assertEquals(clock.instant().plusSeconds(60), status("longer").expiresAt());
        assertEquals(clock.instant().plusSeconds(2), status("shorter").expiresAt());
        clock.advance(Duration.ofSeconds(2));
        assertTrue(storage.status(queue, "shorter").isEmpty());
        assertTrue(storage.enqueue(queue, job("shorter").build()).created());
        clock.advance(Duration.ofSeconds(20)); // past the original 10 s
        assertEquals(JobState.COMPLETED, state("longer"));
        assertFalse(storage.enqueue(queue, job("longer").build()).created());
        clock.advance(Duration.ofSeconds(38));
        assertTrue(storage.status(queue, "longer").isEmpty());
    }

    @Test
    void ttl_updateOnFailedCanLengthenAndShorten() throws Exception {
        storage.enqueue(queue, job("longer").resultTtl(Duration.ofSeconds(10)).build());
        storage.enqueue(queue, job("shorter").resultTtl(Duration.ofSeconds(10)).build());
        storage.fail(queue, lease(claimOne()), error("l"), null);
        storage.fail(queue, lease(claimOne()), error("s"), null);
        assertEquals(TtlUpdateResult.UPDATED, storage.updateResultTtl(queue, "longer", Duration.ofSeconds(30)));
        assertEquals(TtlUpdateResult.UPDATED, storage.updateResultTtl(queue, "shorter", Duration.ofSeconds(3)));
        clock.advance(Duration.ofSeconds(3));
        assertTrue(storage.status(queue, "shorter").isEmpty());
        clock.advance(Duration.ofSeconds(20));
        assertEquals("l", status("longer").error().message());
        clock.advance(Duration.ofSeconds(7));
        assertTrue(storage.status(queue, "longer").isEmpty());
    }

    @Test
    void ttl_updateOnUnknownExpiredAndUnfinishedJobs() throws Exception {
        assertEquals(TtlUpdateResult.NOT_FOUND, storage.updateResultTtl(queue, "nope", Duration.ofSeconds(1)));
        storage.enqueue(queue, job("expired").resultTtl(Duration.ofSeconds(1)).build());
        storage.complete(queue, lease(claimOne()), bytes("r"), null);
        clock.advance(Duration.ofSeconds(1));
        assertEquals(TtlUpdateResult.NOT_FOUND, storage.updateResultTtl(queue, "expired", Duration.ofHours(1)));
        assertTrue(storage.status(queue, "expired").isEmpty());

        storage.enqueue(queue, job("queued").build());
        storage.enqueue(queue, job("delayed").delay(Duration.ofMinutes(1)).build());
        storage.enqueue(queue, job("cancelled").build());
        storage.cancel(queue, "cancelled");
        for (String id : List.of("queued", "delayed", "cancelled")) {
            assertEquals(TtlUpdateResult.NOT_TERMINAL, storage.updateResultTtl(queue, id, Duration.ofSeconds(1)), id);
        }
        storage.enqueue(queue, job("running").build());
        claimNow(10);
        assertEquals(TtlUpdateResult.NOT_TERMINAL, storage.updateResultTtl(queue, "running", Duration.ofSeconds(1)));
    }

    // ====================================================================== counts and list

    @Test
    void counts_everyStatePresentAndZeroWhenEmpty() {
        Map<JobState, Long> counts = storage.counts(queue);
        for (JobState s : JobState.values()) {
            assertEquals(0L, counts.get(s), s.name());
        }
    }

    @Test
    void counts_andListPerState() throws Exception {
        populateOneOfEachState();
        Map<JobState, Long> counts = storage.counts(queue);
        assertEquals(2L, counts.get(JobState.QUEUED));
        assertEquals(1L, counts.get(JobState.DELAYED));
        assertEquals(1L, counts.get(JobState.PROCESSING));
        assertEquals(1L, counts.get(JobState.FAILING));
        assertEquals(1L, counts.get(JobState.COMPLETED));
        assertEquals(1L, counts.get(JobState.FAILED));
        assertEquals(1L, counts.get(JobState.CANCELLED));
        assertEquals(List.of("queued-high", "queued-low"), storage.list(queue, JobState.QUEUED, 10));
        assertEquals(List.of("queued-high"), storage.list(queue, JobState.QUEUED, 1));
        assertEquals(List.of("delayed"), storage.list(queue, JobState.DELAYED, 10));
        assertEquals(List.of("processing"), storage.list(queue, JobState.PROCESSING, 10));
        assertEquals(List.of("failing"), storage.list(queue, JobState.FAILING, 10));
        assertEquals(List.of("completed"), storage.list(queue, JobState.COMPLETED, 10));
        assertEquals(List.of("failed"), storage.list(queue, JobState.FAILED, 10));
        assertEquals(List.of("cancelled"), storage.list(queue, JobState.CANCELLED, 10));
    }

    @Test
    void counts_expiredRecordsAreNotCounted() throws Exception {
        storage.enqueue(queue, job("a").resultTtl(Duration.ofSeconds(1)).build());
        storage.complete(queue, lease(claimOne()), bytes("r"), null);
        assertEquals(1L, storage.counts(queue).get(JobState.COMPLETED));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(0L, storage.counts(queue).get(JobState.COMPLETED));
        assertEquals(List.of(), storage.list(queue, JobState.COMPLETED, 10));
    }

    @Test
    void list_respectsLimitInEveryState() throws Exception {
        for (int i = 0; i < 3; i++) {
            storage.enqueue(queue, job("p" + i).build());
        }
        List<ClaimedJob> claimed = claimNow(3);
        for (int i = 0; i < 3; i++) {
            storage.enqueue(queue, job("q" + i).build());
            storage.enqueue(queue, job("c" + i).build());
            storage.cancel(queue, "c" + i);
        }
        assertEquals(2, storage.list(queue, JobState.PROCESSING, 2).size());
        assertEquals(2, storage.list(queue, JobState.QUEUED, 2).size());
        assertEquals(2, storage.list(queue, JobState.CANCELLED, 2).size());
        for (ClaimedJob c : claimed) {
            storage.complete(queue, lease(c), bytes("r"), null);
        }
        assertEquals(1, storage.list(queue, JobState.COMPLETED, 1).size());
        assertEquals(3, storage.list(queue, JobState.COMPLETED, 100).size());
    }

    @Test
    void list_processingAndFailingJobs() throws Exception {
        storage.enqueue(queue, job("f1").build());
        storage.enqueue(queue, job("f2").build());
        storage.enqueue(queue, job("p").build());
        storage.retry(queue, lease(claimOne()), Duration.ofSeconds(20), error("e"));
        storage.retry(queue, lease(claimOne()), Duration.ofSeconds(10), error("e"));
        claimOne();
        assertEquals(List.of("f2", "f1"), storage.list(queue, JobState.FAILING, 10));
        assertEquals(List.of("p"), storage.list(queue, JobState.PROCESSING, 10));
        assertEquals(List.of(), storage.list(queue, JobState.QUEUED, 10));
    }

    @Test
    void list_delayedInDueOrder() {
        storage.enqueue(queue, job("in30").delay(Duration.ofSeconds(30)).build());
        storage.enqueue(queue, job("in10").delay(Duration.ofSeconds(10)).build());
        storage.enqueue(queue, job("in20").delay(Duration.ofSeconds(20)).build());
        assertEquals(List.of("in10", "in20", "in30"), storage.list(queue, JobState.DELAYED, 10));
        assertEquals(List.of("in10", "in20"), storage.list(queue, JobState.DELAYED, 2));
    }

    // ====================================================================== subscribe

    @Test
    void subscribe_reportsCompleteFailCancelAndStalledToFailed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, JobState> states = new ConcurrentHashMap<>();
        try (Subscription ignored = storage.subscribe(queue, (id, snapshot) -> {
            seen.add(id);
            if (snapshot != null) {
                states.put(id, snapshot.state());
            }
        })) {
            storage.enqueue(queue, job("c").build());
            storage.complete(queue, lease(claimOne()), bytes("r"), null);
            storage.enqueue(queue, job("f").build());
            storage.fail(queue, lease(claimOne()), error("e"), null);
            storage.enqueue(queue, job("x").build());
            storage.cancel(queue, "x");
            storage.enqueue(queue, job("s").maxStalls(0).build());
            claimOne();
            clock.advance(LEASE);
            storage.requeueExpired(queue, 10);
            awaitCondition(() -> new HashSet<>(seen).containsAll(Set.of("c", "f", "x", "s")),
                    () -> "terminal notifications, seen " + seen);
            states.forEach((id, state) -> assertTrue(state.isTerminal(), id + " reported in " + state));
        }
    }

    @Test
    void subscribe_snapshotWhenGivenIsTheTerminalRecord() throws Exception {
        Map<String, JobSnapshot> snapshots = new ConcurrentHashMap<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage.subscribe(queue, (id, snapshot) -> {
            if (snapshot != null) {
                snapshots.put(id, snapshot);
            }
            seen.add(id);
        })) {
            storage.enqueue(queue, job("c").build());
            storage.complete(queue, lease(claimOne()), bytes("the result"), null);
            storage.enqueue(queue, job("f").build());
            JobError err = error("bad");
            storage.fail(queue, lease(claimOne()), err, null);
            awaitCondition(() -> seen.containsAll(List.of("c", "f")), () -> "notifications, seen " + seen);
            if (snapshots.containsKey("c")) {
                assertEquals(JobState.COMPLETED, snapshots.get("c").state());
                assertEquals("the result", text(snapshots.get("c").result()));
            }
            if (snapshots.containsKey("f")) {
                assertEquals(JobState.FAILED, snapshots.get("f").state());
                assertEquals(err, snapshots.get("f").error());
            }
        }
    }

    @Test
    void subscribe_leaseLostTransitionsAreNotReported() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage.subscribe(queue, (id, s) -> seen.add(id))) {
            storage.enqueue(queue, job("a").build());
            ClaimedJob c = claimOne();
            storage.release(queue, lease(c));
            assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(queue, lease(c), bytes("x"), null));
            assertEquals(CancelResult.CANCELLED, storage.cancel(queue, "a"));
            awaitCondition(() -> seen.contains("a"), () -> "cancel notification, seen " + seen);
            assertEquals(List.of("a"), seen);
        }
    }

    @Test
    void subscribe_duplicateEnqueueTurnsNotificationOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage.subscribe(queue, (id, snapshot) -> seen.add(id))) {
            storage.enqueue(queue, job("quiet").notifyOnTerminal(false).build());
            assertFalse(storage.enqueue(queue, job("quiet").notifyOnTerminal(true).build()).created());
            storage.complete(queue, lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> seen.contains("quiet"), () -> "notification for 'quiet', seen " + seen);
        }
    }

    @Test
    void subscribe_closedSubscriptionHearsNothingMore() throws Exception {
        List<String> closedOne = new CopyOnWriteArrayList<>();
        List<String> openOne = new CopyOnWriteArrayList<>();
        Subscription toClose = storage.subscribe(queue, (id, s) -> closedOne.add(id));
        try (Subscription ignored = storage.subscribe(queue, (id, s) -> openOne.add(id))) {
            storage.enqueue(queue, job("before").build());
            storage.complete(queue, lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> closedOne.contains("before") && openOne.contains("before"),
                    () -> "both saw 'before': " + closedOne + " " + openOne);
            toClose.close();
            toClose.close(); // twice is harmless
            storage.enqueue(queue, job("after").build());
            storage.complete(queue, lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> openOne.contains("after"), () -> "open subscription saw 'after': " + openOne);
            assertEquals(List.of("before"), closedOne);
        }
    }

    @Test
    void subscribe_otherQueuesJobsAreNotReported() throws Exception {
        String other = queue + "-other";
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage.subscribe(queue, (id, s) -> seen.add(id))) {
            storage.enqueue(other, job("elsewhere").build());
            ClaimedJob c = storage.claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
            storage.complete(other, lease(c), bytes("r"), null);
            storage.enqueue(queue, job("here").build());
            storage.complete(queue, lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> seen.contains("here"), () -> "saw 'here': " + seen);
            assertEquals(List.of("here"), seen);
        }
    }

    @Test
    void subscribe_throwingListenerDoesNotBreakTheStorage() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription bad = storage.subscribe(queue, (id, s) -> {
            throw new IllegalStateException("listener bug");
        }); Subscription good = storage.subscribe(queue, (id, s) -> seen.add(id))) {
            storage.enqueue(queue, job("a").build());
            assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(claimOne()), bytes("r"), null));
            awaitCondition(() -> seen.contains("a"), () -> "good listener saw 'a': " + seen);
            assertEquals(JobState.COMPLETED, state("a"));
        }
    }

    // ====================================================================== namespaces

    @Test
    void namespace_sameIdInTwoQueuesIsIndependent() throws Exception {
        String other = queue + "-b";
        assertTrue(storage.enqueue(queue, job("same").payload("in A").build()).created());
        assertTrue(storage.enqueue(other, job("same").payload("in B").delay(Duration.ofSeconds(5)).build()).created());
        assertEquals(JobState.QUEUED, state("same"));
        assertEquals(JobState.DELAYED, storage.status(other, "same").orElseThrow().state());

        ClaimedJob a = claimOne();
        assertEquals("in A", text(a.payload()));
        assertTrue(storage.claim(other, "w", 1, LEASE, Duration.ZERO).isEmpty());
        assertEquals(TransitionOutcome.LEASE_LOST, storage.complete(other, lease(a), bytes("x"), null));
        assertEquals(List.of("same"), storage.extend(other, List.of(lease(a)), LEASE));
        assertEquals(CancelResult.CANCELLED, storage.cancel(other, "same"));
        assertEquals(JobState.PROCESSING, state("same"));
        assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(a), bytes("done A"), null));
        assertEquals(TtlUpdateResult.NOT_TERMINAL, storage.updateResultTtl(other, "same", Duration.ofSeconds(1)));
        assertEquals(TtlUpdateResult.UPDATED, storage.updateResultTtl(queue, "same", Duration.ofSeconds(1)));

        assertEquals(1L, storage.counts(queue).get(JobState.COMPLETED));
        assertEquals(0L, storage.counts(queue).get(JobState.CANCELLED));
        assertEquals(1L, storage.counts(other).get(JobState.CANCELLED));
        assertEquals(0L, storage.counts(other).get(JobState.COMPLETED));
        assertTrue(storage.enqueue(other, job("same").payload("B again").build()).created());
        assertEquals(List.of("same"), storage.list(other, JobState.QUEUED, 10));
        assertEquals(List.of(), storage.list(queue, JobState.QUEUED, 10));
    }

    @Test
    void namespace_transitionsAndStatusNeverCrossQueues() throws Exception {
        String other = queue + "-b";
        storage.enqueue(queue, job("x").build());
        storage.enqueue(other, job("x").build());
        ClaimedJob mine = claimOne();
        ClaimedJob theirs = storage.claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(TransitionOutcome.APPLIED, storage.retry(queue, lease(mine), Duration.ofMinutes(1), error("r")));
        assertEquals(JobState.PROCESSING, storage.status(other, "x").orElseThrow().state());
        assertEquals(TransitionOutcome.APPLIED, storage.release(other, lease(theirs)));
        assertEquals(JobState.FAILING, state("x"));
        ClaimedJob theirsAgain = storage.claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(TransitionOutcome.APPLIED, storage.fail(other, lease(theirsAgain), error("f"), null));
        assertEquals(JobState.FAILING, state("x"));
        assertEquals(JobState.FAILED, storage.status(other, "x").orElseThrow().state());
        assertEquals(CancelResult.CANCELLED, storage.cancel(queue, "x"));
        assertEquals(JobState.FAILED, storage.status(other, "x").orElseThrow().state());
        assertTrue(storage.status(queue + "-c", "x").isEmpty());
        assertEquals(1L, storage.counts(queue).get(JobState.CANCELLED));
        assertEquals(0L, storage.counts(queue).get(JobState.FAILED));
        assertEquals(1L, storage.counts(other).get(JobState.FAILED));
        assertEquals(0L, storage.counts(other).get(JobState.CANCELLED));
    }

    @Test
    void namespace_leasesAndLocksArePerQueue() throws Exception {
        String other = queue + "-b";
        storage.enqueue(queue, job("a").build());
        storage.enqueue(other, job("a").build());
        claimOne();
        storage.claim(other, "w", 1, Duration.ofHours(1), Duration.ZERO);
        clock.advance(LEASE);
        assertEquals(1, storage.requeueExpired(queue, 10).size());
        assertEquals(List.of(), storage.requeueExpired(other, 10));
        assertEquals(JobState.PROCESSING, storage.status(other, "a").orElseThrow().state());

        assertTrue(storage.acquireLock(queue, "reaper", "me", LEASE));
        assertTrue(storage.acquireLock(other, "reaper", "you", LEASE));
    }

    // ====================================================================== leader lock

    @Test
    void lock_acquireWhenFreeNotWhenHeldByAnother() {
        assertTrue(storage.acquireLock(queue, "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        assertTrue(storage.acquireLock(queue, "another-lock", "two", Duration.ofSeconds(10)));
    }

    @Test
    void lock_acquireAfterExpiry() {
        assertTrue(storage.acquireLock(queue, "leader", "one", Duration.ofSeconds(10)));
        clock.advance(Duration.ofMillis(9_999));
        assertFalse(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        clock.advance(Duration.ofMillis(1));
        assertTrue(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        assertFalse(storage.renewLock(queue, "leader", "one", Duration.ofSeconds(10)));
    }

    @Test
    void lock_renewByOwnerOnly() {
        assertTrue(storage.acquireLock(queue, "leader", "one", Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(8));
        assertTrue(storage.renewLock(queue, "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage.renewLock(queue, "leader", "two", Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(8)); // 16 s after acquire: alive only thanks to the renewal
        assertFalse(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(2));
        assertTrue(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
    }

    @Test
    void lock_renewAfterExpiryFails() {
        assertTrue(storage.acquireLock(queue, "leader", "one", Duration.ofSeconds(10)));
        clock.advance(Duration.ofSeconds(10));
        assertFalse(storage.renewLock(queue, "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage.renewLock(queue, "never-taken", "one", Duration.ofSeconds(10)));
    }

    @Test
    void lock_releaseByOwnerOnlyThenAcquirable() {
        assertTrue(storage.acquireLock(queue, "leader", "one", Duration.ofSeconds(10)));
        assertFalse(storage.releaseLock(queue, "leader", "two"));
        assertFalse(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        assertTrue(storage.releaseLock(queue, "leader", "one"));
        assertTrue(storage.acquireLock(queue, "leader", "two", Duration.ofSeconds(10)));
        assertFalse(storage.releaseLock(queue, "leader", "one"));
    }

    // ====================================================================== concurrency

    @Test
    void concurrency_sixteenThreadsEnqueueTheSameIdExactlyOneIsCreated() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<EnqueueOutcome>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String payload = "from-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return storage.enqueue(queue, job("contended").payload(payload).build());
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<EnqueueOutcome> f : futures) {
                if (f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created()) {
                    created++;
                }
            }
            assertEquals(1, created);
            assertEquals(1L, storage.counts(queue).get(JobState.QUEUED));
            assertEquals(1, claimNow(10).size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrency_eightThreadsClaimEveryJobExactlyOnce() throws Exception {
        int jobs = 1_000;
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            batch.add(job("job-" + i).build());
        }
        storage.enqueueBatch(queue, batch);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    while (true) {
                        List<ClaimedJob> got = storage.claim(queue, worker, 7, LEASE, Duration.ZERO);
                        if (got.isEmpty()) {
                            return mine;
                        }
                        for (ClaimedJob c : got) {
                            mine.add(c.id());
                            assertEquals(TransitionOutcome.APPLIED,
                                    storage.complete(queue, lease(c), bytes(worker), null));
                        }
                    }
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS));
            }
            assertEquals(jobs, all.size());
            assertEquals(jobs, new HashSet<>(all).size());
            assertEquals((long) jobs, storage.counts(queue).get(JobState.COMPLETED));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrency_claimsAndTransitionsFromManyThreadsKeepCountsExact() throws Exception {
        int jobs = 400;
        for (int i = 0; i < jobs; i++) {
            storage.enqueue(queue, job("m" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger completed = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    List<ClaimedJob> got;
                    while (!(got = storage.claim(queue, worker, 3, LEASE, Duration.ZERO)).isEmpty()) {
                        for (ClaimedJob c : got) {
                            // Every job is released once, then completed on its second attempt.
                            if (c.attempt() == 1) {
                                storage.release(queue, lease(c));
                            } else {
                                storage.complete(queue, lease(c), bytes("ok"), null);
                                completed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(jobs, completed.get());
        Map<JobState, Long> counts = storage.counts(queue);
        assertEquals((long) jobs, counts.get(JobState.COMPLETED));
        assertEquals(0L, counts.get(JobState.QUEUED));
        assertEquals(0L, counts.get(JobState.PROCESSING));
    }

    @Test
    void concurrency_cancelRacingClaimsNeverBothWin() throws Exception {
        int jobs = 500;
        for (int i = 0; i < jobs; i++) {
            storage.enqueue(queue, job("r" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Set<String>> cancelled = pool.submit(() -> {
                start.await();
                Set<String> won = new HashSet<>();
                for (int i = jobs - 1; i >= 0; i--) {
                    if (storage.cancel(queue, "r" + i) == CancelResult.CANCELLED) {
                        won.add("r" + i);
                    }
                }
                return won;
            });
            List<Future<Set<String>>> claimers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                claimers.add(pool.submit(() -> {
                    start.await();
                    Set<String> won = new HashSet<>();
                    List<ClaimedJob> got;
                    while (!(got = storage.claim(queue, "w", 5, LEASE, Duration.ZERO)).isEmpty()) {
                        got.forEach(c -> won.add(c.id()));
                    }
                    return won;
                }));
            }
            start.countDown();
            Set<String> cancelWins = cancelled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Set<String> claimWins = new HashSet<>();
            for (Future<Set<String>> f : claimers) {
                Set<String> mine = f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertTrue(java.util.Collections.disjoint(claimWins, mine), "a job was claimed twice");
                claimWins.addAll(mine);
            }
            // A claimer may stop early while the canceller still runs; claim what is left.
            claimWins.addAll(ids(claimNow(jobs)));
            assertTrue(java.util.Collections.disjoint(cancelWins, claimWins), "a job was both cancelled and claimed");
            assertEquals(jobs, cancelWins.size() + claimWins.size());
            for (String id : cancelWins) {
                assertEquals(JobState.CANCELLED, state(id), id);
            }
            for (String id : claimWins) {
                assertEquals(JobState.PROCESSING, state(id), id);
            }
            Map<JobState, Long> counts = storage.counts(queue);
            assertEquals((long) cancelWins.size(), counts.get(JobState.CANCELLED));
            assertEquals((long) claimWins.size(), counts.get(JobState.PROCESSING));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrency_completeRacingTheReaperExactlyOneWins() throws Exception {
        int jobs = 300;
        for (int i = 0; i < jobs; i++) {
            storage.enqueue(queue, job("k" + i).maxStalls(5).build());
        }
        List<ClaimedJob> claimed = new ArrayList<>();
        List<ClaimedJob> got;
        while (!(got = claimNow(50)).isEmpty()) {
            claimed.addAll(got);
        }
        assertEquals(jobs, claimed.size());
        clock.advance(LEASE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Set<String>> completer = pool.submit(() -> {
                start.await();
                Set<String> won = new HashSet<>();
                for (ClaimedJob c : claimed) {
                    if (storage.complete(queue, lease(c), bytes("r"), null) == TransitionOutcome.APPLIED) {
                        won.add(c.id());
                    }
                }
                return won;
            });
            Future<Set<String>> reaper = pool.submit(() -> {
                start.await();
                Set<String> won = new HashSet<>();
                List<StalledJob> reaped;
                while (!(reaped = storage.requeueExpired(queue, 7)).isEmpty()) {
                    reaped.forEach(r -> won.add(r.id()));
                }
                return won;
            });
            start.countDown();
            Set<String> completed = completer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Set<String> reaped = reaper.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            reaped.addAll(storage.requeueExpired(queue, jobs).stream().map(StalledJob::id).collect(Collectors.toList()));
            assertTrue(java.util.Collections.disjoint(completed, reaped), "a job was both completed and reaped");
            assertEquals(jobs, completed.size() + reaped.size());
            Map<JobState, Long> counts = storage.counts(queue);
            assertEquals((long) completed.size(), counts.get(JobState.COMPLETED));
            assertEquals((long) reaped.size(), counts.get(JobState.QUEUED));
            assertEquals(0L, counts.get(JobState.PROCESSING));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrency_waitingClaimersAndAProducerLoseNothing() throws Exception {
        int jobs = 2_000;
        int claimers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < claimers; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    while (seen.size() < jobs) {
                        for (ClaimedJob c : storage.claim(queue, worker, 4, LEASE, Duration.ofMillis(200))) {
                            if (!seen.add(c.id())) {
                                duplicates.incrementAndGet();
                            }
                            storage.complete(queue, lease(c), bytes("ok"), null);
                        }
                    }
                    return null;
                }));
            }
            for (int i = 0; i < jobs; i++) {
                storage.enqueue(queue, job("p" + i).build());
            }
            for (Future<?> f : futures) {
                f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, duplicates.get());
        assertEquals(jobs, seen.size());
        assertEquals((long) jobs, storage.counts(queue).get(JobState.COMPLETED));
    }

    // ====================================================================== odd ids and big values

    @Test
    void ids_oddIdsAreStoredAndReadBackExactly() throws Exception {
        List<String> ids = oddIds();
        for (String id : ids) {
            assertTrue(storage.enqueue(queue, job(id).payload("payload of " + id).build()).created(), id);
        }
        assertEquals((long) ids.size(), storage.counts(queue).get(JobState.QUEUED));
        List<ClaimedJob> claimed = claimNow(ids.size() + 5);
        assertEquals(ids, ids(claimed));
        for (ClaimedJob c : claimed) {
            assertEquals("payload of " + c.id(), text(c.payload()));
            assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), bytes("result of " + c.id()), null));
        }
        for (String id : ids) {
            JobSnapshot s = status(id);
            assertEquals(id, s.id());
            assertEquals("result of " + id, text(s.result()));
            assertFalse(storage.enqueue(queue, job(id).build()).created(), id);
        }
        assertEquals(Set.copyOf(ids), Set.copyOf(storage.list(queue, JobState.COMPLETED, 1_000)));
        assertTrue(storage.status(queue, "a").isEmpty());
        assertTrue(storage.status(queue, "x").isEmpty());
        assertTrue(storage.status(queue, "etc/passwd").isEmpty());
    }

    @Test
    void ids_oddIdsDoNotCollideWithEachOtherOrOtherQueues() throws Exception {
        for (String id : oddIds()) {
            storage.enqueue(queue, job(id).build());
            assertEquals(CancelResult.CANCELLED, storage.cancel(queue, id), id);
            assertTrue(storage.status(queue + "x", id).isEmpty(), id);
        }
        assertEquals((long) oddIds().size(), storage.counts(queue).get(JobState.CANCELLED));
    }

    @Test
    void ids_emptyAndLargePayloadsAndResultsRoundTrip() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        new java.util.Random(42).nextBytes(big);
        storage.enqueue(queue, job("empty").payload(new byte[0]).build());
        storage.enqueue(queue, job("big").payload(big).build());
        List<ClaimedJob> claimed = claimNow(2);
        assertArrayEquals(new byte[0], claimed.get(0).payload());
        assertArrayEquals(big, claimed.get(1).payload());
        storage.complete(queue, lease(claimed.get(0)), new byte[0], null);
        storage.complete(queue, lease(claimed.get(1)), big, null);
        assertArrayEquals(new byte[0], status("empty").result());
        assertArrayEquals(big, status("big").result());
        EnqueueOutcome dup = storage.enqueue(queue, job("big").build());
        assertArrayEquals(big, dup.existing().result());
    }

    @Test
    void ids_allByteValuesInPayloadRoundTrip() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        storage.enqueue(queue, job("bytes").payload(all).build());
        ClaimedJob c = claimOne();
        assertArrayEquals(all, c.payload());
        storage.complete(queue, lease(c), all, null);
        assertArrayEquals(all, status("bytes").result());
    }

    // ====================================================================== arguments

    @Test
    void arguments_badInputIsRejectedWithIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> storage.enqueue(queue, job("").build()));
        assertThrows(IllegalArgumentException.class,
                () -> storage.enqueue(queue, job("a").resultTtl(Duration.ZERO).build()));
        assertThrows(IllegalArgumentException.class, () -> storage.enqueue(queue, job("a").maxAttempts(0).build()));
        assertThrows(IllegalArgumentException.class,
                () -> storage.enqueue(queue, job("a").delay(Duration.ofSeconds(-1)).build()));
        assertThrows(IllegalArgumentException.class, () -> storage.claim(queue, "w", 0, LEASE, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> storage.claim(queue, "w", 1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> storage.updateResultTtl(queue, "a", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> storage.requeueExpired(queue, 0));
        assertTrue(storage.status(queue, "a").isEmpty(), "rejected enqueues must not create the job");
    }

    // ====================================================================== helpers

    /** Odd ids every storage must store exactly and keep apart. */
    protected static List<String> oddIds() {
        return List.of("a:b", "{x}", "*", "../../etc/passwd", "a/b", "a\\b", "ünïcødé-日本-😀", " spaced id ",
                "line\nbreak", "%2e%2e", "x".repeat(10 * 1024));
    }

    protected List<ClaimedJob> claimNow(int max) throws InterruptedException {
        return storage.claim(queue, "w", max, LEASE, Duration.ZERO);
    }

    /** Claims exactly one job as worker "w", failing when none is due. */
    protected ClaimedJob claimOne() throws InterruptedException {
        List<ClaimedJob> got = claimNow(1);
        assertEquals(1, got.size(), "expected one claimable job");
        return got.get(0);
    }

    protected JobSnapshot status(String id) {
        Optional<JobSnapshot> s = storage.status(queue, id);
        assertTrue(s.isPresent(), "no status for " + id);
        return s.get();
    }

    protected JobState state(String id) {
        return storage.status(queue, id).map(JobSnapshot::state).orElse(null);
    }

    protected static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    protected static List<LeaseRef> leases(List<ClaimedJob> claimed) {
        return claimed.stream().map(StorageContract::lease).collect(Collectors.toList());
    }

    protected static List<String> ids(List<ClaimedJob> claimed) {
        return claimed.stream().map(ClaimedJob::id).collect(Collectors.toList());
    }

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    protected JobError error(String message) {
        return new JobError("java.lang.RuntimeException", message, "trace of " + message, null, 1, clock.instant());
    }

    private long claimTokenStillCurrent(ClaimedJob c) {
        assertEquals(List.of(), storage.extend(queue, List.of(lease(c)), LEASE), "token of " + c.id() + " current");
        return c.fencingToken();
    }

    /** Puts one job in each state: 2 QUEUED (priorities 5 and 1), and one each of the others. */
    private void populateOneOfEachState() throws InterruptedException {
        for (String id : List.of("processing", "failing", "completed", "failed")) {
            storage.enqueue(queue, job(id).priority(100).build());
        }
        Map<String, ClaimedJob> byId = new java.util.HashMap<>();
        for (ClaimedJob c : claimNow(4)) {
            byId.put(c.id(), c);
        }
        storage.retry(queue, lease(byId.get("failing")), Duration.ofHours(1), error("later"));
        storage.complete(queue, lease(byId.get("completed")), bytes("r"), null);
        storage.fail(queue, lease(byId.get("failed")), error("no"), null);
        storage.enqueue(queue, job("queued-low").priority(1).build());
        storage.enqueue(queue, job("queued-high").priority(5).build());
        storage.enqueue(queue, job("delayed").delay(Duration.ofHours(1)).build());
        storage.enqueue(queue, job("cancelled").build());
        storage.cancel(queue, "cancelled");
    }

    /** Polls {@code condition} until it holds, failing after {@link #PATIENCE}. */
    protected static void awaitCondition(BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits (bounded) until the thread is parked in a wait, so the next step happens while it
     * blocks. A storage that blocks in a socket read never parks; after a short while the test
     * goes on anyway, which is still correct, only less pointed.
     */
    private static void awaitParked(java.util.function.Supplier<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (System.nanoTime() < deadline) {
            Thread t = thread.get();
            if (t != null && (t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.sleep(5);
        }
        assertNotNull(thread.get(), "claiming thread never started");
    }
}
