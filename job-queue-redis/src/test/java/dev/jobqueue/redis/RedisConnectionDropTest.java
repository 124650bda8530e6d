package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * An in-test TCP proxy between the storage and Redis cuts every connection several times while
 * producers, workers, a reaper and a terminal listener run: no acknowledged job is lost, no
 * thread dies, no error reaches the callers, and the subscription comes back.
 */
class RedisConnectionDropTest {
    private static final int JOBS = 3000;

    @Test
    void cuttingAllConnectionsRepeatedlyLosesNothing() throws Exception {
        URI redis = URI.create(RedisTestServer.url());
        String prefix = RedisTestServer.uniquePrefix();
        try (TcpProxy proxy = new TcpProxy(redis.getPort());
             RedisStorage storage = RedisStorage.builder().hostAndPort("127.0.0.1", proxy.port()).keyPrefix(prefix).build()) {
            Set<String> notified = ConcurrentHashMap.newKeySet();
            AtomicInteger resubscribed = new AtomicInteger();
            Subscription subscription = storage.subscribe("q", new TerminalListener() {
                @Override
                public void onTerminal(String jobId, JobSnapshot snapshot) {
                    notified.add(jobId);
                }

                @Override
                public void onResubscribed() {
                    resubscribed.incrementAndGet();
                }
            });
            int subscribesBefore = resubscribed.get();
            List<String> acknowledged = new ArrayList<>();
            try (WorkerLoops loops = new WorkerLoops(storage, "q", 4, Duration.ofSeconds(2))) {
                int cuts = 0;
                for (int i = 0; i < JOBS; i++) {
                    String id = "job-" + i;
                    // only some jobs ask for a notification, like enqueueAndWait callers
                    assertTrue(storage.enqueue("q", TestJobs.job(id).notifyOnTerminal(i % 10 == 0).build()).created(), id);
                    acknowledged.add(id);
                    if (i % 700 == 350) {
                        proxy.cutAll();
                        cuts++;
                    }
                }
                awaitCondition(() -> loops.completed.get() >= JOBS / 2, "half the jobs completed");
                proxy.cutAll();
                cuts++;
                awaitCondition(() -> storage.counts("q").get(JobState.COMPLETED) == JOBS, "all jobs completed");
                assertTrue(cuts >= 5);
                assertTrue(loops.allAlive(), "every worker and reaper thread is alive");
                assertEquals(List.of(), List.copyOf(loops.errors), "no error surfaced to the callers");
            }
            for (String id : acknowledged) {
                assertEquals(JobState.COMPLETED, storage.status("q", id).orElseThrow().state(), id);
            }
            awaitCondition(() -> resubscribed.get() > subscribesBefore, "the subscription came back after a cut");
            // notifications flow again after the cuts
            storage.enqueue("q", TestJobs.job("after-cuts").build());
            try (WorkerLoops loops = new WorkerLoops(storage, "q", 1, Duration.ofSeconds(2))) {
                awaitCondition(() -> notified.contains("after-cuts"), "a notification after the cuts");
                assertEquals(List.of(), List.copyOf(loops.errors));
            }
            subscription.close();
        } finally {
            RedisTestServer.deleteKeys(prefix);
        }
    }

    static void awaitCondition(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20); // polling a condition with a generous deadline
        }
    }
}
