package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.EnqueueOutcome;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.StalledJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Many threads at once: one winner per id, each job claimed once, exact counts, cancel against
 * claim and complete against the reaper never both win, waiting claimers lose nothing.
 *
 * <!-- snippet: concurrency-contract -->
 * <pre>{@code
 * // sixteen threads enqueue "same": exactly one is told created
 * }</pre>
 *
 * <p>Part of {@link StorageContract}; runs on any {@link StorageFixture}.
 */
public interface ConcurrencyContract extends StorageFixture {
    // ---------------------------------------------------------------- concurrency

    /**
     * Concurrency: sixteen threads enqueue the same id, exactly one job is created.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_sixteenThreadsEnqueueTheSameIdExactlyOneIsCreated() throws Exception {
        int threads = 16;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<EnqueueOutcome>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String payload = "from-" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    return storage().enqueue(queue(), job("contended").payload(payload).build());
                }));
            }
            start.countDown();
            int created = 0;
            for (Future<EnqueueOutcome> f : futures) {
                if (f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).created()) {
                    created++;
                }
            }
            assertEquals(1, created);
            assertEquals(1L, storage().counts(queue()).get(JobState.QUEUED));
            assertEquals(1, claimNow(10).size());
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Concurrency: eight threads claim every job exactly once.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_eightThreadsClaimEveryJobExactlyOnce() throws Exception {
        int jobs = 1_000;
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            batch.add(job("job-" + i).build());
        }
        storage().enqueueBatch(queue(), batch);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    start.await();
                    List<String> mine = new ArrayList<>();
                    while (true) {
                        List<ClaimedJob> got = storage().claim(queue(), worker, 7, LEASE, Duration.ZERO);
                        if (got.isEmpty()) {
                            return mine;
                        }
                        for (ClaimedJob c : got) {
                            mine.add(c.id());
                            assertEquals(TransitionOutcome.APPLIED,
                                    storage().complete(queue(), lease(c), bytes(worker), null));
                        }
                    }
                }));
            }
            start.countDown();
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS));
            }
            assertEquals(jobs, all.size());
            assertEquals(jobs, new HashSet<>(all).size());
            assertEquals((long) jobs, storage().counts(queue()).get(JobState.COMPLETED));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Concurrency: claims and transitions from many threads keep counts exact.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_claimsAndTransitionsFromManyThreadsKeepCountsExact() throws Exception {
        int jobs = 400;
        for (int i = 0; i < jobs; i++) {
            storage().enqueue(queue(), job("m" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger completed = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    List<ClaimedJob> got;
                    while (!(got = storage().claim(queue(), worker, 3, LEASE, Duration.ZERO)).isEmpty()) {
                        for (ClaimedJob c : got) {
                            // Every job is released once, then completed on its second attempt.
                            if (c.attempt() == 1) {
                                storage().release(queue(), lease(c));
                            } else {
                                storage().complete(queue(), lease(c), bytes("ok"), null);
                                completed.incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(jobs, completed.get());
        Map<JobState, Long> counts = storage().counts(queue());
        assertEquals((long) jobs, counts.get(JobState.COMPLETED));
        assertEquals(0L, counts.get(JobState.QUEUED));
        assertEquals(0L, counts.get(JobState.PROCESSING));
    }

    /**
     * Concurrency: {@code cancel} racing claims cancels every job, whether the claim or the cancel
     * came first; no job is claimed twice and every claim of a cancelled job is fenced.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_cancelRacingClaimsCancelsEveryJobAndFencesItsClaim() throws Exception {
        int jobs = 500;
        for (int i = 0; i < jobs; i++) {
            storage().enqueue(queue(), job("r" + i).build());
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<List<CancelResult>> cancelled = pool.submit(() -> {
                start.await();
                List<CancelResult> results = new ArrayList<>();
                for (int i = jobs - 1; i >= 0; i--) {
                    results.add(storage().cancel(queue(), "r" + i));
                }
                return results;
            });
            List<Future<List<ClaimedJob>>> claimers = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                claimers.add(pool.submit(() -> {
                    start.await();
                    List<ClaimedJob> won = new ArrayList<>();
                    List<ClaimedJob> got;
                    while (!(got = storage().claim(queue(), "w", 5, LEASE, Duration.ZERO)).isEmpty()) {
                        won.addAll(got);
                    }
                    return won;
                }));
            }
            start.countDown();
            List<CancelResult> results = cancelled.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertEquals(List.of(CancelResult.CANCELLED), results.stream().distinct().toList(),
                    "every job is cancelled, waiting or running");
            Set<String> claimWins = new HashSet<>();
            List<ClaimedJob> claims = new ArrayList<>();
            for (Future<List<ClaimedJob>> f : claimers) {
                for (ClaimedJob c : f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)) {
                    assertTrue(claimWins.add(c.id()), "a job was claimed twice: " + c.id());
                    claims.add(c);
                }
            }
            assertEquals(List.of(), claimNow(jobs), "nothing is left to claim");
            for (ClaimedJob c : claims) {
                assertEquals(TransitionOutcome.LEASE_LOST, storage().complete(queue(), lease(c), bytes("late"), null),
                        c.id() + " was cancelled while it ran");
            }
            for (int i = 0; i < jobs; i++) {
                assertEquals(JobState.CANCELLED, state("r" + i), "r" + i);
            }
            Map<JobState, Long> counts = storage().counts(queue());
            assertEquals((long) jobs, counts.get(JobState.CANCELLED));
            assertEquals(0L, counts.get(JobState.PROCESSING));
            clock().advance(LEASE);
            assertEquals(List.of(), storage().requeueExpired(queue(), jobs), "cancelled claims are never reaped");
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Concurrency: {@code complete} racing the reaper, exactly one wins.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_completeRacingTheReaperExactlyOneWins() throws Exception {
        int jobs = 300;
        for (int i = 0; i < jobs; i++) {
            storage().enqueue(queue(), job("k" + i).maxStalls(5).build());
        }
        List<ClaimedJob> claimed = new ArrayList<>();
        List<ClaimedJob> got;
        while (!(got = claimNow(50)).isEmpty()) {
            claimed.addAll(got);
        }
        assertEquals(jobs, claimed.size());
        clock().advance(LEASE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Future<Set<String>> completer = pool.submit(() -> {
                start.await();
                Set<String> won = new HashSet<>();
                for (ClaimedJob c : claimed) {
                    if (storage().complete(queue(), lease(c), bytes("r"), null) == TransitionOutcome.APPLIED) {
                        won.add(c.id());
                    }
                }
                return won;
            });
            Future<Set<String>> reaper = pool.submit(() -> {
                start.await();
                Set<String> won = new HashSet<>();
                List<StalledJob> reaped;
                while (!(reaped = storage().requeueExpired(queue(), 7)).isEmpty()) {
                    reaped.forEach(r -> won.add(r.id()));
                }
                return won;
            });
            start.countDown();
            Set<String> completed = completer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            Set<String> reaped = reaper.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            reaped.addAll(storage().requeueExpired(queue(), jobs).stream().map(StalledJob::id).collect(Collectors.toList()));
            assertTrue(java.util.Collections.disjoint(completed, reaped), "a job was both completed and reaped");
            assertEquals(jobs, completed.size() + reaped.size());
            Map<JobState, Long> counts = storage().counts(queue());
            assertEquals((long) completed.size(), counts.get(JobState.COMPLETED));
            assertEquals((long) reaped.size(), counts.get(JobState.QUEUED));
            assertEquals(0L, counts.get(JobState.PROCESSING));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Concurrency: waiting claimers and a producer lose nothing.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void concurrency_waitingClaimersAndAProducerLoseNothing() throws Exception {
        int jobs = 2_000;
        int claimers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(claimers);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < claimers; t++) {
                String worker = "w" + t;
                futures.add(pool.submit(() -> {
                    while (seen.size() < jobs) {
                        for (ClaimedJob c : storage().claim(queue(), worker, 4, LEASE, Duration.ofMillis(200))) {
                            if (!seen.add(c.id())) {
                                duplicates.incrementAndGet();
                            }
                            storage().complete(queue(), lease(c), bytes("ok"), null);
                        }
                    }
                    return null;
                }));
            }
            for (int i = 0; i < jobs; i++) {
                storage().enqueue(queue(), job("p" + i).build());
            }
            for (Future<?> f : futures) {
                f.get(PATIENCE.toSeconds() * 2, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, duplicates.get());
        assertEquals(jobs, seen.size());
        assertEquals((long) jobs, storage().counts(queue()).get(JobState.COMPLETED));
    }
}
