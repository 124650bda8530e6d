package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Recording a claim's outcome: complete and completeAll, fail, retry, release and unclaim, each
 * fenced by the claim's token, with result TTL overrides and terminal notifications.
 *
 * <!-- snippet: outcome-contract -->
 * <pre>{@code
 * storage.complete(queue, new LeaseRef(c.id(), c.fencingToken()), result, null); // APPLIED, or LEASE_LOST
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
// Subscriptions are held open by try-with-resources without being read in the body; that is the point.
@SuppressWarnings("try")
public interface OutcomeContract extends StorageFixture {
    // ---------------------------------------------------------------- complete / fail / retry / release

    /**
     * {@code complete} with the current token applies.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_appliesWithCurrentToken() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofMinutes(5)).build());
        ClaimedJob c = claimOne();
        clock().advance(Duration.ofSeconds(1));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("done"), null));
        JobSnapshot s = status("a");
        assertEquals(JobState.COMPLETED, s.state());
        assertEquals("done", text(s.result()));
        assertEquals(clock().instant().plus(Duration.ofMinutes(5)), s.expiresAt());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertNull(s.error());
        assertTrue(claimNow(1).isEmpty());
    }

    /**
     * {@code complete}: a result TTL override replaces the job's TTL.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_resultTtlOverrideReplacesTheJobsTtl() throws Exception {
        storage().enqueue(queue(), job("short").resultTtl(Duration.ofHours(1)).build());
        storage().enqueue(queue(), job("long").resultTtl(Duration.ofSeconds(1)).build());
        storage().complete(queue(), lease(claimOne()), bytes("s"), Duration.ofSeconds(10));
        storage().complete(queue(), lease(claimOne()), bytes("l"), Duration.ofHours(2));
        assertEquals(clock().instant().plusSeconds(10), status("short").expiresAt());
        assertEquals(clock().instant().plus(Duration.ofHours(2)), status("long").expiresAt());
        clock().advance(Duration.ofSeconds(10));
        assertTrue(storage().status(queue(), "short").isEmpty());
        clock().advance(Duration.ofHours(1));
        assertEquals(JobState.COMPLETED, state("long"));
        clock().advance(Duration.ofHours(1));
        assertTrue(storage().status(queue(), "long").isEmpty());
    }

    /**
     * {@code complete} with a stale token is LEASE_LOST and changes nothing.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_withStaleTokenIsLeaseLostAndChangesNothing() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        LeaseRef stale = new LeaseRef("a", c.fencingToken() - 1);
        JobSnapshot before = status("a");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), stale, bytes("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), stale, error("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().retry(queue(), stale, Duration.ZERO, error("x")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().release(queue(), stale));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), stale));
        SnapshotAssertions.assertSameRecord(before, status("a"));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("ok"), null));
    }

    /** {@code complete} of an unknown job is LEASE_LOST. */
    @Test
    default void complete_unknownJobIsLeaseLost() {
        LeaseRef ghost = new LeaseRef("ghost", 1);
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), ghost, bytes("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), ghost, error("x"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().retry(queue(), ghost, Duration.ZERO, error("x")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().release(queue(), ghost));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), ghost));
        assertTrue(storage().status(queue(), "ghost").isEmpty());
    }

    /**
     * A second {@code complete} with the same token is LEASE_LOST.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_secondCompletionWithTheSameTokenIsLeaseLost() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("first"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(c), bytes("second"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), lease(c), error("late"), null));
        assertEquals("first", text(status("a").result()));
        assertEquals(JobState.COMPLETED, state("a"));
    }

    /**
     * {@code complete}: an ended but unreaped lease can still finish.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_anEndedButUnreapedLeaseCanStillFinish() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        clock().advance(LEASE.multipliedBy(3));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(a), bytes("late but fine"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(b), error("late failure"), null));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        assertEquals(JobState.COMPLETED, state("a"));
        assertEquals(JobState.FAILED, state("b"));
    }

    /**
     * {@code completeAll}: applies each in order and fences each on its own.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void completeAll_appliesEachInOrderAndFencesEachOnItsOwn() throws Exception {
        for (String id : List.of("a", "b", "c", "d")) {
            storage().enqueue(queue(), job(id).resultTtl(Duration.ofMinutes(5)).build());
        }
        ClaimedJob a = claimOne();
        ClaimedJob b = claimOne();
        ClaimedJob c = claimOne();
        ClaimedJob d = claimOne();
        storage().complete(queue(), lease(c), bytes("already"), null);
        List<TransitionOutcome> outcomes = storage().completeAll(queue(), List.of(
                new Completion(lease(a), bytes("ra"), null),
                new Completion(new LeaseRef("b", b.fencingToken() + 1), bytes("wrong token"), null),
                new Completion(lease(c), bytes("twice"), null),
                new Completion(new LeaseRef("ghost", 1), bytes("x"), null),
                new Completion(lease(d), bytes("rd"), Duration.ofSeconds(7))));
        assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.LEASE_LOST, TransitionOutcome.LEASE_LOST,
                TransitionOutcome.LEASE_LOST, TransitionOutcome.APPLIED), outcomes);
        assertEquals("ra", text(status("a").result()));
        assertEquals(clock().instant().plus(Duration.ofMinutes(5)), status("a").expiresAt());
        assertEquals(JobState.PROCESSING, state("b"));
        assertEquals("already", text(status("c").result()));
        assertEquals("rd", text(status("d").result()));
        assertEquals(clock().instant().plusSeconds(7), status("d").expiresAt());
        assertTrue(storage().status(queue(), "ghost").isEmpty());
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(b), bytes("rb"), null));
    }

    /**
     * {@code completeAll}: same claim twice in one batch applies once.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void completeAll_sameClaimTwiceInOneBatchAppliesOnce() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob a = claimOne();
        assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.LEASE_LOST), storage().completeAll(queue(),
                List.of(new Completion(lease(a), bytes("first"), null), new Completion(lease(a), bytes("second"), null))));
        assertEquals("first", text(status("a").result()));
    }

    /** {@code completeAll}: empty batch is fine. */
    @Test
    default void completeAll_emptyBatchIsFine() {
        assertEquals(List.of(), storage().completeAll(queue(), List.of()));
    }

    /**
     * {@code completeAll}: notifies terminal listeners of each job.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void completeAll_notifiesTerminalListenersOfEachJob() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, snapshot) -> seen.add(id))) {
            storage().enqueue(queue(), job("a").notifyOnTerminal(true).build());
            storage().enqueue(queue(), job("b").notifyOnTerminal(true).build());
            ClaimedJob a = claimOne();
            ClaimedJob b = claimOne();
            storage().completeAll(queue(), List.of(new Completion(lease(a), bytes("ra"), null),
                    new Completion(lease(b), bytes("rb"), null)));
            awaitCondition(() -> seen.containsAll(List.of("a", "b")), () -> "terminal notifications, seen " + seen);
            assertEquals(JobState.COMPLETED, state("a"));
            assertEquals(JobState.COMPLETED, state("b"));
        }
    }

    /**
     * {@code complete}: an empty result round-trips.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void complete_emptyResultRoundTrips() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().complete(queue(), lease(claimOne()), new byte[0], null);
        assertArrayEquals(new byte[0], status("a").result());
    }

    /**
     * {@code fail} keeps the whole job error.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void fail_keepsTheWholeJobError() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofMinutes(3)).build());
        ClaimedJob c = claimOne();
        JobError err = new JobError("com.example.PaymentDeclined", "card 4242 declined",
                "com.example.PaymentDeclined: card 4242 declined\n\tat Billing.charge(Billing.java:42)\n",
                "CARD_DECLINED", 1, Instant.parse("2026-01-01T00:00:00.123Z"));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(c), err, null));
        JobSnapshot s = status("a");
        assertEquals(JobState.FAILED, s.state());
        assertEquals(err, s.error());
        assertNull(s.result());
        assertEquals(clock().instant().plus(Duration.ofMinutes(3)), s.expiresAt());
        assertTrue(claimNow(1).isEmpty());
    }

    /**
     * {@code fail}: an error with null optional fields round-trips.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void fail_errorWithNullOptionalFieldsRoundTrips() throws Exception {
        storage().enqueue(queue(), job("a").build());
        JobError err = new JobError("java.lang.IllegalStateException", null, null, null, 1, clock().instant());
        storage().fail(queue(), lease(claimOne()), err, Duration.ofSeconds(9));
        assertEquals(err, status("a").error());
        assertEquals(clock().instant().plusSeconds(9), status("a").expiresAt());
    }

    /**
     * {@code fail}: an error captured from a throwable keeps type, message, code and stack.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void fail_fromCapturedThrowableKeepsTypeMessageCodeAndStack() throws Exception {
        storage().enqueue(queue(), job("a").build());
        JobError err = JobError.of(new dev.jobqueue.JobException("E42", "broken widget"), 2, clock().instant());
        storage().fail(queue(), lease(claimOne()), err, null);
        JobError stored = status("a").error();
        assertEquals("dev.jobqueue.JobException", stored.type());
        assertEquals("broken widget", stored.message());
        assertEquals("E42", stored.code());
        assertEquals(2, stored.attempts());
        assertEquals(err.stackTrace(), stored.stackTrace());
    }

    /**
     * {@code retry} moves the job to FAILING until the backoff ends.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void retry_movesToFailingUntilTheBackoffEnds() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        JobError last = error("try again");
        assertEquals(TransitionOutcome.APPLIED, storage().retry(queue(), lease(c), Duration.ofSeconds(30), last));
        JobSnapshot s = status("a");
        assertEquals(JobState.FAILING, s.state());
        assertEquals(clock().instant().plusSeconds(30), s.runAt());
        assertEquals(last, s.error());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());

        clock().advance(Duration.ofMillis(29_999));
        assertTrue(claimNow(1).isEmpty());
        assertEquals(JobState.FAILING, state("a"));
        clock().advance(Duration.ofMillis(1));
        ClaimedJob again = claimOne();
        assertEquals("a", again.id());
        assertEquals(2, again.attempt());
        assertTrue(again.fencingToken() > c.fencingToken());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(c), bytes("old"), null));
    }

    /**
     * {@code retry} with zero backoff is claimable at once.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void retry_withZeroBackoffIsClaimableAtOnce() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().retry(queue(), lease(claimOne()), Duration.ZERO, error("again"));
        assertEquals(JobState.FAILING, state("a"));
        assertEquals(2, claimOne().attempt());
    }

    /**
     * {@code retry} keeps the job's enqueue position.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void retry_keepsTheJobsEnqueuePosition() throws Exception {
        storage().enqueue(queue(), job("first").build());
        ClaimedJob c = claimOne();
        storage().enqueue(queue(), job("second").build());
        storage().retry(queue(), lease(c), Duration.ZERO, error("again"));
        assertEquals(List.of("first", "second"), ids(claimNow(2)));
    }

    /**
     * {@code unclaim}: requeues at once and takes back the attempt.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void unclaim_requeuesAtOnceAndTakesBackTheAttempt() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        ClaimedJob first = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage().release(queue(), lease(first)), "a run that started counts");
        ClaimedJob second = claimOne();
        assertEquals(2, second.attempt());
        assertEquals(TransitionOutcome.APPLIED, storage().unclaim(queue(), lease(second)));
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(1, s.attempts(), "the unstarted claim's attempt is taken back");
        assertEquals(0, s.stalls());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), lease(second)), "only once");
        ClaimedJob third = claimOne();
        assertEquals("a", third.id(), "back in its place, ahead of b");
        assertEquals(2, third.attempt());
        assertTrue(third.fencingToken() > second.fencingToken(), "tokens never go back");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), lease(second)), "the old claim stays fenced off");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(third), bytes("ok"), null));
        assertEquals(2, status("a").attempts());
    }

    /**
     * {@code release}: requeues at once without counting a stall.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void release_requeuesAtOnceWithoutCountingAStall() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        ClaimedJob c = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage().release(queue(), lease(c)));
        JobSnapshot s = status("a");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(0, s.stalls());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        ClaimedJob again = claimOne();
        assertEquals("a", again.id());
        assertEquals(2, again.attempt());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().release(queue(), lease(c)));
    }
}
