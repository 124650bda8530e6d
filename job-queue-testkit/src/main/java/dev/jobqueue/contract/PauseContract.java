package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * setPaused and isPaused: a paused queue's claims take nothing and promote nothing, everything
 * else works, resuming wakes a blocked claim at once, and the flag is per queue.
 *
 * <!-- snippet: pause-contract -->
 * <pre>{@code
 * storage.setPaused(queue, true);   // true: the flag changed
 * storage.claim(queue, "w", 10, lease, Duration.ZERO); // [] while paused
 * storage.setPaused(queue, false);  // blocked claims wake up
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface PauseContract extends StorageFixture {
    /** A queue never paused is not paused; setPaused answers whether the flag changed. */
    @Test
    default void pause_flagAndWhetherItChanged() {
        assertFalse(storage().isPaused(queue()));
        assertFalse(storage().setPaused(queue(), false), "resuming a running queue changes nothing");
        assertTrue(storage().setPaused(queue(), true));
        assertTrue(storage().isPaused(queue()));
        assertFalse(storage().setPaused(queue(), true));
        assertTrue(storage().isPaused(queue()));
        assertTrue(storage().setPaused(queue(), false));
        assertFalse(storage().isPaused(queue()));
    }

    /**
     * While paused, claims take nothing and promote nothing; after resuming they take everything due.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void pause_claimTakesAndPromotesNothingWhilePaused() throws Exception {
        storage().enqueue(queue(), job("queued").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofSeconds(1)).build());
        storage().setPaused(queue(), true);
        assertEquals(List.of(), claimNow(10));
        clock().advance(Duration.ofSeconds(2));
        assertEquals(List.of(), claimNow(10));
        assertEquals(List.of(), storage().claim(queue(), "w", 10, LEASE, Duration.ofMillis(50)),
                "a waiting claim on a paused queue ends empty");
        assertEquals(JobState.DELAYED, state("delayed"), "a paused queue's claims promote nothing");
        assertEquals(1L, storage().counts(queue()).get(JobState.QUEUED));
        storage().setPaused(queue(), false);
        assertEquals(List.of("queued", "delayed"), ids(claimNow(10)));
    }

    /**
     * A claim blocked on a paused queue gets a job promptly once the queue is resumed.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void pause_resumeWakesABlockedClaim() throws Exception {
        storage().setPaused(queue(), true);
        storage().enqueue(queue(), job("a").build());
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            storage().enqueue(queue(), job("b").build());
            assertFalse(waiting.isDone() && !waiting.get().isEmpty(), "the blocked claim took a job while paused");
            storage().setPaused(queue(), false);
            List<ClaimedJob> got = waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of("a"), ids(got), "the resumed claim must get the first job, well before its maxWait");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Every operation but claim works on a paused queue: enqueue, finishing and extending
     * running jobs, cancel, listing, repairs and reaping.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void pause_everythingButClaimWorksWhilePaused() throws Exception {
        storage().enqueue(queue(), job("done").build());
        storage().enqueue(queue(), job("failed").build());
        storage().enqueue(queue(), job("stalled").build());
        List<ClaimedJob> running = claimNow(2);
        ClaimedJob stalled = storage().claim(queue(), "w", 1, Duration.ofSeconds(1), Duration.ZERO).get(0);
        storage().setPaused(queue(), true);

        assertTrue(storage().enqueue(queue(), job("new").build()).created());
        assertTrue(storage().enqueue(queue(), job("later").delay(Duration.ofHours(1)).build()).created());
        assertEquals(List.of(), storage().extend(queue(), List.of(lease(running.get(0))), LEASE));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(running.get(0)), bytes("r"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(running.get(1)), error("e"), null));
        clock().advance(Duration.ofSeconds(1));
        assertEquals(1, storage().requeueExpired(queue(), 10).size());
        assertEquals(JobState.QUEUED, state(stalled.id()));
        assertEquals(RetryResult.RETRIED, storage().retryJob(queue(), "failed"));
        assertEquals(PromoteResult.PROMOTED, storage().promote(queue(), "later"));
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "new"));
        assertEquals(DeleteResult.DELETED, storage().deleteJob(queue(), "new"));
        assertEquals(List.of("stalled", "failed", "later"),
                Listings.ids(storage(), queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, 10));
        assertEquals(List.of(), claimNow(10));
        assertTrue(storage().isPaused(queue()));
        storage().setPaused(queue(), false);
        assertEquals(List.of("stalled", "failed", "later"), ids(claimNow(10)));
    }

    /**
     * Pausing, resuming and retrying while workers claim and finish jobs loses none and runs none
     * twice: with leases that never end, every job completes exactly once.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void pause_andRetryWhileWorkersRunLoseNoJobAndRunNoneTwice() throws Exception {
        int jobs = 120;
        for (int i = 0; i < jobs; i++) {
            storage().enqueue(queue(), job("j" + i).maxAttempts(1).build());
        }
        Map<String, AtomicInteger> completed = new ConcurrentHashMap<>();
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService workers = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                String worker = "w" + w;
                running.add(workers.submit(() -> {
                    while (!stop.get()) {
                        for (ClaimedJob c : storage().claim(queue(), worker, 4, LEASE, Duration.ofMillis(20))) {
                            // Every third job fails once; the operator's retryAll brings it back.
                            if (c.id().hashCode() % 3 == 0 && failedOnce.add(c.id())) {
                                assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(c), error("once"), null));
                            } else {
                                assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("ok"), null));
                                completed.computeIfAbsent(c.id(), id -> new AtomicInteger()).incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            boolean pause = true;
            while (storage().counts(queue()).get(JobState.COMPLETED) < jobs && System.nanoTime() < deadline) {
                storage().setPaused(queue(), pause);
                pause = !pause;
                storage().retryAll(queue(), JobState.FAILED, 5);
                Thread.sleep(2);
            }
            storage().setPaused(queue(), false);
            stop.set(true);
            for (Future<?> f : running) {
                f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            workers.shutdownNow();
        }
        assertEquals(jobs, completed.size(), "every job completed: " + storage().counts(queue()));
        completed.forEach((id, n) -> assertEquals(1, n.get(), id + " completed " + n.get() + " times"));
        assertEquals((long) jobs, storage().counts(queue()).get(JobState.COMPLETED));
    }

    /**
     * Pausing one queue leaves every other queue running.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void pause_isPerQueue() throws Exception {
        String other = queue() + "-other";
        storage().enqueue(queue(), job("ours").build());
        storage().enqueue(other, job("theirs").build());
        storage().setPaused(queue(), true);
        assertFalse(storage().isPaused(other));
        assertEquals(List.of(), claimNow(10));
        assertEquals(List.of("theirs"), ids(storage().claim(other, "w", 10, LEASE, Duration.ZERO)));
        assertTrue(storage().setPaused(other, true));
        assertTrue(storage().setPaused(queue(), false));
        assertTrue(storage().isPaused(other));
        assertEquals(List.of("ours"), ids(claimNow(10)));
        storage().enqueue(other, job("theirs-2").build());
        assertEquals(List.of(), storage().claim(other, "w", 10, LEASE, Duration.ZERO));
        storage().setPaused(other, false);
    }
}
