package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * subscribe: terminal transitions (complete, fail, cancel, stalled to failed) are reported with
 * their record, lease-lost ones are not, a closed subscription hears nothing, other queues' jobs
 * are not reported and a throwing listener does not break the storage.
 *
 * <!-- snippet: subscribe-contract -->
 * <pre>{@code
 * try (Subscription s = storage.subscribe(queue, (jobId, snapshot) -> done.add(jobId))) {
 *     // ... jobs of queue end: done gets their ids
 * }
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
// Subscriptions are held open by try-with-resources without being read in the body; that is the point.
@SuppressWarnings("try")
public interface SubscribeContract extends StorageFixture {
    // ---------------------------------------------------------------- subscribe

    /**
     * {@code subscribe} reports complete, fail, cancel and a stall to FAILED.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_reportsCompleteFailCancelAndStalledToFailed() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Map<String, JobState> states = new ConcurrentHashMap<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, snapshot) -> {
            seen.add(id);
            if (snapshot != null) {
                states.put(id, snapshot.state());
            }
        })) {
            storage().enqueue(queue(), job("c").build());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            storage().enqueue(queue(), job("f").build());
            storage().fail(queue(), lease(claimOne()), error("e"), null);
            storage().enqueue(queue(), job("x").build());
            storage().cancel(queue(), "x");
            storage().enqueue(queue(), job("s").maxStalls(0).build());
            claimOne();
            clock().advance(LEASE);
            storage().requeueExpired(queue(), 10);
            awaitCondition(() -> new HashSet<>(seen).containsAll(Set.of("c", "f", "x", "s")),
                    () -> "terminal notifications, seen " + seen);
            states.forEach((id, state) -> assertTrue(state.isTerminal(), id + " reported in " + state));
        }
    }

    /**
     * {@code subscribe}: a snapshot, when given, is the terminal record.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_snapshotWhenGivenIsTheTerminalRecord() throws Exception {
        Map<String, JobSnapshot> snapshots = new ConcurrentHashMap<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, snapshot) -> {
            if (snapshot != null) {
                snapshots.put(id, snapshot);
            }
            seen.add(id);
        })) {
            storage().enqueue(queue(), job("c").build());
            storage().complete(queue(), lease(claimOne()), bytes("the result"), null);
            storage().enqueue(queue(), job("f").build());
            JobError err = error("bad");
            storage().fail(queue(), lease(claimOne()), err, null);
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

    /**
     * {@code subscribe}: LEASE_LOST transitions are not reported.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_leaseLostTransitionsAreNotReported() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, s) -> seen.add(id))) {
            storage().enqueue(queue(), job("a").build());
            ClaimedJob c = claimOne();
            storage().release(queue(), lease(c));
            assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(c), bytes("x"), null));
            assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "a"));
            awaitCondition(() -> seen.contains("a"), () -> "cancel notification, seen " + seen);
            assertEquals(List.of("a"), seen);
        }
    }

    /**
     * {@code subscribe}: duplicate enqueue turns notification on.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_duplicateEnqueueTurnsNotificationOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, snapshot) -> seen.add(id))) {
            storage().enqueue(queue(), job("quiet").notifyOnTerminal(false).build());
            assertFalse(storage().enqueue(queue(), job("quiet").notifyOnTerminal(true).build()).created());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> seen.contains("quiet"), () -> "notification for 'quiet', seen " + seen);
        }
    }

    /**
     * {@code subscribe}: closed subscription hears nothing more.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_closedSubscriptionHearsNothingMore() throws Exception {
        List<String> closedOne = new CopyOnWriteArrayList<>();
        List<String> openOne = new CopyOnWriteArrayList<>();
        Subscription toClose = storage().subscribe(queue(), (id, s) -> closedOne.add(id));
        try (Subscription ignored = storage().subscribe(queue(), (id, s) -> openOne.add(id))) {
            storage().enqueue(queue(), job("before").build());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> closedOne.contains("before") && openOne.contains("before"),
                    () -> "both saw 'before': " + closedOne + " " + openOne);
            toClose.close();
            toClose.close(); // twice is harmless
            storage().enqueue(queue(), job("after").build());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> openOne.contains("after"), () -> "open subscription saw 'after': " + openOne);
            assertEquals(List.of("before"), closedOne);
        }
    }

    /**
     * {@code subscribe}: other queues' jobs are not reported.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_otherQueuesJobsAreNotReported() throws Exception {
        String other = queue() + "-other";
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription ignored = storage().subscribe(queue(), (id, s) -> seen.add(id))) {
            storage().enqueue(other, job("elsewhere").build());
            ClaimedJob c = storage().claim(other, "w", 1, LEASE, Duration.ZERO).get(0);
            storage().complete(other, lease(c), bytes("r"), null);
            storage().enqueue(queue(), job("here").build());
            storage().complete(queue(), lease(claimOne()), bytes("r"), null);
            awaitCondition(() -> seen.contains("here"), () -> "saw 'here': " + seen);
            assertEquals(List.of("here"), seen);
        }
    }

    /**
     * {@code subscribe}: throwing listener does not break the storage.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void subscribe_throwingListenerDoesNotBreakTheStorage() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Subscription bad = storage().subscribe(queue(), (id, s) -> {
            throw new IllegalStateException("listener bug");
        }); Subscription good = storage().subscribe(queue(), (id, s) -> seen.add(id))) {
            storage().enqueue(queue(), job("a").build());
            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(claimOne()), bytes("r"), null));
            awaitCondition(() -> seen.contains("a"), () -> "good listener saw 'a': " + seen);
            assertEquals(JobState.COMPLETED, state("a"));
        }
    }
}
