package dev.jobqueue.memory;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * MemoryStorage's flow control on the real system clock (the contract runs it on a ManualClock):
 * held-back claims wake by their own timer when a throttle ends or the rate window frees a slot,
 * and the window holds exactly, judged by the claims' claimedAt.
 */
class MemoryFlowControlTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final long PATIENCE_SECONDS = 30;

    private final Storage storage = CheckedStorage.of(new MemoryStorage(Clock.systemUTC()));

    @AfterEach
    void close() {
        storage.close();
    }

    @Test
    void aClaimWaitingThroughAThrottleTakesTheJobWhenItEnds() throws Exception {
        storage.enqueue("q", job("a").build());
        Instant end = storage.throttle("q", Duration.ofMillis(300));
        List<ClaimedJob> got = storage.claim("q", "w", 1, LEASE, Duration.ofSeconds(PATIENCE_SECONDS));
        assertEquals(1, got.size(), "the claim must take the job once the throttle ended, before its maxWait");
        assertTrue(!got.get(0).claimedAt().isBefore(end), "claimed at " + got.get(0).claimedAt() + " before the end " + end);
    }

    @Test
    void aClaimHeldBackByTheRateTakesTheNextJobWhenTheWindowFrees() throws Exception {
        storage.enqueue("q", job("a").build());
        storage.enqueue("q", job("b").build());
        storage.setLimits("q", QueueLimits.NONE.withRate(1, Duration.ofMillis(400)));
        ClaimedJob first = storage.claim("q", "w", 2, LEASE, Duration.ZERO).get(0);
        List<ClaimedJob> got = storage.claim("q", "w", 2, LEASE, Duration.ofSeconds(PATIENCE_SECONDS));
        assertEquals(1, got.size());
        assertTrue(Duration.between(first.claimedAt(), got.get(0).claimedAt()).toMillis() >= 400,
                "the second claim came " + Duration.between(first.claimedAt(), got.get(0).claimedAt()) + " after the first");
    }

    @Test
    void theRateWindowHoldsAcrossConcurrentClaimersOnTheSystemClock() throws Exception {
        int rate = 3;
        Duration period = Duration.ofMillis(200);
        for (int i = 0; i < 200; i++) {
            storage.enqueue("q", job("j" + i).build());
        }
        storage.setLimits("q", QueueLimits.NONE.withRate(rate, period));
        List<Instant> claimedAt = new CopyOnWriteArrayList<>();
        long stopAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_200);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                String worker = "w" + w;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < stopAt) {
                        for (ClaimedJob c : storage.claim("q", worker, 2, LEASE, Duration.ofMillis(50))) {
                            claimedAt.add(c.claimedAt());
                            assertEquals(TransitionOutcome.APPLIED,
                                    storage.complete("q", new LeaseRef(c.id(), c.fencingToken()), new byte[0], null));
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : workers) {
                f.get(PATIENCE_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Instant> times = new ArrayList<>(claimedAt);
        Collections.sort(times);
        for (int i = 0; i + rate < times.size(); i++) {
            assertTrue(Duration.between(times.get(i), times.get(i + rate)).compareTo(period) >= 0,
                    (rate + 1) + " claims within one window from " + times.get(i) + ": " + times);
        }
        assertTrue(times.size() >= 2 * rate, "the rate must let claims through: " + times);
    }
}
