package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobError;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.FinishedTotals;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * queueNames and finishedTotals on a private redis-server: the registry set is written once per
 * queue name per instance (the hot path pays nothing after the first enqueue), other instances see
 * every registered queue, stale names are kept in the registry but not listed, and the totals cost
 * one HINCRBY per finishing script run (not per job). Prints the measured costs (the README
 * quotes them).
 */
class RedisOperatorReadsTest {
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Test
    void registryIsWrittenOncePerQueueAndSeenByOtherInstances(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage first = RedisStorage.builder().uri(redis.url()).keyPrefix("reg").build();
             RedisStorage second = RedisStorage.builder().uri(redis.url()).keyPrefix("reg").build();
             RedisStorage otherApp = RedisStorage.builder().uri(redis.url()).keyPrefix("other").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port());
             Jedis jedis = new Jedis("127.0.0.1", redis.port())) {
            first.status("warm", "x");
            first.counts("warm");
            first.enqueue("warm", TestJobs.job("w").build()); // loads the registry and enqueue scripts
            costs.take();
            first.enqueue("emails", TestJobs.job("e1").build());
            Map<String, Long> firstEnqueue = costs.take();
            first.enqueue("emails", TestJobs.job("e2").build());
            Map<String, Long> secondEnqueue = costs.take();
            assertEquals(1L, firstEnqueue.getOrDefault("sadd", 0L), firstEnqueue.toString());
            assertEquals(0L, secondEnqueue.getOrDefault("sadd", 0L), "registered once per instance: " + secondEnqueue);
            assertEquals(RedisCommandCosts.scriptCalls(firstEnqueue) - 1, RedisCommandCosts.scriptCalls(secondEnqueue));
            report("first enqueue to a queue (this instance)", firstEnqueue);
            report("later enqueue", secondEnqueue);

            first.enqueueAsync("async:{odd}/ü", TestJobs.job("a1").build()).get();
            second.setPaused("paused-only", true);
            assertEquals(List.of("async:{odd}/ü", "emails", "paused-only", "warm"), second.queueNames());
            assertEquals(List.of(), otherApp.queueNames(), "another prefix is another storage");

            first.deleteJob("warm", "w");
            costs.take();
            List<String> names = first.queueNames();
            Map<String, Long> listing = costs.take();
            assertEquals(List.of("async:{odd}/ü", "emails", "paused-only"), names, "a queue emptied is not listed");
            assertTrue(jedis.sismember("reg:queues", "warm"), "but its name stays registered");
            report("queueNames (4 registered names, 3 live)", listing);
            assertEquals(1 + 4, RedisCommandCosts.scriptCalls(listing));

            first.enqueue("warm", TestJobs.job("again").build());
            assertTrue(second.queueNames().contains("warm"), "listed again once it has a job");
        }
    }

    @Test
    void totalsCostOneIncrementPerFinishingScriptRun(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("tot").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            String q = "q";
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 102; i++) {
                jobs.add(TestJobs.job("j" + i).maxStalls(0).build());
            }
            storage.enqueueBatch(q, jobs);
            assertEquals(FinishedTotals.NONE, storage.finishedTotals(q));
            List<ClaimedJob> claimed = storage.claim(q, "w", 102, LEASE, Duration.ZERO);
            assertEquals(102, claimed.size());
            costs.take();
            List<Completion> done = new ArrayList<>();
            for (ClaimedJob c : claimed.subList(0, 100)) {
                done.add(new Completion(new LeaseRef(c.id(), c.fencingToken()), new byte[] {1}, null));
            }
            storage.completeAll(q, done);
            Map<String, Long> completeAll = costs.take();
            assertEquals(1L, completeAll.get("hincrby"), "one HINCRBY for 100 completions: " + completeAll);
            ClaimedJob failing = claimed.get(100);
            storage.fail(q, new LeaseRef(failing.id(), failing.fencingToken()),
                    new JobError("T", "m", null, null, 1, Instant.now()), null);
            Map<String, Long> fail = costs.take();
            assertEquals(1L, fail.get("hincrby"), fail.toString());
            storage.finishedTotals(q);
            Map<String, Long> read = costs.take();
            assertEquals(1, RedisCommandCosts.scriptCalls(read));
            assertEquals(new FinishedTotals(100, 1), storage.finishedTotals(q));
            report("completeAll of 100 (with the totals' HINCRBY)", completeAll);
            report("fail (with the totals' HINCRBY)", fail);
            report("finishedTotals", read);
        }
    }

    private static void report(String what, Map<String, Long> delta) {
        System.out.printf("%s: %d script call(s), %d commands in Redis; %s%n", what, RedisCommandCosts.scriptCalls(delta),
                RedisCommandCosts.commands(delta), new TreeMap<>(delta));
    }
}
