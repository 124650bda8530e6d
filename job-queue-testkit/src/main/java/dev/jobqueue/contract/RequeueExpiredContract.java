package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.StalledJob;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * requeueExpired: only ended leases are reaped, oldest first, each counting a stall; past
 * maxStalls the job fails; a requeued job keeps its enqueue position.
 *
 * <!-- snippet: requeue-expired-contract -->
 * <pre>{@code
 * clock.advance(lease);
 * List<StalledJob> stalled = storage.requeueExpired(queue, 100);
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface RequeueExpiredContract extends StorageFixture {
    // ---------------------------------------------------------------- requeueExpired

    /**
     * {@code requeueExpired}: only expired leases are reaped and count a stall.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_onlyExpiredLeasesAreReapedAndCountAStall() throws Exception {
        storage().enqueue(queue(), job("short").build());
        storage().enqueue(queue(), job("long").build());
        storage().claim(queue(), "w1", 1, Duration.ofSeconds(5), Duration.ZERO);
        storage().claim(queue(), "w2", 1, Duration.ofSeconds(60), Duration.ZERO);
        clock().advance(Duration.ofMillis(4_999));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        clock().advance(Duration.ofMillis(1));
        assertEquals(List.of(new StalledJob("short", "w1", 1, JobState.QUEUED)), storage().requeueExpired(queue(), 10));
        JobSnapshot s = status("short");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(1, s.stalls());
        assertEquals(1, s.attempts());
        assertNull(s.workerId());
        assertEquals(JobState.PROCESSING, state("long"));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        ClaimedJob again = claimOne();
        assertEquals("short", again.id());
        assertEquals(2, again.attempt());
    }

    /**
     * {@code requeueExpired} fails the job after more than maxStalls stalls.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_failsTheJobAfterMoreThanMaxStalls() throws Exception {
        storage().enqueue(queue(), job("poison").maxStalls(2).resultTtl(Duration.ofMinutes(1)).build());
        for (int stall = 1; stall <= 2; stall++) {
            claimOne();
            clock().advance(LEASE);
            assertEquals(List.of(new StalledJob("poison", "w", stall, JobState.QUEUED)),
                    storage().requeueExpired(queue(), 10));
        }
        claimOne();
        clock().advance(LEASE);
        assertEquals(List.of(new StalledJob("poison", "w", 3, JobState.FAILED)), storage().requeueExpired(queue(), 10));
        JobSnapshot s = status("poison");
        assertEquals(JobState.FAILED, s.state());
        assertEquals(3, s.stalls());
        assertEquals(3, s.attempts());
        assertEquals(JobError.STALLED_TYPE, s.error().type());
        assertEquals(3, s.error().attempts());
        assertEquals(clock().instant(), s.error().failedAt());
        assertEquals(clock().instant().plus(Duration.ofMinutes(1)), s.expiresAt());
        assertTrue(claimNow(1).isEmpty());
    }

    /**
     * {@code requeueExpired}: stalls accumulate across retries and releases.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_stallsAccumulateAcrossRetriesAndReleases() throws Exception {
        storage().enqueue(queue(), job("a").maxStalls(1).build());
        claimOne();
        clock().advance(LEASE);
        assertEquals(JobState.QUEUED, storage().requeueExpired(queue(), 10).get(0).newState());
        storage().retry(queue(), lease(claimOne()), Duration.ZERO, error("retry"));
        storage().release(queue(), lease(claimOne()));
        assertEquals(1, status("a").stalls());
        claimOne();
        clock().advance(LEASE);
        List<StalledJob> second = storage().requeueExpired(queue(), 10);
        assertEquals(List.of(new StalledJob("a", "w", 2, JobState.FAILED)), second);
        assertEquals(4, status("a").attempts());
    }

    /** {@code requeueExpired} with nothing to do returns an empty list. */
    @Test
    default void requeue_nothingToDoIsEmpty() {
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
    }

    /**
     * {@code requeueExpired}: with maxStalls 0 the first stall fails the job.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_withZeroMaxStallsFailsOnTheFirstStall() throws Exception {
        storage().enqueue(queue(), job("a").maxStalls(0).build());
        claimOne();
        clock().advance(LEASE);
        assertEquals(List.of(new StalledJob("a", "w", 1, JobState.FAILED)), storage().requeueExpired(queue(), 10));
    }

    /**
     * {@code requeueExpired} respects {@code limit}, oldest deadline first.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_respectsLimitOldestDeadlineFirst() throws Exception {
        for (int i = 0; i < 5; i++) {
            storage().enqueue(queue(), job("j" + i).build());
            storage().claim(queue(), "w", 1, Duration.ofSeconds(10 + i), Duration.ZERO);
        }
        clock().advance(Duration.ofMinutes(1));
        List<StalledJob> first = storage().requeueExpired(queue(), 2);
        assertEquals(List.of("j0", "j1"), first.stream().map(StalledJob::id).collect(Collectors.toList()));
        List<StalledJob> rest = storage().requeueExpired(queue(), 10);
        assertEquals(List.of("j2", "j3", "j4"), rest.stream().map(StalledJob::id).collect(Collectors.toList()));
        assertEquals(5, storage().counts(queue()).get(JobState.QUEUED));
    }

    /**
     * {@code requeueExpired}: does not touch jobs that finished in time.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_doesNotTouchJobsThatFinishedInTime() throws Exception {
        storage().enqueue(queue(), job("done").build());
        storage().enqueue(queue(), job("failed").build());
        storage().enqueue(queue(), job("retried").build());
        storage().enqueue(queue(), job("released").build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().fail(queue(), lease(claimOne()), error("f"), null);
        storage().retry(queue(), lease(claimOne()), Duration.ofHours(1), error("r"));
        storage().release(queue(), lease(claimOne()));
        clock().advance(LEASE.multipliedBy(2));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
        assertEquals(JobState.COMPLETED, state("done"));
        assertEquals(JobState.FAILED, state("failed"));
        assertEquals(JobState.FAILING, state("retried"));
        assertEquals(JobState.QUEUED, state("released"));
    }

    /**
     * {@code requeueExpired}: requeued job keeps its enqueue position.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void requeue_requeuedJobKeepsItsEnqueuePosition() throws Exception {
        storage().enqueue(queue(), job("stalled").build());
        claimOne();
        storage().enqueue(queue(), job("newer").build());
        clock().advance(LEASE);
        storage().requeueExpired(queue(), 10);
        assertEquals(List.of("stalled", "newer"), ids(claimNow(2)));
    }
}
