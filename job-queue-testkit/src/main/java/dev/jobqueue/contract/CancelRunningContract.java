package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * cancel of a running job: PROCESSING → CANCELLED in one step that also ends the lease, so the
 * worker's late outcome is rejected (LEASE_LOST), the reaper never sees the job, and terminal
 * listeners are told whatever the job's {@code notifyOnTerminal} (the worker listens to interrupt
 * its handler).
 *
 * <!-- snippet: cancel-running-contract -->
 * <pre>{@code
 * storage.cancel(queue, "report-7");                        // CANCELLED, also while it runs
 * storage.complete(queue, runningLease, result, null);      // LEASE_LOST: the late outcome is rejected
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
// Subscriptions are held open by try-with-resources without being read in the body; that is the point.
@SuppressWarnings("try")
public interface CancelRunningContract extends StorageFixture {
    /**
     * Cancelling a PROCESSING job answers CANCELLED and leaves a CANCELLED record kept for the
     * job's result TTL, without lease, worker, result or error; a second cancel answers CANCELLED.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_makesTheJobCancelled() throws Exception {
        storage().enqueue(queue(), job("a").resultTtl(Duration.ofMinutes(5)).build());
        claimOne();
        clock().advance(Duration.ofSeconds(1));
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
        JobSnapshot s = status("a");
        assertEquals(JobState.CANCELLED, s.state());
        assertEquals(clock().instant().plus(Duration.ofMinutes(5)), s.expiresAt());
        assertEquals(clock().instant(), s.finishedAt());
        assertEquals(1, s.attempts(), "the attempt that ran counts");
        assertNull(s.workerId());
        assertNull(s.leaseDeadline());
        assertNull(s.result());
        assertNull(s.error());
        assertNull(s.runAt());
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
        SnapshotAssertions.assertSameRecord(s, status("a"));
        Map<JobState, Long> counts = storage().counts(queue());
        assertEquals(0L, counts.get(JobState.PROCESSING));
        assertEquals(1L, counts.get(JobState.CANCELLED));
        assertEquals(List.of(), storage().list(queue(), JobState.PROCESSING, 10));
        assertEquals(List.of("a"), storage().list(queue(), JobState.CANCELLED, 10));
        clock().advance(Duration.ofMinutes(5));
        assertTrue(storage().status(queue(), "a").isEmpty(), "kept for the result TTL only");
    }

    /**
     * After the cancel every fenced operation with the old token answers LEASE_LOST, extend
     * reports the lease lost, and the record stays as the cancel left it.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_fencesTheOldToken() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("other").build());
        List<ClaimedJob> claimed = claimNow(2);
        LeaseRef old = lease(claimed.get(0));
        LeaseRef other = lease(claimed.get(1));
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
        JobSnapshot cancelled = status("a");

        assertEquals(List.of("a"), storage().extend(queue(), List.of(old, other), LEASE),
                "only the cancelled job's lease is lost");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), old, bytes("late"), null));
        assertEquals(List.of(TransitionOutcome.LEASE_LOST),
                storage().completeAll(queue(), List.of(new dev.jobqueue.spi.Completion(old, bytes("late"), null))));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().fail(queue(), old, error("late"), null));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().retry(queue(), old, Duration.ZERO, error("late")));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().release(queue(), old));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().unclaim(queue(), old));
        assertEquals(TransitionOutcome.LEASE_LOST, storage().snooze(queue(), old, Duration.ZERO));
        SnapshotAssertions.assertSameRecord(cancelled, status("a"));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), other, bytes("fine"), null),
                "the other running job is unaffected");
    }

    /**
     * A cancelled running job left the lease index: requeueExpired never returns it, even long
     * after its lease would have ended.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_isNeverReaped() throws Exception {
        storage().enqueue(queue(), job("a").maxStalls(0).build());
        storage().enqueue(queue(), job("b").build());
        storage().claim(queue(), "w", 2, Duration.ofSeconds(1), Duration.ZERO);
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
        clock().advance(Duration.ofMinutes(1));
        List<String> reaped = storage().requeueExpired(queue(), 10).stream().map(dev.jobqueue.spi.StalledJob::id).toList();
        assertEquals(List.of("b"), reaped, "only the job still running is reaped");
        assertEquals(JobState.CANCELLED, state("a"));
        assertEquals(List.of(), storage().requeueExpired(queue(), 10));
    }

    /**
     * Subscribers hear of a cancelled running job even when it was enqueued without
     * {@code notifyOnTerminal}, with a CANCELLED snapshot when they get one.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_notifiesSubscribersEvenWithoutNotifyOnTerminal() throws Exception {
        Map<String, JobState> seen = new ConcurrentHashMap<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, snapshot) ->
                seen.put(id, snapshot == null ? JobState.CANCELLED : snapshot.state()))) {
            storage().enqueue(queue(), job("quiet").notifyOnTerminal(false).build());
            storage().enqueue(queue(), job("loud").notifyOnTerminal(true).build());
            claimNow(2);
            assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "quiet"));
            assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "loud"));
            awaitCondition(() -> seen.containsKey("quiet") && seen.containsKey("loud"),
                    () -> "notifications of both cancelled running jobs, seen " + seen);
            assertEquals(JobState.CANCELLED, seen.get("quiet"));
            assertEquals(JobState.CANCELLED, seen.get("loud"));
        }
    }

    /**
     * After the cancel, an operator's retryJob brings the job back (attempts from 0, a token above
     * the cancelled claim's) and a new enqueue of the same id replaces the record.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_retryJobAndEnqueueOfTheSameIdWorkAfterwards() throws Exception {
        storage().enqueue(queue(), job("retried").build());
        ClaimedJob first = claimOne();
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "retried"));
        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "retried"));
        ClaimedJob again = claimOne();
        assertEquals(1, again.attempt());
        assertTrue(again.fencingToken() > first.fencingToken());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(first), bytes("late"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(again), bytes("ok"), null));
        assertEquals("ok", text(status("retried").result()));

        storage().enqueue(queue(), job("replaced").payload("old").build());
        ClaimedJob old = claimOne();
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "replaced"));
        assertTrue(storage().enqueue(queue(), job("replaced").payload("new").build()).created(),
                "a CANCELLED record does not block a new job with its id");
        ClaimedJob fresh = claimOne();
        assertEquals("new", text(fresh.payload()));
        assertEquals(1, fresh.attempt());
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(old), bytes("late"), null));
        assertEquals(JobState.PROCESSING, state("replaced"));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(fresh), bytes("ok"), null));
    }

    /**
     * A cancel is not a finish: finishedTotals do not change, also when the old holder then tries
     * to complete or fail the job.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_leavesFinishedTotalsUnchanged() throws Exception {
        storage().enqueue(queue(), job("done").build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        FinishedTotals before = storage().finishedTotals(queue());
        assertEquals(new FinishedTotals(1, 0), before);
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        List<ClaimedJob> running = claimNow(2);
        storage().cancel(queue(), "a");
        storage().cancel(queue(), "b");
        storage().complete(queue(), lease(running.get(0)), bytes("late"), null);
        storage().fail(queue(), lease(running.get(1)), error("late"), null);
        assertEquals(before, storage().finishedTotals(queue()));
    }

    /**
     * A cancel racing the worker's complete: exactly one wins. Either the cancel answers CANCELLED
     * and the complete LEASE_LOST (the job stays CANCELLED), or the complete is APPLIED and the
     * cancel answers COMPLETED.
     *
     * @throws Exception when a storage call or a thread fails unexpectedly, failing the test
     */
    @Test
    default void cancelRunning_racingCompleteExactlyOneWins() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 30; i++) {
                String id = "race-" + i;
                storage().enqueue(queue(), job(id).build());
                ClaimedJob c = claimOne();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<CancelResult> cancel = pool.submit(() -> {
                    start.await();
                    return storage().cancel(queue(), id);
                });
                Future<TransitionOutcome> complete = pool.submit(() -> {
                    start.await();
                    return storage().complete(queue(), lease(c), bytes("r"), null);
                });
                CancelResult cancelled = cancel.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                TransitionOutcome completed = complete.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                if (cancelled == CancelResult.CANCELLED) {
                    assertEquals(TransitionOutcome.LEASE_LOST, completed, id);
                    assertEquals(JobState.CANCELLED, state(id), id);
                } else {
                    assertEquals(CancelResult.COMPLETED, cancelled, id);
                    assertEquals(TransitionOutcome.APPLIED, completed, id);
                    assertEquals(JobState.COMPLETED, state(id), id);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
