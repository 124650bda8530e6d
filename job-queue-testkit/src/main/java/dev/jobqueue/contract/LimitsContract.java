package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * setLimits and limits: a queue's {@link QueueLimits} round trip per queue, {@code maxRunning}
 * caps the queue's PROCESSING jobs across concurrent claimers, the rate limit allows at most
 * {@code rateLimit} claims in any window of {@code ratePeriod} (judged by the claims' own
 * {@code claimedAt}, the storage clock: exact, not timing), a held claim gets a job once a slot
 * frees, and lowering a limit stops nothing that runs.
 *
 * <!-- snippet: limits-contract -->
 * <pre>{@code
 * storage.setLimits(queue, QueueLimits.NONE.withMaxRunning(2).withRate(5, Duration.ofSeconds(1)));
 * storage.claim(queue, "w", 10, lease, Duration.ZERO); // at most 2 jobs
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface LimitsContract extends StorageFixture {
    /** A queue has no limits until set; they round trip exactly, per queue, and NONE removes them. */
    @Test
    default void limits_roundTripPerQueue() {
        String other = queue() + "-other";
        assertEquals(QueueLimits.NONE, storage().limits(queue()));
        QueueLimits both = QueueLimits.NONE.withMaxRunning(3).withRate(5, Duration.ofMillis(1_500));
        storage().setLimits(queue(), both);
        assertEquals(both, storage().limits(queue()));
        assertEquals(QueueLimits.NONE, storage().limits(other), "limits are per queue");
        QueueLimits rateOnly = QueueLimits.NONE.withRate(100, Duration.ofDays(1));
        storage().setLimits(other, rateOnly);
        assertEquals(rateOnly, storage().limits(other));
        assertEquals(both, storage().limits(queue()));
        QueueLimits runningOnly = both.withoutRate();
        storage().setLimits(queue(), runningOnly);
        assertEquals(runningOnly, storage().limits(queue()), "the last writer wins");
        storage().setLimits(queue(), QueueLimits.NONE);
        assertEquals(QueueLimits.NONE, storage().limits(queue()));
        assertEquals(rateOnly, storage().limits(other));
    }

    /**
     * maxRunning: a claim takes at most maxRunning minus the queue's PROCESSING jobs; every way a
     * job stops running (complete, fail, retry, release, snooze, cancel, a reaped stall) frees a slot.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void limits_maxRunningCapsClaims() throws Exception {
        for (int i = 0; i < 12; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        storage().setLimits(queue(), QueueLimits.NONE.withMaxRunning(2));
        List<ClaimedJob> running = new ArrayList<>(claimNow(10));
        assertEquals(List.of("j0", "j1"), ids(running));
        assertEquals(List.of(), claimNow(10), "two are running");
        assertEquals(2L, storage().counts(queue()).get(JobState.PROCESSING));

        List<Runnable> frees = List.of(
                () -> storage().complete(queue(), lease(running.remove(0)), bytes("r"), null),
                () -> storage().fail(queue(), lease(running.remove(0)), error("e"), null),
                () -> storage().retry(queue(), lease(running.remove(0)), Duration.ofHours(1), error("e")),
                () -> storage().release(queue(), lease(running.remove(0))),
                () -> storage().snooze(queue(), lease(running.remove(0)), Duration.ofHours(1)),
                () -> storage().cancel(queue(), running.remove(0).id()));
        for (Runnable free : frees) {
            free.run();
            List<ClaimedJob> got = claimNow(10);
            assertEquals(1, got.size(), "one slot freed");
            running.addAll(got);
            assertEquals(List.of(), claimNow(10));
            assertEquals(2L, storage().counts(queue()).get(JobState.PROCESSING));
        }
        // A stalled job is requeued: its slot is free, and it is claimable again.
        ClaimedJob stalled = running.remove(0);
        storage().extend(queue(), leases(running), Duration.ofHours(2));
        storage().extend(queue(), List.of(lease(stalled)), Duration.ofSeconds(1));
        clock().advance(Duration.ofSeconds(1));
        assertEquals(1, storage().requeueExpired(queue(), 10).size());
        assertEquals(1, claimNow(10).size());
        assertEquals(List.of(), claimNow(10));
    }

    /**
     * The rate limit is a sliding window of ratePeriod by the storage clock: claims at one instant
     * use it up, and each slot comes back exactly ratePeriod after the claim that used it.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void limits_rateIsASlidingWindow() throws Exception {
        for (int i = 0; i < 20; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        storage().setLimits(queue(), QueueLimits.NONE.withRate(5, Duration.ofSeconds(1)));
        assertEquals(3, completeAll(claimNow(3)));
        clock().advance(Duration.ofMillis(500));
        assertEquals(2, completeAll(claimNow(10)));
        assertEquals(0, claimNow(10).size(), "5 claimed in the last second");
        clock().advance(Duration.ofMillis(499));
        assertEquals(0, claimNow(10).size(), "the first three were claimed 999 ms ago");
        clock().advance(Duration.ofMillis(1));
        assertEquals(3, completeAll(claimNow(10)), "the first three slots are free after exactly 1 s");
        assertEquals(0, claimNow(10).size());
        clock().advance(Duration.ofMillis(500));
        assertEquals(2, completeAll(claimNow(10)));
        assertEquals(0, claimNow(10).size());
    }

    /**
     * Many claimers on several threads for about 3 seconds of storage time (a ticker moves the
     * clock) under a rate of 5 per second: no window of one second holds more than 5 claims, judged
     * by the claims' own claimedAt, and the queue is not starved either.
     *
     * @throws Exception when a storage call or a thread fails unexpectedly, failing the test
     */
    @Test
    default void limits_rateHoldsAcrossConcurrentClaimers() throws Exception {
        int rate = 5;
        Duration period = Duration.ofSeconds(1);
        for (int i = 0; i < 100; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        storage().setLimits(queue(), QueueLimits.NONE.withRate(rate, period));
        Instant end = clock().instant().plusSeconds(3);
        List<Instant> claimedAt = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            List<Future<?>> tasks = new ArrayList<>();
            tasks.add(pool.submit(() -> {
                while (clock().instant().isBefore(end)) {
                    clock().advance(Duration.ofMillis(10));
                    Thread.sleep(2);
                }
                stop.set(true);
                return null;
            }));
            for (int w = 0; w < 4; w++) {
                String worker = "w" + w;
                tasks.add(pool.submit(() -> {
                    while (!stop.get()) {
                        List<ClaimedJob> got = storage().claim(queue(), worker, 3, LEASE, Duration.ofMillis(20));
                        for (ClaimedJob c : got) {
                            claimedAt.add(c.claimedAt());
                            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("r"), null));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : tasks) {
                f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
        }
        List<Instant> times = new ArrayList<>(claimedAt);
        Collections.sort(times);
        for (int i = 0; i + rate < times.size(); i++) {
            Duration gap = Duration.between(times.get(i), times.get(i + rate));
            assertTrue(gap.compareTo(period) >= 0, (rate + 1) + " claims within " + gap + " from " + times.get(i)
                    + ": " + times);
        }
        assertTrue(times.size() >= 2 * rate, "the rate must let claims through: only " + times.size() + " in 3 s: " + times);
    }

    /**
     * maxRunning holds across concurrent claimers: with 6 threads claiming and finishing jobs, the
     * queue never has more than maxRunning jobs claimed at once, and every job still runs.
     *
     * @throws Exception when a storage call or a thread fails unexpectedly, failing the test
     */
    @Test
    default void limits_maxRunningHoldsAcrossConcurrentClaimers() throws Exception {
        int maxRunning = 3;
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        storage().setLimits(queue(), QueueLimits.NONE.withMaxRunning(maxRunning));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        AtomicInteger mostProcessing = new AtomicInteger();
        Set<String> completed = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> workers = new ArrayList<>();
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            for (int w = 0; w < 6; w++) {
                String worker = "w" + w;
                workers.add(pool.submit(() -> {
                    while (completed.size() < jobs && System.nanoTime() < deadline) {
                        for (ClaimedJob c : storage().claim(queue(), worker, 2, LEASE, Duration.ofMillis(50))) {
                            // Counted after the claim returned and uncounted before complete is
                            // called: never more than the storage itself holds PROCESSING.
                            mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.sleep(1);
                            running.decrementAndGet();
                            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("r"), null));
                            completed.add(c.id());
                        }
                    }
                    return null;
                }));
            }
            while (completed.size() < jobs && System.nanoTime() < deadline) {
                mostProcessing.accumulateAndGet(storage().counts(queue()).get(JobState.PROCESSING).intValue(), Math::max);
                Thread.sleep(1);
            }
            for (Future<?> f : workers) {
                f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(jobs, completed.size(), "every job ran");
        assertTrue(mostRunning.get() <= maxRunning, "claimed at once: " + mostRunning.get());
        assertTrue(mostProcessing.get() <= maxRunning, "PROCESSING at once: " + mostProcessing.get());
        assertTrue(mostRunning.get() >= 1);
    }

    /**
     * A claim held back by maxRunning waits and gets a job once a running job completes, well
     * before its maxWait, without any enqueue.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void limits_heldClaimGetsAJobWhenARunningOneCompletes() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        storage().setLimits(queue(), QueueLimits.NONE.withMaxRunning(1));
        ClaimedJob a = claimOne();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w2", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            assertFalse(waiting.isDone() && !waiting.get().isEmpty(), "the held claim took a job beyond maxRunning");
            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(a), bytes("r"), null));
            assertEquals(List.of("b"), ids(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * A claim held back by the rate limit gets a job once the window frees a slot (the clock moves
     * on), without being woken by an enqueue.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void limits_heldClaimGetsAJobWhenTheRateWindowFrees() throws Exception {
        storage().enqueue(queue(), job("a").build());
        storage().enqueue(queue(), job("b").build());
        storage().setLimits(queue(), QueueLimits.NONE.withRate(1, Duration.ofSeconds(2)));
        claimOne();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage().claim(queue(), "w2", 1, LEASE, Duration.ofSeconds(60));
            });
            awaitParked(claimer::get);
            assertFalse(waiting.isDone() && !waiting.get().isEmpty(), "the held claim took a job beyond the rate");
            clock().advance(Duration.ofSeconds(2));
            assertEquals(List.of("b"), ids(waiting.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Lowering maxRunning below the number of running jobs stops nothing: they extend and finish
     * as usual; new claims wait until the running count is below the new limit.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void limits_loweringStopsNothingRunning() throws Exception {
        for (int i = 0; i < 6; i++) {
            storage().enqueue(queue(), job("j" + i).build());
        }
        List<ClaimedJob> running = claimNow(4);
        assertEquals(4, running.size());
        storage().setLimits(queue(), QueueLimits.NONE.withMaxRunning(1));
        assertEquals(List.of(), storage().extend(queue(), leases(running), LEASE));
        assertEquals(List.of(), claimNow(10));
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(running.get(0)), bytes("r"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().fail(queue(), lease(running.get(1)), error("e"), null));
        assertEquals(TransitionOutcome.APPLIED, storage().release(queue(), lease(running.get(2))));
        assertEquals(List.of(), claimNow(10), "one still runs");
        assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(running.get(3)), bytes("r"), null));
        assertEquals(1, claimNow(10).size(), "below maxRunning again");
        storage().setLimits(queue(), QueueLimits.NONE);
        assertEquals(2, claimNow(10).size(), "NONE lifts the limits");
    }

    /**
     * Limits are per queue: another queue of the same storage claims without limit.
     *
     * @throws Exception when a storage call fails unexpectedly, failing the test
     */
    @Test
    default void limits_otherQueuesAreUnaffected() throws Exception {
        String other = queue() + "-other";
        for (int i = 0; i < 5; i++) {
            storage().enqueue(queue(), job("j" + i).build());
            storage().enqueue(other, job("j" + i).build());
        }
        storage().setLimits(queue(), QueueLimits.NONE.withMaxRunning(1).withRate(2, Duration.ofHours(1)));
        assertEquals(1, claimNow(10).size());
        assertEquals(5, storage().claim(other, "w", 10, LEASE, Duration.ZERO).size());
        assertEquals(CancelResult.CANCELLED, storage().cancel(queue(), "j0"));
        assertEquals(1, claimNow(10).size(), "the rate still has one slot");
        assertEquals(0, claimNow(10).size());
    }

    /** Completes every claim; returns how many there were. */
    private int completeAll(List<ClaimedJob> claimed) {
        for (ClaimedJob c : claimed) {
            assertEquals(TransitionOutcome.APPLIED, storage().complete(queue(), lease(c), bytes("r"), null));
        }
        return claimed.size();
    }
}
