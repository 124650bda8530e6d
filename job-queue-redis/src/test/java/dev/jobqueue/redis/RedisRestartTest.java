package dev.jobqueue.redis;

import static dev.jobqueue.redis.RedisConnectionDropTest.awaitCondition;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.TestJobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test's own redis-server (AOF, fsync always) is SIGKILLed and restarted while a producer
 * enqueues and workers process: the queue recovers by itself and no acknowledged enqueue is lost.
 */
class RedisRestartTest {
    private static final int JOBS = 2000;

    @Test
    void killAndRestartRedisDuringProcessingLosesNoAcknowledgedJob(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir, "--appendonly", "yes", "--appendfsync", "always");
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("restart").build()) {
            List<String> acknowledged = new ArrayList<>();
            try (WorkerLoops loops = new WorkerLoops(storage, "q", 4, Duration.ofSeconds(2))) {
                Thread restarter = null;
                for (int i = 0; i < JOBS; i++) {
                    String id = "job-" + i;
                    assertTrue(storage.enqueue("q", TestJobs.job(id).build()).created(), id);
                    acknowledged.add(id);
                    if (i == JOBS / 3) {
                        redis.kill();
                        // restarted from another thread while this producer's next enqueue is retrying
                        restarter = new Thread(() -> {
                            try {
                                Thread.sleep(700); // Redis stays down for a while
                            } catch (InterruptedException e) {
                                return;
                            }
                            redis.restart();
                        });
                        restarter.start();
                    }
                }
                restarter.join();
                awaitCondition(() -> storage.counts("q").get(JobState.COMPLETED) == JOBS, "all jobs completed");
                assertTrue(loops.allAlive(), "every worker and reaper thread is alive");
                assertEquals(List.of(), List.copyOf(loops.errors), "no error surfaced to the callers");
            }
            for (String id : acknowledged) {
                assertEquals(JobState.COMPLETED, storage.status("q", id).orElseThrow().state(), id);
            }
        }
    }
}
