package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * throttle: every claim of the queue takes nothing until the throttle ends (storage clock), then
 * claims take jobs again without anyone waking them; the later end wins; nothing but claims is
 * held back, and other queues are unaffected.
 *
 * <!-- snippet: throttle-contract -->
 * <pre>{@code
 * Instant until = storage.throttle(queue, Duration.ofSeconds(30)); // a downstream said 429
 * storage.claim(queue, "w", 10, lease, Duration.ZERO);            // [] until then
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface ThrottleContract extends StorageFixture {
    /**
     * Claims take nothing until the throttle's end, not a millisecond before, then everything due;
     * throttle returns that end.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void throttle_holdsBackClaimsUntilItEnds() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        Instant end = storage().throttle(queue(), Duration.ofSeconds(10));
        assertEquals(clock().instant().plusSeconds(10), end);
        assertEquals(List.of(), claimNow(10));
        assertEquals(List.of(), storage().claim(queue(), "w", 10, LEASE, Duration.ofMillis(50)),
                "a waiting claim on a throttled queue ends empty");
        clock().advance(Duration.ofMillis(9_999));
        assertEquals(List.of(), claimNow(10));
        clock().advance(Duration.ofMillis(1));
        assertEquals(List.of("a", "b"), ids(claimNow(10)));
    }

    /**
     * A claim blocked by a throttle takes the job once the throttle ends, with no enqueue or other
     * wake-up, well before its maxWait.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void throttle_blockedClaimTakesAJobWhenItEnds() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().throttle(queue(), Duration.ofSeconds(2));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            assertFalse(waiting.isDone() && !waiting.get().isEmpty(), "the blocked claim took a job while throttled");
            clock().advance(Duration.ofSeconds(2));
            assertEquals(List.of("a"), ids(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A shorter throttle never shortens one in force (it returns the old end); a longer one
     * lengthens it.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void throttle_theLaterEndWins() throws Exception {
        storage().enqueue(queue(), job("a").build());
        Instant first = storage().throttle(queue(), Duration.ofSeconds(10));
        clock().advance(Duration.ofSeconds(1));
        assertEquals(first, storage().throttle(queue(), Duration.ofSeconds(2)), "a shorter throttle changes nothing");
        Instant longer = storage().throttle(queue(), Duration.ofSeconds(20));
        assertEquals(clock().instant().plusSeconds(20), longer);
        clock().set(first);
        assertEquals(List.of(), claimNow(10), "the longer throttle is in force");
        clock().set(longer.minusMillis(1));
        assertEquals(List.of(), claimNow(10));
        clock().set(longer);
        assertEquals(List.of("a"), ids(claimNow(10)));
        Instant again = storage().throttle(queue(), Duration.ofMillis(1));
        assertEquals(longer.plusMillis(1), again, "an ended throttle does not count");
    }

    /**
     * While throttled, everything but claim works: enqueue, extend and finish running jobs, cancel,
     * reaping, promote; and another queue claims as usual.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void throttle_holdsBackOnlyClaimsOfItsQueue() throws Exception {
        String other = queue() + "-other";
        storage().enqueue(queue(), job("done").build());
        storage().enqueue(queue(), job("failed").build());
        storage().enqueue(queue(), job("stalled").build());
        List<ClaimedJob> running = claimNow(2);
        ClaimedJob stalled = storage().claim(queue(), "w", 1, Duration.ofSeconds(1), Duration.ZERO).get(0);
        storage().throttle(queue(), Duration.ofHours(1));

        assertTrue(storage().enqueue(queue(), job("new").build()).created());
        assertTrue(storage().enqueue(queue(), job("later").delay(Duration.ofMinutes(5)).build()).created());
        assertEquals(List.of(), storage().extend(queue(), leases(running), LEASE));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(running.get(0)), bytes("r"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(running.get(1)), error("e"), null));
        clock().advance(Duration.ofSeconds(1));
        assertEquals(1, storage().requeueExpired(queue(), 10).size());
        assertEquals(JobState.QUEUED, state(stalled.id()));
        assertEquals(dev.jobqueue.PromoteResult.PROMOTED, storage().promote(queue(), "later"));
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "new"));
        assertEquals(List.of(), claimNow(10));
        assertFalse(storage().isPaused(queue()), "a throttle is not a pause");

        storage().enqueue(other, job("theirs").build());
        assertEquals(List.of("theirs"), ids(storage().claim(other, "w", 10, LEASE, Duration.ZERO)),
                "other queues are not throttled");
        clock().advance(Duration.ofHours(1));
        assertEquals(List.of("stalled", "later"), ids(claimNow(10)));
    }
}
