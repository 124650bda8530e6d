package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the Redis commands per job of the hot path (enqueue, claim, complete) on the test's own
 * redis-server, one job at a time and in batches of 100, and prints them (the README quotes them).
 */
class RedisHotPathCostTest {
    private static final int JOBS = 1000;

    @Test
    void hotPathCommandsPerJob(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            storage.counts("warm-up"); // loads nothing but opens connections
            costs.take();
            for (int i = 0; i < JOBS; i++) {
                storage.enqueue("single", TestJobs.job("s-" + i).build());
                List<ClaimedJob> claimed = storage.claim("single", "w", 1, Duration.ofSeconds(30), Duration.ZERO);
                assertEquals(1, claimed.size());
                storage.complete("single", new LeaseRef(claimed.get(0).id(), claimed.get(0).fencingToken()), new byte[] {1}, null);
            }
            report("one job at a time", costs.take());
            for (int b = 0; b < JOBS / 100; b++) {
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    jobs.add(TestJobs.job("b-" + b + "-" + i).build());
                }
                storage.enqueueBatch("batch", jobs);
                List<ClaimedJob> claimed = storage.claim("batch", "w", 100, Duration.ofSeconds(30), Duration.ZERO);
                assertEquals(100, claimed.size());
                List<dev.jobqueue.spi.Completion> done = new ArrayList<>();
                for (ClaimedJob c : claimed) {
                    done.add(new dev.jobqueue.spi.Completion(new LeaseRef(c.id(), c.fencingToken()), new byte[] {1}, null));
                }
                storage.completeAll("batch", done);
            }
            report("batches of 100", costs.take());
        }
    }

    private static void report(String what, Map<String, Long> delta) {
        System.out.printf("hot path (%s, %d jobs): %.2f commands/job, %.3f script calls/job; %s%n", what, JOBS,
                RedisCommandCosts.commands(delta) / (double) JOBS, RedisCommandCosts.scriptCalls(delta) / (double) JOBS,
                new java.util.TreeMap<>(delta));
    }
}
