package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * claim, extend and fencing: what a claim marks on the job, token order, max, waiting claims
 * (woken by enqueues, releases and batches, ended by an interrupt), promotion of due jobs, lease
 * extension, and that a reaped worker's outcome never overwrites the newer one.
 *
 * <!-- snippet: claim-contract -->
 * <pre>{@code
 * ClaimedJob c = storage.claim(queue, "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
 * storage.extend(queue, List.of(new LeaseRef(c.id(), c.fencingToken())), Duration.ofSeconds(30)); // [] : none lost
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface ClaimContract extends StorageFixture {
    // ---------------------------------------------------------------- claim

    /**
     * {@code claim} marks the job PROCESSING with an attempt, a fencing token and a lease.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_marksProcessingWithAttemptTokenAndLease() throws Exception {
        storage().enqueue(queue(), job("a").payload("pay").maxAttempts(5).build());
        Instant created = clock().instant();
        clock().advance(Duration.ofSeconds(2));
        List<ClaimedJob> claimed = storage().claim(queue(), "worker-1", 1, Duration.ofSeconds(17), Duration.ZERO);
        assertEquals(1, claimed.size());
        ClaimedJob c = claimed.get(0);
        assertEquals("a", c.id());
        assertEquals("pay", text(c.payload()));
        assertEquals(1, c.attempt());
        assertEquals(5, c.maxAttempts());
        assertEquals(created, c.createdAt());
        assertEquals(clock().instant().plusSeconds(17), c.leaseDeadline());

        JobSnapshot s = status("a");
        assertEquals(JobState.PROCESSING, s.state());
        assertEquals(1, s.attempts());
        assertEquals("worker-1", s.workerId());
        assertEquals(c.leaseDeadline(), s.leaseDeadline());
    }

    /**
     * {@code claim}: tokens strictly increase across claims of the same job.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_tokensStrictlyIncreaseAcrossClaimsOfTheSameJob() throws Exception {
        storage().enqueue(queue(), job("a").build());
        long previous = Long.MIN_VALUE;
        for (int i = 1; i <= 5; i++) {
            ClaimedJob c = claimOne();
            assertEquals(i, c.attempt());
            assertTrue(c.fencingToken() > previous, "token " + c.fencingToken() + " after " + previous);
            previous = c.fencingToken();
            assertEquals(TransitionOutcome.APPLIED, storage().release(queue(), lease(c)));
        }
    }

    /**
     * {@code claim} takes at most {@code max} jobs.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_respectsMax() throws Exception {
        for (int i = 0; i < 7; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        assertEquals(3, claimNow(3).size());
        assertEquals(3, claimNow(3).size());
        assertEquals(1, claimNow(3).size());
        assertEquals(0, claimNow(3).size());
    }

    /**
     * {@code claim}: empty when nothing is due.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_emptyWhenNothingIsDue() throws Exception {
        assertTrue(claimNow(5).isEmpty());
        storage().enqueue(queue(), job("later").delay(Duration.ofSeconds(1)).build());
        assertTrue(claimNow(5).isEmpty());
    }

    /**
     * {@code claim}: gives each job once.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_givesEachJobOnce() throws Exception {
        storage().enqueue(queue(), job("a").build());
        assertEquals(1, claimNow(1).size());
        assertTrue(claimNow(1).isEmpty());
    }

    /**
     * {@code claim}: waiting claim returns job enqueued by another thread.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_waitingClaimReturnsJobEnqueuedByAnotherThread() throws Exception {
        assertWaitingClaimGets("late", () -> storage().enqueue(queue(), job("late").build()));
    }

    /**
     * {@code claim}: interrupt ends the wait.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_interruptEndsTheWait() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w", 1, LEASE, Duration.ofMinutes(10));
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

    /**
     * {@code claim}: promotes due jobs of every kind together.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_promotesDueJobsOfEveryKindTogether() throws Exception {
        storage().enqueue(queue(), job("retried").build());
        ClaimedJob c = claimOne();
        storage().retry(queue(), lease(c), Duration.ofSeconds(3), error("e"));
        storage().enqueue(queue(), job("delayed").delay(Duration.ofSeconds(2)).build());
        storage().enqueue(queue(), job("ready").build());
        clock().advance(Duration.ofSeconds(3));
        assertEquals(List.of("retried", "delayed", "ready"), ids(claimNow(5)));
    }

    /**
     * {@code claim}: wait ends empty when nothing arrives.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_waitEndsEmptyWhenNothingArrives() throws Exception {
        assertTrue(storage().claim(queue(), "w", 3, LEASE, Duration.ofMillis(50)).isEmpty());
    }

    /**
     * {@code claim}: waiting claim returns job released by another worker.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_waitingClaimReturnsJobReleasedByAnotherWorker() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob held = claimOne();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w2", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            assertEquals(TransitionOutcome.APPLIED, storage().release(queue(), lease(held)));
            List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of("a"), ids(got));
            assertEquals(2, got.get(0).attempt());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code claim}: waiting claims all wake for a batch.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_waitingClaimsAllWakeForABatch() throws Exception {
        int claimers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        try {
            List<Future<List<ClaimedJob>>> waiting = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                String worker = "w" + i;
                waiting.add(pool.submit(() -> storage().claim(queue(), worker, 1, LEASE, Duration.ofSeconds(60))));
            }
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < claimers; i++) {
                batch.add(job("j" + i).build());
            }
            storage().enqueueBatch(queue(), batch);
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

    /**
     * {@code claim}: error of a failing job is cleared once it runs again.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_errorOfAFailingJobIsClearedOnceItRunsAgain() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().retry(queue(), lease(claimOne()), Duration.ZERO, error("first try"));
        assertEquals("first try", status("a").error().message());
        claimOne();
        JobSnapshot s = status("a");
        assertEquals(JobState.PROCESSING, s.state());
        assertNull(s.error());
        assertNull(s.runAt());
    }

    /**
     * {@code claim}: due delayed job stays delayed until a claim promotes it.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void claim_dueDelayedJobStaysDelayedUntilAClaimPromotesIt() throws Exception {
        storage().enqueue(queue(), job("d").delay(Duration.ofSeconds(1)).build());
        clock().advance(Duration.ofSeconds(5));
        assertEquals(JobState.DELAYED, state("d"));
        assertEquals(1L, storage().counts(queue()).get(JobState.DELAYED));
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "d"));
        assertTrue(claimNow(1).isEmpty());
    }

    // ---------------------------------------------------------------- extend

    /**
     * {@code extend}: pushes the lease of current tokens.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void extend_pushesTheLeaseOfCurrentTokens() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        List<ClaimedJob> claimed = claimNow(2);
        clock().advance(Duration.ofSeconds(20));
        List<String> lost = storage().extend(queue(), leases(claimed), Duration.ofSeconds(30));
        assertEquals(List.of(), lost);
        assertEquals(clock().instant().plusSeconds(30), status("a").leaseDeadline());
        assertEquals(clock().instant().plusSeconds(30), status("b").leaseDeadline());
    }

    /**
     * {@code extend}: reports stale tokens as lost and leaves them alone.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void extend_reportsStaleTokensAsLostAndLeavesThemAlone() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        storage().release(queue(), lease(a));
        ClaimedJob a2 = claimOne();
        Instant a2Deadline = status("a").leaseDeadline();
        clock().advance(Duration.ofSeconds(5));
        List<String> lost = storage().extend(queue(),
                List.of(lease(a), lease(b), new LeaseRef("unknown", 1)), Duration.ofSeconds(60));
        assertEquals(List.of("a", "unknown"), lost);
        assertEquals(a2Deadline, status("a").leaseDeadline());
        assertEquals(clock().instant().plusSeconds(60), status("b").leaseDeadline());
        assertEquals(a2.fencingToken(), claimTokenStillCurrent(a2));
    }

    /**
     * {@code extend} reports finished jobs as lost.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void extend_lostForFinishedJobs() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        storage().complete(queue(), lease(c), bytes("r"), null);
        assertEquals(List.of("a"), storage().extend(queue(), List.of(lease(c)), LEASE));
    }

    /** {@code extend}: empty list is fine. */
    @Test
    default void extend_emptyListIsFine() {
        assertEquals(List.of(), storage().extend(queue(), List.of(), LEASE));
    }

    /**
     * {@code extend}: keeps a job from being reaped.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void extend_keepsAJobFromBeingReaped() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = storage().claim(queue(), "w", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        for (int i = 0; i < 5; i++) {
            clock().advance(Duration.ofSeconds(8));
            assertEquals(List.of(), storage().extend(queue(), List.of(lease(c)), Duration.ofSeconds(10)));
            assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        }
        assertEquals(JobState.PROCESSING, state("a"));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("ok"), null));
    }

    /**
     * {@code extend}: an ended but unreaped lease is still current.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void extend_anEndedButUnreapedLeaseIsStillCurrent() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        clock().advance(LEASE.plusSeconds(5));
        assertEquals(List.of(), storage().extend(queue(), List.of(lease(c)), LEASE));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        assertEquals(JobState.PROCESSING, state("a"));
    }

    // ---------------------------------------------------------------- fencing

    /**
     * A reaped worker's completion is rejected and the newer attempt's outcome stands.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void fencing_reapedWorkersCompletionIsRejectedAndTheNewerOutcomeStands() throws Exception {
        storage().enqueue(queue(), job("a").maxStalls(3).build());
        ClaimedJob workerA = storage().claim(queue(), "A", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        clock().advance(Duration.ofSeconds(11));
        List<StalledJob> stalled = storage().requeueExpired(queue(), 10);
        assertEquals(List.of(new StalledJob("a", "A", 1, JobState.QUEUED)), stalled);
        ClaimedJob workerB = storage().claim(queue(), "B", 1, Duration.ofSeconds(10), Duration.ZERO).get(0);
        assertTrue(workerB.fencingToken() > workerA.fencingToken());
        assertEquals(2, workerB.attempt());

        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(workerA), bytes("from A"), null));
        assertEquals(List.of("a"), storage().extend(queue(), List.of(lease(workerA)), LEASE));
        assertEquals("B", status("a").workerId());
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(workerB), bytes("from B"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), lease(workerA), error("A late"), null));
        JobSnapshot s = status("a");
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals("from B", text(s.result()));
        assertEquals(1, s.stalls());
    }

    private long claimTokenStillCurrent(ClaimedJob c) {
        assertEquals(List.of(), storage().extend(queue(), List.of(lease(c)), LEASE), "token of " + c.id() + " current");
        return c.fencingToken();
    }
}
