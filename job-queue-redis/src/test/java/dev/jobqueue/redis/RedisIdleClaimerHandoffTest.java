package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enqueue claims for an idle claimer of the same process in its own pipeline: the claimer gets
 * the job without a claim round trip of its own, and no race between a claimer's wait ending and
 * an enqueue claiming for it leaves a claimed job without a holder.
 */
class RedisIdleClaimerHandoffTest {
    private static final Duration LEASE = Duration.ofSeconds(60);

    @Test
    void anIdleClaimerGetsTheJobAnEnqueueClaimedForIt(@TempDir Path dir) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("h").build()) {
            Future<List<ClaimedJob>> claim = pool.submit(() -> storage.claim("q", "idle-worker", 4, LEASE, Duration.ofSeconds(30)));
            awaitCondition(() -> storage.idleClaimers("q") == 1, "the claimer waits");

            storage.enqueue("q", TestJobs.job("a").build());

            List<ClaimedJob> jobs = claim.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("a"), jobs.stream().map(ClaimedJob::id).toList());
            assertEquals(JobState.PROCESSING, storage.status("q", "a").orElseThrow().state());
            assertEquals("idle-worker", storage.status("q", "a").orElseThrow().workerId());
            assertEquals(0, storage.idleClaimers("q"));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void claimersWhoseWaitsEndAtRandomLoseNoJobToAnEnqueueClaimingForThem(@TempDir Path dir) throws Exception {
        int producers = 4;
        int perProducer = 400;
        int total = producers * perProducer;
        ExecutorService pool = Executors.newFixedThreadPool(producers + 4);
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("h").build()) {
            Map<String, Integer> claimedTimes = new ConcurrentHashMap<>();
            AtomicInteger claimedCount = new AtomicInteger();
            List<Future<?>> tasks = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                String worker = "w" + c;
                tasks.add(pool.submit(() -> {
                    while (claimedCount.get() < total) {
                        // waits of 0-3 ms: many end just as an enqueue reserves the claimer
                        Duration wait = Duration.ofMillis(ThreadLocalRandom.current().nextInt(4));
                        for (ClaimedJob j : storage.claim("q", worker, 3, LEASE, wait)) {
                            claimedTimes.merge(j.id(), 1, Integer::sum);
                            claimedCount.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (int p = 0; p < producers; p++) {
                int producer = p;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        storage.enqueue("q", TestJobs.job("p" + producer + "-" + i).build());
                    }
                    return null;
                }));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (Future<?> t : tasks) {
                t.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }

            assertEquals(total, claimedTimes.size(), "every job claimed");
            assertTrue(claimedTimes.values().stream().allMatch(n -> n == 1), "no job claimed twice");
            Map<JobState, Long> counts = storage.counts("q");
            assertEquals(total, counts.get(JobState.PROCESSING), "every PROCESSING job has a holder: " + counts);
            assertEquals(0L, counts.get(JobState.QUEUED));
            assertEquals(Set.of(), Set.copyOf(storage.list("q", JobState.QUEUED, 10)));
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitCondition(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }
}
