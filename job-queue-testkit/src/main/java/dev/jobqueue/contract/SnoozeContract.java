package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * snooze: a running job goes back to DELAYED without using an attempt (PROCESSING → DELAYED, due
 * {@code delay} from now), its claim's token is fenced from then on, and its error and stall count
 * stay as they were.
 *
 * <!-- snippet: snooze-contract -->
 * <pre>{@code
 * ClaimedJob c = storage.claim(queue, "w", 1, lease, Duration.ZERO).get(0);
 * storage.snooze(queue, new LeaseRef(c.id(), c.fencingToken()), Duration.ofMinutes(5)); // APPLIED, or LEASE_LOST
 * // five minutes later the job is claimed again with the same attempt number
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface SnoozeContract extends StorageFixture {
    /**
     * {@code snooze} makes the job DELAYED, due exactly {@code delay} from now (not a millisecond
     * before), with the claim's attempt taken back: the next claim has the same attempt number.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_delaysTheJobAndTakesTheAttemptBack() throws Exception {
        storage().enqueue(queue(), job("a").maxAttempts(3).build());
        ClaimedJob first = claimOne();
        assertEquals(1, first.attempt());
        clock().advance(Duration.ofSeconds(1));
        Instant dueAt = clock().instant().plus(Duration.ofSeconds(10));

        assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), lease(first), Duration.ofSeconds(10)));
        JobSnapshot s = status("a");
        assertEquals(JobState.DELAYED, s.state());
        assertEquals(dueAt, s.runAt());
        assertEquals(0, s.attempts(), "the snoozed claim's attempt is taken back");
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertNull(s.result());
        assertNull(s.expiresAt());

        assertEquals(List.of(), claimNow(10), "not due yet");
        clock().advance(Duration.ofMillis(9_999));
        assertEquals(List.of(), claimNow(10), "not due a millisecond before its time");
        clock().advance(Duration.ofMillis(1));
        ClaimedJob again = claimOne();
        assertEquals("a", again.id());
        assertEquals(first.attempt(), again.attempt(), "the same attempt number as the snoozed claim");
        assertTrue(again.fencingToken() > first.fencingToken(), "a new claim gets a greater token");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(again), bytes("ok"), null));
        assertEquals(JobState.COMPLETED, state("a"));
        assertEquals(1, status("a").attempts());
    }

    /**
     * Snoozing many times never uses up the attempts: a job with one attempt snoozed five times
     * is claimed with attempt 1 every time.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_repeatedlyNeverUsesUpTheAttempts() throws Exception {
        storage().enqueue(queue(), job("a").maxAttempts(1).build());
        for (int i = 0; i < 5; i++) {
            ClaimedJob c = claimOne();
            assertEquals(1, c.attempt(), "claim " + i);
            assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), lease(c), Duration.ofSeconds(1)));
            clock().advance(Duration.ofSeconds(1));
        }
        ClaimedJob last = claimOne();
        assertEquals(1, last.attempt());
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(last), error("no"), null));
        assertEquals(1, status("a").attempts());
    }

    /**
     * A zero delay makes the job DELAYED and due now (like every snooze, see
     * {@link dev.jobqueue.spi.JobTransitions}): the next claim promotes it and takes it again.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_zeroDelayIsDueAtOnce() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), lease(c), Duration.ZERO));
        JobSnapshot s = status("a");
        assertEquals(JobState.DELAYED, s.state(), "a snooze always makes the job DELAYED");
        assertEquals(clock().instant(), s.runAt());
        ClaimedJob again = claimOne();
        assertEquals(c.attempt(), again.attempt());
    }

    /**
     * After a snooze the old token is fenced: complete, fail, retry, release, unclaim and snooze
     * answer LEASE_LOST, extend reports the lease lost, and the record does not change; also after
     * the job was claimed again.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_fencesTheOldToken() throws Exception {
        storage().enqueue(queue(), job("a").build());
        ClaimedJob c = claimOne();
        LeaseRef old = lease(c);
        assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), old, Duration.ofSeconds(5)));
        JobSnapshot before = status("a");
        assertAllFenced(old);
        SnapshotAssertions.assertSameRecord(before, status("a"));

        clock().advance(Duration.ofSeconds(5));
        ClaimedJob again = claimOne();
        JobSnapshot running = status("a");
        assertAllFenced(old);
        SnapshotAssertions.assertSameRecord(running, status("a"));
        assertEquals(List.of(), storage().extend(queue(), List.of(lease(again)), LEASE));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(again), bytes("ok"), null));
    }

    /**
     * Snooze of an unknown job, of a waiting job and with a token that was never handed out is
     * LEASE_LOST and changes nothing.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_withoutACurrentLeaseIsLeaseLost() throws Exception {
        assertEquals(TransitionOutcome.LEASE_LOST, storage().snooze(queue(), new LeaseRef("ghost", 1), Duration.ZERO));
        assertTrue(storage().status(queue(), "ghost").isEmpty());
        storage().enqueue(queue(), job("waiting").build());
        JobSnapshot waiting = status("waiting");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().snooze(queue(), new LeaseRef("waiting", 0), Duration.ZERO));
        SnapshotAssertions.assertSameRecord(waiting, status("waiting"));
        ClaimedJob c = claimOne();
        JobSnapshot running = status("waiting");
        LeaseRef wrong = new LeaseRef(c.id(), c.fencingToken() + 1);
        assertEquals(TransitionOutcome.LEASE_LOST, storage().snooze(queue(), wrong, Duration.ofSeconds(1)));
        SnapshotAssertions.assertSameRecord(running, status("waiting"));
    }

    /**
     * Snooze keeps the stall count and the error as the running record had them, and is not a
     * stall: a job at its last stall can be snoozed and claimed again.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_keepsErrorAndStalls() throws Exception {
        storage().enqueue(queue(), job("a").maxAttempts(5).maxStalls(1).build());
        storage().claim(queue(), "w", 1, Duration.ofSeconds(1), Duration.ZERO);
        clock().advance(Duration.ofSeconds(1));
        assertEquals(1, storage().requeueExpired(queue(), 10).size());
        ClaimedJob second = claimOne();
        assertEquals(TransitionOutcome.APPLIED, storage().retry(queue(), lease(second), Duration.ofSeconds(1), error("e")));
        clock().advance(Duration.ofSeconds(1));
        ClaimedJob third = claimOne();
        JobSnapshot running = status("a");
        assertEquals(1, running.stalls());

        assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), lease(third), Duration.ofSeconds(2)));
        JobSnapshot snoozed = status("a");
        assertEquals(1, snoozed.stalls(), "a snooze is not a stall");
        SnapshotAssertions.assertSameError(running.error(), snoozed.error(), "error after snooze");
        assertEquals(running.attempts() - 1, snoozed.attempts());
        clock().advance(Duration.ofSeconds(2));
        ClaimedJob fourth = claimOne();
        assertEquals(third.attempt(), fourth.attempt());
        assertEquals(1, status("a").stalls());
    }

    /**
     * Snoozed jobs are counted and listed as DELAYED, in due-time order, and leave PROCESSING.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_jobsAreCountedAndListedAsDelayed() throws Exception {
        for (String id : List.of("a", "b", "c")) {
            storage().enqueue(queue(), job(id).build());
        }
        List<ClaimedJob> claimed = claimNow(3);
        assertEquals(3, claimed.size());
        storage().snooze(queue(), lease(claimed.get(0)), Duration.ofSeconds(30));
        storage().snooze(queue(), lease(claimed.get(1)), Duration.ofSeconds(10));
        Map<JobState, Long> counts = storage().counts(queue());
        assertEquals(2L, counts.get(JobState.DELAYED));
        assertEquals(1L, counts.get(JobState.PROCESSING));
        assertEquals(List.of("b", "a"), storage().list(queue(), JobState.DELAYED, 10));
        assertEquals(List.of("c"), storage().list(queue(), JobState.PROCESSING, 10));
        assertEquals(List.of("b", "a"), Listings.ids(storage(), queue(), JobState.DELAYED, ListOrder.OLDEST_FIRST, 1));
        assertEquals(List.of("a", "b"), Listings.ids(storage(), queue(), JobState.DELAYED, ListOrder.NEWEST_FIRST, 1));
        clock().advance(Duration.ofSeconds(10));
        assertEquals(List.of("b"), ids(claimNow(10)));
        clock().advance(Duration.ofSeconds(20));
        assertEquals(List.of("a"), ids(claimNow(10)));
    }

    /**
     * A snoozed job can be promoted and cancelled like any DELAYED job.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void snooze_jobCanBePromotedOrCancelled() throws Exception {
        storage().enqueue(queue(), job("promoted").build());
        storage().enqueue(queue(), job("cancelled").build());
        for (ClaimedJob c : claimNow(2)) {
            assertEquals(TransitionOutcome.APPLIED, storage().snooze(queue(), lease(c), Duration.ofHours(1)));
        }
        assertEquals(dev.jobqueue.PromoteResult.PROMOTED, storage().promote(queue(), "promoted"));
        assertEquals(dev.jobqueue.CancelResult.CANCELLED, storage().cancel(queue(), "cancelled"));
        assertEquals(List.of("promoted"), ids(claimNow(10)));
        assertEquals(JobState.CANCELLED, state("cancelled"));
    }

    /** Every fenced operation with {@code old} is LEASE_LOST and extend reports it lost. */
    private void assertAllFenced(LeaseRef old) {
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), old, bytes("late"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), old, error("late"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().retry(queue(), old, Duration.ZERO, error("late")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().release(queue(), old));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), old));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().snooze(queue(), old, Duration.ZERO));
        assertEquals(List.of(old.jobId()), storage().extend(queue(), List.of(old), LEASE));
    }
}
