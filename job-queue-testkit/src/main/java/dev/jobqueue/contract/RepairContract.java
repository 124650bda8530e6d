package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The operator's repairs: retryJob and retryAll (FAILED or CANCELLED back to QUEUED with a fresh
 * attempt budget), deleteJob and purge (any state but PROCESSING, id freed, waiting callers told
 * CANCELLED), and promote (DELAYED or FAILING to QUEUED now). Each leaves other states, other
 * jobs and other queues alone.
 *
 * <!-- snippet: repair-contract -->
 * <pre>{@code
 * storage.retryJob(queue, "invoice-9"); // RETRIED, NOT_FOUND or NOT_RETRYABLE
 * int purged = storage.purge(queue, JobState.COMPLETED, 500); // at most 500 per call
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface RepairContract extends StorageFixture {
    // ---------------------------------------------------------------- retryJob

    /**
     * {@code retryJob}: a FAILED job is QUEUED again with the same id, payload, priority, metadata
     * and limits, attempts, stalls, error, result and timing cleared, and its next claim's token
     * above every earlier one.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryJob_failedJobIsQueuedWithAFreshBudget() throws Exception {
        Map<String, String> meta = Map.of("tenant", "acme");
        Instant created = clock().instant();
        storage().enqueue(queue(), job("a").priority(3).maxAttempts(2).maxStalls(4).payload("the payload")
                .resultTtl(Duration.ofMinutes(7)).metadata(meta).build());
        storage().retry(queue(), lease(claimOne()), Duration.ZERO, error("first"));
        ClaimedJob last = claimOne();
        storage().fail(queue(), lease(last), error("second"), null);
        clock().advance(Duration.ofSeconds(5));

        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "a"));
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(0, s.attempts());
        assertEquals(0, s.stalls());
        assertEquals(3, s.priority());
        assertEquals(2, s.maxAttempts());
        assertEquals(created, s.createdAt());
        assertNull(s.error());
        assertNull(s.result());
        assertNull(s.expiresAt());
        assertNull(s.runAt());
        assertNull(s.startedAt());
        assertNull(s.finishedAt());
        assertEquals(meta, s.metadata());
        assertEquals(List.of("a"), Listings.ids(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 10));
        assertEquals(0L, storage().counts(queue()).get(JobState.FAILED));

        Instant retriedAt = clock().instant();
        clock().advance(Duration.ofSeconds(2));
        ClaimedJob again = claimOne();
        assertEquals(1, again.attempt());
        assertEquals(2, again.maxAttempts());
        assertEquals("the payload", text(again.payload()));
        assertEquals(meta, again.metadata());
        assertEquals(retriedAt, again.readyAt(), "readyAt of a retried job is the retry");
        assertTrue(again.fencingToken() > last.fencingToken(), "the token must grow across a retryJob");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(last), bytes("stale"), null));
        storage().retry(queue(), lease(again), Duration.ZERO, error("third"));
        ClaimedJob second = claimOne();
        assertEquals(2, second.attempt(), "the budget starts again from 0");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(second), bytes("ok"), null));
        assertEquals(clock().instant().plus(Duration.ofMinutes(7)), status("a").expiresAt(), "the result TTL is kept");
    }

    /**
     * {@code retryJob} of a CANCELLED job, and of a job that failed by stalling (stalls reset).
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryJob_cancelledAndStalledJobs() throws Exception {
        storage().enqueue(queue(), job("cancelled").delay(Duration.ofMinutes(5)).build());
        storage().cancel(queue(), "cancelled");
        storage().enqueue(queue(), job("stalled").maxStalls(0).build());
        storage().claim(queue(), "w", 1, Duration.ofSeconds(1), Duration.ZERO);
        clock().advance(Duration.ofSeconds(1));
        storage().requeueExpired(queue(), 10);
        assertEquals(JobState.FAILED, state("stalled"));

        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "cancelled"));
        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "stalled"));
        assertEquals(0, status("stalled").stalls());
        assertEquals(JobState.QUEUED, state("cancelled"));
        assertEquals(List.of("cancelled", "stalled"), ids(claimNow(10)));
    }

    /**
     * {@code retryJob} puts the job at the end of its priority's FIFO.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryJob_goesToTheEndOfItsPriority() throws Exception {
        storage().enqueue(queue(), job("x").build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        storage().enqueue(queue(), job("y").build());
        storage().enqueue(queue(), job("z").build());
        storage().enqueue(queue(), job("high").priority(1).build());
        storage().enqueue(queue(), job("low").priority(-1).build());
        storage().retryJob(queue(), "x");
        assertEquals(List.of("high", "y", "z", "x", "low"),
                Listings.ids(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 2));
        assertEquals(List.of("high", "y", "z", "x", "low"), ids(claimNow(10)));
    }

    /**
     * {@code retryJob}: NOT_FOUND for unknown and expired jobs, NOT_RETRYABLE for every other
     * state, with nothing changed.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryJob_notFoundAndNotRetryable() throws Exception {
        assertEquals(RetryResult.NOT_FOUND, storage().retryJob(queue(), "never"));
        storage().enqueue(queue(), job("expired").resultTtl(Duration.ofSeconds(1)).build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        clock().advance(Duration.ofSeconds(1));
        assertEquals(RetryResult.NOT_FOUND, storage().retryJob(queue(), "expired"));
        assertTrue(storage().status(queue(), "expired").isEmpty());

        Map<String, JobSnapshot> before = oneJobInEachWaitingRunningAndCompletedState();
        for (String id : before.keySet()) {
            assertEquals(RetryResult.NOT_RETRYABLE, storage().retryJob(queue(), id), id);
            SnapshotAssertions.assertSameRecord(before.get(id), status(id), "after retryJob");
        }
        assertEquals(RetryResult.NOT_FOUND, storage().retryJob(queue() + "-other", "completed"));
    }

    /**
     * {@code retryJob} wakes an idle claimer at once.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryJob_wakesAnIdleClaimer() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        assertWaitingClaimGets("a", () -> assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "a")));
    }

    // ---------------------------------------------------------------- retryAll

    /**
     * {@code retryAll} retries at most {@code limit} jobs of the state per call, oldest first,
     * returns how many, and leaves the other terminal state alone.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void retryAll_isBoundedByLimitOldestFirst() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage().enqueue(queue(), job("f" + i).build());
            storage().fail(queue(), lease(claimOne()), error("e"), null);
            clock().advance(Duration.ofSeconds(1));
        }
        storage().enqueue(queue(), job("c").build());
        storage().cancel(queue(), "c");
        assertEquals(2, storage().retryAll(queue(), JobState.FAILED, 2));
        assertEquals(List.of("f0", "f1"), Listings.ids(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 10));
        assertEquals(3L, storage().counts(queue()).get(JobState.FAILED));
        assertEquals(3, storage().retryAll(queue(), JobState.FAILED, 10));
        assertEquals(0, storage().retryAll(queue(), JobState.FAILED, 10));
        assertEquals(JobState.CANCELLED, state("c"));
        assertEquals(5L, storage().counts(queue()).get(JobState.QUEUED));
        assertEquals(1, storage().retryAll(queue(), JobState.CANCELLED, 10));
        for (ClaimedJob c : claimNow(10)) {
            assertEquals(1, c.attempt(), c.id());
        }
    }

    // ---------------------------------------------------------------- deleteJob

    /**
     * {@code deleteJob} removes a job in any state but PROCESSING: no status, count, listing or
     * claim shows it; a PROCESSING job is kept and its holder can still finish it.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void deleteJob_anyStateButProcessing() throws Exception {
        Map<String, JobSnapshot> jobs = oneJobInEachWaitingRunningAndCompletedState();
        storage().enqueue(queue(), job("failed").priority(100).build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        storage().enqueue(queue(), job("cancelled").build());
        storage().cancel(queue(), "cancelled");
        ClaimedJob running = claimRunning();
        for (String id : List.of("queued", "delayed", "failing", "completed", "failed", "cancelled")) {
            assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), id), id);
            assertTrue(storage().status(queue(), id).isEmpty(), id);
            assertEquals(DeleteResult.NOT_FOUND, storage().deleteJob(queue(), id), id);
        }
        assertEquals(DeleteResult.PROCESSING, storage().deleteJob(queue(), "processing"));
        SnapshotAssertions.assertSameRecord(jobs.get("processing"), status("processing"), "after deleteJob");
        assertEquals(DeleteResult.NOT_FOUND, storage().deleteJob(queue(), "never"));
        Map<JobState, Long> counts = storage().counts(queue());
        for (JobState state : JobState.values()) {
            long expected = state == JobState.PROCESSING ? 2 : 0;
            assertEquals(expected, counts.get(state), state.name());
            assertEquals(expected, Listings.all(storage(), queue(), state, ListOrder.OLDEST_FIRST, 10).size(), state.name());
        }
        clock().advance(Duration.ofHours(2));
        assertEquals(List.of(), claimNow(10), "deleted DELAYED and FAILING jobs never become due");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(running), bytes("ok"), null));
    }

    /**
     * {@code deleteJob} frees the id: enqueueing it again creates a new job.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void deleteJob_freesTheIdForANewJob() throws Exception {
        storage().enqueue(queue(), job("a").payload("old").metadata(Map.of("v", "1")).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().enqueue(queue(), job("b").payload("old").delay(Duration.ofMinutes(1)).build());
        assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), "a"));
        assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), "b"));
        assertTrue(storage().enqueue(queue(), job("a").payload("new").metadata(Map.of("v", "2")).build()).created());
        assertTrue(storage().enqueue(queue(), job("b").payload("new").build()).created());
        JobSnapshot a = status("a");
        assertEquals(JobState.QUEUED, a.state());
        assertNull(a.result());
        assertEquals(Map.of("v", "2"), a.metadata());
        List<ClaimedJob> claimed = claimNow(10);
        assertEquals(List.of("a", "b"), ids(claimed));
        for (ClaimedJob c : claimed) {
            assertEquals("new", text(c.payload()));
            assertEquals(1, c.attempt());
        }
    }

    /**
     * {@code deleteJob} and {@code purge} of a waiting job whose caller waits (notify set) tell
     * terminal listeners CANCELLED, so the caller does not wait for nothing.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void deleteJob_andPurgeOfAWaitingJobNotifyCancelled() throws Exception {
        Map<String, JobSnapshot> heard = new ConcurrentHashMap<>();
        Subscription subscription = storage().subscribe(queue(), (id, snapshot) -> {
            if (snapshot != null) {
                heard.put(id, snapshot);
            }
        });
        try {
            storage().enqueue(queue(), job("failing").build());
            storage().retry(queue(), lease(claimOne()), Duration.ofMinutes(1), error("e"));
            storage().enqueue(queue(), job("queued").build());
            storage().enqueue(queue(), job("delayed").delay(Duration.ofMinutes(1)).build());
            storage().enqueue(queue(), job("purged").delay(Duration.ofMinutes(2)).build());
            // The flag is kept by an operator retry and turned on by a duplicate enqueue that waits.
            storage().enqueue(queue(), job("retried").delay(Duration.ofMinutes(3)).build());
            storage().cancel(queue(), "retried");
            storage().enqueue(queue(), job("quiet").notifyOnTerminal(false).delay(Duration.ofMinutes(3)).build());
            storage().enqueue(queue(), job("quiet").notifyOnTerminal(true).build());
            awaitCondition(() -> heard.containsKey("retried"), () -> "the cancel of 'retried', heard " + heard.keySet());
            heard.remove("retried");
            assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "retried"));
            for (String id : List.of("queued", "delayed", "failing", "retried", "quiet")) {
                assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), id));
            }
            assertEquals(1, storage().purge(queue(), JobState.DELAYED, 10));
            awaitCondition(() -> heard.keySet().containsAll(List.of("queued", "delayed", "failing", "purged", "retried",
                    "quiet")), () -> "CANCELLED notifications, heard " + heard.keySet());
            heard.forEach((id, s) -> assertEquals(JobState.CANCELLED, s.state(), id));
        } finally {
            subscription.close();
        }
    }

    // ---------------------------------------------------------------- purge

    /**
     * {@code purge} deletes at most {@code limit} jobs of one state per call, oldest first, and
     * returns how many; other states are untouched.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void purge_isBoundedByLimitOldestFirst() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage().enqueue(queue(), job("c" + i).build());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            clock().advance(Duration.ofSeconds(1));
        }
        storage().enqueue(queue(), job("f").build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        storage().enqueue(queue(), job("q").build());
        assertEquals(2, storage().purge(queue(), JobState.COMPLETED, 2));
        assertEquals(List.of("c2", "c3", "c4"),
                Listings.ids(storage(), queue(), JobState.COMPLETED, ListOrder.OLDEST_FIRST, 10));
        assertEquals(3, storage().purge(queue(), JobState.COMPLETED, 100));
        assertEquals(0, storage().purge(queue(), JobState.COMPLETED, 100));
        assertEquals(JobState.FAILED, state("f"));
        assertEquals(JobState.QUEUED, state("q"));
        assertTrue(storage().enqueue(queue(), job("c0").build()).created(), "a purged id is free");
        assertEquals(2, storage().purge(queue(), JobState.QUEUED, 100));
        assertEquals(List.of(), claimNow(10));
        assertEquals(1, storage().purge(queue(), JobState.FAILED, 1));
        for (JobState state : JobState.values()) {
            assertEquals(0L, storage().counts(queue()).get(state), state.name());
        }
    }

    /**
     * {@code purge} of many jobs in pages of a limit, as an operator empties a state.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void purge_inPagesEmptiesAState() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ids.add("d" + i);
            storage().enqueue(queue(), job("d" + i).delay(Duration.ofSeconds(1 + i % 7)).build());
        }
        int total = 0;
        int calls = 0;
        int n;
        while ((n = storage().purge(queue(), JobState.DELAYED, 25)) > 0) {
            assertTrue(n <= 25);
            total += n;
            calls++;
        }
        assertEquals(120, total);
        assertEquals(5, calls);
        assertEquals(0L, storage().counts(queue()).get(JobState.DELAYED));
        for (String id : ids) {
            assertTrue(storage().status(queue(), id).isEmpty(), id);
        }
    }

    // ---------------------------------------------------------------- promote

    /**
     * {@code promote} makes a DELAYED or FAILING job QUEUED at once, at the end of its priority's
     * FIFO, ready from now; other states answer NOT_DELAYED and stay as they are.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void promote_delayedAndFailingJobsRunNow() throws Exception {
        storage().enqueue(queue(), job("failing").build());
        storage().retry(queue(), lease(claimOne()), Duration.ofHours(1), error("e"));
        storage().enqueue(queue(), job("delayed").delay(Duration.ofHours(1)).metadata(Map.of("k", "v")).build());
        storage().enqueue(queue(), job("first").build());
        clock().advance(Duration.ofSeconds(3));
        Instant promotedAt = clock().instant();
        assertEquals(PromoteResult.PROMOTED, storage().promote(queue(), "delayed"));
        assertEquals(PromoteResult.PROMOTED, storage().promote(queue(), "failing"));
        JobSnapshot failing = status("failing");
        assertEquals(JobState.QUEUED, failing.state());
        assertNull(failing.runAt());
        assertEquals(1, failing.attempts(), "promote keeps the attempts");
        assertEquals(JobState.QUEUED, state("delayed"));
        clock().advance(Duration.ofSeconds(1));
        List<ClaimedJob> claimed = claimNow(10);
        assertEquals(List.of("first", "delayed", "failing"), ids(claimed));
        assertEquals(promotedAt, claimed.get(1).readyAt());
        assertEquals(promotedAt, claimed.get(2).readyAt());
        assertEquals(Map.of("k", "v"), claimed.get(1).metadata());
        assertEquals(2, claimed.get(2).attempt());

        assertEquals(PromoteResult.NOT_FOUND, storage().promote(queue(), "never"));
        assertEquals(PromoteResult.NOT_FOUND, storage().promote(queue() + "-other", "delayed"));
        storage().enqueue(queue(), job("queued").build());
        storage().complete(queue(), lease(claimed.get(0)), bytes("r"), null);
        for (String id : List.of("queued", "delayed", "first")) {
            JobSnapshot before = status(id);
            assertEquals(PromoteResult.NOT_DELAYED, storage().promote(queue(), id), id);
            SnapshotAssertions.assertSameRecord(before, status(id), "after promote");
        }
    }

    /**
     * {@code promote} wakes an idle claimer at once.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void promote_wakesAnIdleClaimer() throws Exception {
        storage().enqueue(queue(), job("a").delay(Duration.ofDays(1)).build());
        assertWaitingClaimGets("a", () -> assertEquals(PromoteResult.PROMOTED, storage().promote(queue(), "a")));
    }

    // ---------------------------------------------------------------- isolation and odd ids

    /**
     * The operations touch only their own queue's jobs, and odd ids work exactly.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void repairs_touchOnlyTheirQueueAndWorkWithOddIds() throws Exception {
        String other = queue() + "-other";
        List<String> oddIds = List.of("a:b", "{tag}", "x/y/../z", "..", "*", "?", "[1]", "\u00e9\u4e2d\uD83D\uDE00",
                "sp ace", "i".repeat(1024));
        for (String id : oddIds) {
            storage().enqueue(queue(), job(id).payload("ours " + id).build());
            storage().enqueue(other, job(id).payload("theirs " + id).delay(Duration.ofMinutes(1)).build());
        }
        Map<String, ClaimedJob> claims = new HashMap<>();
        for (ClaimedJob c : claimNow(oddIds.size())) {
            claims.put(c.id(), c);
        }
        assertEquals(oddIds.size(), claims.size());
        for (String id : oddIds) {
            storage().fail(queue(), lease(claims.get(id)), error("e"), null);
        }
        assertEquals(oddIds.size(), storage().retryAll(queue(), JobState.FAILED, 100));
        for (String id : oddIds) {
            assertEquals(JobState.QUEUED, state(id), id);
            assertEquals(PromoteResult.NOT_DELAYED, storage().promote(queue(), id), id);
        }
        assertEquals(oddIds.size(), storage().purge(queue(), JobState.QUEUED, 100));
        assertEquals(PromoteResult.PROMOTED, storage().promote(other, oddIds.get(0)));
        assertEquals(DeleteResult.DELETED, storage().deleteJob(other, oddIds.get(1)));
        assertEquals(RetryResult.NOT_RETRYABLE, storage().retryJob(other, oddIds.get(2)));
        for (int i = 0; i < oddIds.size(); i++) {
            String id = oddIds.get(i);
            assertTrue(storage().status(queue(), id).isEmpty(), id);
            JobState theirs = storage().status(other, id).map(JobSnapshot::state).orElse(null);
            assertEquals(i == 0 ? JobState.QUEUED : i == 1 ? null : JobState.DELAYED, theirs, id);
        }
        List<ClaimedJob> theirClaim = storage().claim(other, "w", 10, LEASE, Duration.ZERO);
        assertEquals(List.of(oddIds.get(0)), ids(theirClaim));
        assertArrayEquals(bytes("theirs " + oddIds.get(0)), theirClaim.get(0).payload());
        assertEquals(oddIds.size() - 2, storage().purge(other, JobState.DELAYED, 100));
        assertEquals(1L, storage().counts(other).get(JobState.PROCESSING));
    }

    /**
     * Repairs racing with workers and with each other keep every job in exactly one state:
     * afterwards each state's listing, list and count agree, and each listed job's status is in
     * that state.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void repairs_racingWorkersAndEachOtherKeepEveryJobInOneState() throws Exception {
        int ids = 24;
        for (int i = 0; i < ids; i++) {
            storage().enqueue(queue(), job("r" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> racers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                racers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int step = 0; step < 400; step++) {
                        String id = "r" + random.nextInt(ids);
                        switch (random.nextInt(7)) {
                            case 0 -> {
                                for (ClaimedJob c : storage().claim(queue(), "w" + seed, 2, LEASE, Duration.ZERO)) {
                                    if (random.nextBoolean()) {
                                        storage().fail(queue(), lease(c), error("e"), null);
                                    } else {
                                        storage().retry(queue(), lease(c), Duration.ofMillis(random.nextInt(2)), error("e"));
                                    }
                                }
                            }
                            case 1 -> storage().retryJob(queue(), id);
                            case 2 -> storage().retryAll(queue(), random.nextBoolean() ? JobState.FAILED : JobState.CANCELLED, 3);
                            case 3 -> storage().deleteJob(queue(), id);
                            case 4 -> storage().promote(queue(), id);
                            case 5 -> storage().cancel(queue(), id);
                            default -> storage().enqueue(queue(), job(id).delay(Duration.ofMillis(random.nextInt(2))).build());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : racers) {
                f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<JobState, Long> counts = storage().counts(queue());
        Map<String, JobState> listedIn = new HashMap<>();
        for (JobState state : JobState.values()) {
            List<String> listed = Listings.ids(storage(), queue(), state, ListOrder.OLDEST_FIRST, 5);
            assertEquals(counts.get(state), (long) listed.size(), state + " count and listing " + listed);
            assertEquals(java.util.Set.copyOf(storage().list(queue(), state, 1000)), java.util.Set.copyOf(listed),
                    state + ": list and listJobs");
            for (String id : listed) {
                assertNull(listedIn.put(id, state), id + " listed in two states");
                assertEquals(state, state(id), id + " listed in " + state);
            }
        }
        for (int i = 0; i < ids; i++) {
            assertEquals(listedIn.get("r" + i), state("r" + i), "r" + i);
        }
    }

    /**
     * One job in each of QUEUED, DELAYED, FAILING, PROCESSING and COMPLETED, named after its state
     * in lower case; returns their records.
     */
    private Map<String, JobSnapshot> oneJobInEachWaitingRunningAndCompletedState() throws InterruptedException {
        storage().enqueue(queue(), job("failing").priority(100).build());
        storage().retry(queue(), lease(claimOne()), Duration.ofHours(1), error("later"));
        storage().enqueue(queue(), job("completed").priority(100).build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().enqueue(queue(), job("processing").priority(100).build());
        claimOne();
        storage().enqueue(queue(), job("queued").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofHours(1)).build());
        Map<String, JobSnapshot> out = new HashMap<>();
        for (String id : List.of("queued", "delayed", "failing", "processing", "completed")) {
            out.put(id, status(id));
        }
        return out;
    }

    /** Claims one more job ("running"), so deletes meet a second PROCESSING job. */
    private ClaimedJob claimRunning() throws InterruptedException {
        storage().enqueue(queue(), job("running").priority(1000).build());
        ClaimedJob c = claimOne();
        assertNotNull(c);
        assertEquals("running", c.id());
        return c;
    }
}
