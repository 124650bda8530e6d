package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * queueNames and finishedTotals, the read methods operator tools use: which queues exist, and
 * how many jobs of each finished.
 *
 * <!-- snippet: queue-names-contract -->
 * <pre>{@code
 * for (String name : storage.queueNames()) {          // every queue with a job or a pause flag
 *     FinishedTotals t = storage.finishedTotals(name); // monotonic: COMPLETED and FAILED so far
 *     System.out.println(name + ": " + t.completed() + " completed, " + t.failed() + " failed");
 * }
 * }</pre>
 *
 * <p>The storage may be shared with other tests (a Redis server), so the tests only look at
 * queue names of their own. Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface QueueNamesAndTotalsContract extends StorageFixture {
    /**
     * A queue is listed once it has a job, in any state, and only then; reads, subscriptions
     * and locks on a name list nothing.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void queueNames_listsQueuesWithJobs() throws Exception {
        String other = queue() + "-other";
        assertFalse(storage().queueNames().contains(queue()));
        storage().status(queue(), "nothing");
        storage().counts(queue());
        storage().list(queue(), JobState.QUEUED, 10);
        storage().subscribe(queue(), (id, s) -> { }).close();
        storage().finishedTotals(queue());
        storage().isPaused(queue());
        storage().acquireLock(other, "reaper", "owner", Duration.ofMinutes(1));
        List<String> before = storage().queueNames();
        assertFalse(before.contains(queue()), "reads and subscriptions create no queue: " + before);
        assertFalse(before.contains(other), "a lock alone is not a queue: " + before);

        storage().enqueue(queue(), job("a").build());
        storage().enqueue(other, job("b").delay(Duration.ofMinutes(1)).build());
        List<String> names = storage().queueNames();
        assertTrue(names.contains(queue()), names.toString());
        assertTrue(names.contains(other), names.toString());
        assertSortedAndDistinct(names);

        ClaimedJob c = claimOne();
        assertTrue(storage().queueNames().contains(queue()), "a queue whose only job runs is listed");
        storage().complete(queue(), lease(c), bytes("r"), TTL);
        assertTrue(storage().queueNames().contains(queue()), "a kept COMPLETED record keeps the queue listed");
    }

    /**
     * A queue with no job but the pause flag is listed; once resumed and empty it is not.
     */
    @Test
    default void queueNames_listsPausedQueuesWithoutJobs() {
        storage().setPaused(queue(), true);
        assertTrue(storage().queueNames().contains(queue()), "a paused queue is listed");
        storage().setPaused(queue(), false);
        assertFalse(storage().queueNames().contains(queue()), "resumed and without jobs: not listed");
    }

    /**
     * A queue whose last job was deleted, or whose last record expired, is no longer listed.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void queueNames_forgetsQueuesWithoutJobs() throws Exception {
        String expiring = queue() + "-expiring";
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(expiring, job("b").build());
        ClaimedJob c = storage().claim(expiring, "w", 1, LEASE, Duration.ZERO).get(0);
        storage().complete(expiring, lease(c), bytes("r"), Duration.ofSeconds(5));
        assertTrue(storage().queueNames().containsAll(List.of(queue(), expiring)));

        assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), "a"));
        clock().advance(Duration.ofSeconds(6));
        List<String> names = storage().queueNames();
        assertFalse(names.contains(queue()), "last job deleted: " + names);
        assertFalse(names.contains(expiring), "last record expired: " + names);
    }

    /**
     * Names that need care in keys and files are listed exactly.
     */
    @Test
    default void queueNames_oddNamesExactly() {
        List<String> odd = List.of(queue() + ":{x}/../ü 😀", queue() + "\n*?");
        for (String name : odd) {
            storage().enqueue(name, job("j").build());
        }
        List<String> names = storage().queueNames();
        assertTrue(names.containsAll(odd), names.toString());
        assertFalse(names.contains(queue()));
    }

    /**
     * finishedTotals counts each job that became COMPLETED or FAILED (stall-failed included),
     * per queue, never going down; retries, cancels, deletes and lease losses do not count.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void finishedTotals_countsCompletedAndFailedJobs() throws Exception {
        String other = queue() + "-other";
        assertEquals(FinishedTotals.NONE, storage().finishedTotals(queue()));
        assertFalse(storage().queueNames().contains(queue()), "asking for totals creates no queue");
        for (String id : List.of("c1", "c2", "c3", "f1", "r1")) {
            storage().enqueue(queue(), job(id).maxAttempts(3).build());
        }
        storage().enqueue(queue(), job("s1").maxStalls(0).build());
        storage().enqueue(other, job("o1").build());

        List<ClaimedJob> claimed = claimNow(10);
        assertEquals(6, claimed.size());
        storage().enqueue(queue(), job("x1").build());
        ClaimedJob c1 = find(claimed, "c1");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c1), bytes("r"), TTL));
        assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.APPLIED), storage().completeAll(queue(), List.of(
                new Completion(lease(find(claimed, "c2")), bytes("r"), TTL),
                new Completion(lease(find(claimed, "c3")), bytes("r"), TTL))));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(find(claimed, "f1")), error("boom"), TTL));
        assertEquals(TransitionOutcome.APPLIED,
                storage().retry(queue(), lease(find(claimed, "r1")), Duration.ofSeconds(1), error("again")));
        storage().cancel(queue(), "x1");
        assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(c1), bytes("r"), TTL),
                "a second completion of the same lease");
        assertEquals(new FinishedTotals(3, 1), storage().finishedTotals(queue()));

        clock().advance(LEASE);
        storage().requeueExpired(queue(), 10);
        assertEquals(JobState.FAILED, state("s1"));
        assertEquals(new FinishedTotals(3, 2), storage().finishedTotals(queue()), "a stall-failed job counts as failed");

        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "f1"));
        assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), "c1"));
        assertEquals(new FinishedTotals(3, 2), storage().finishedTotals(queue()),
                "operator retry and delete leave the totals alone");
        ClaimedJob again = find(claimNow(10), "f1");
        storage().complete(queue(), lease(again), bytes("r"), TTL);
        assertEquals(new FinishedTotals(4, 2), storage().finishedTotals(queue()), "a job finished again counts again");
        assertEquals(FinishedTotals.NONE, storage().finishedTotals(other), "other queues count apart");
    }

    /** finishedTotals rejects a bad queue name like every other method. */
    @Test
    default void finishedTotals_rejectsBadQueueNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> storage().finishedTotals(null));
        assertTrue(e.getMessage().contains("queue"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> storage().finishedTotals(""));
    }

    /**
     * Asserts the list is in ascending order without duplicates.
     *
     * @param names the list to check
     */
    private static void assertSortedAndDistinct(List<String> names) {
        List<String> sorted = new ArrayList<>(new java.util.TreeSet<>(names));
        assertEquals(sorted, names, "sorted, without duplicates");
    }

    private static ClaimedJob find(List<ClaimedJob> claimed, String id) {
        Optional<ClaimedJob> c = claimed.stream().filter(j -> j.id().equals(id)).findFirst();
        assertTrue(c.isPresent(), "not claimed: " + id);
        return c.get();
    }
}
