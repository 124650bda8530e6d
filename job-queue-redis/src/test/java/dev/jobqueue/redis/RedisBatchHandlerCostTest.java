package dev.jobqueue.redis;

import static dev.jobqueue.contract.Eventually.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis script calls (round trips) per job of a worker with a batch handler against one with a
 * single-job handler, on the test's own redis-server (INFO commandstats), through the Queue: from
 * start until 1,000 queued jobs are completed. It prints both and checks that batches of 100 take
 * fewer round trips per job than single jobs.
 */
class RedisBatchHandlerCostTest {
    private static final int JOBS = 1000;

    @Test
    void aBatchHandlerNeedsFewerRoundTripsPerJob(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("jqtest-sched-cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            Map<String, Long> single = run(storage, costs, "single", b -> b.handler(job -> "ok"));
            Map<String, Long> batched = run(storage, costs, "batched", b -> b.batchHandler(batch ->
                    batch.jobs().forEach(job -> batch.complete(job, "ok")), 100, Duration.ofMillis(200)));
            double singleCalls = RedisCommandCosts.scriptCalls(single) / (double) JOBS;
            double batchCalls = RedisCommandCosts.scriptCalls(batched) / (double) JOBS;
            System.out.printf("single handler: %.3f script calls/job, %.2f commands/job; %s%n", singleCalls,
                    RedisCommandCosts.commands(single) / (double) JOBS, new TreeMap<>(single));
            System.out.printf("batch handler (100, 200 ms): %.3f script calls/job, %.2f commands/job; %s%n", batchCalls,
                    RedisCommandCosts.commands(batched) / (double) JOBS, new TreeMap<>(batched));
            assertTrue(batchCalls < singleCalls, batchCalls + " vs " + singleCalls);
        }
    }

    private static Map<String, Long> run(RedisStorage storage, RedisCommandCosts costs, String name,
                                         java.util.function.UnaryOperator<Queue.Builder<String, String>> handler) {
        Queue<String, String> producer = Queue.builder(storage, String.class, String.class).name(name).build();
        List<EnqueueRequest<String>> requests = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            requests.add(EnqueueRequest.of(name + "-" + i, "p"));
        }
        producer.enqueueAll(requests);
        costs.take();
        Queue<String, String> worker = handler.apply(Queue.builder(storage, String.class, String.class).name(name)
                .closeOnJvmShutdown(false)).build();
        worker.start();
        try {
            await("all completed", () -> producer.counts().get(JobState.COMPLETED) == JOBS);
        } finally {
            worker.stop(Duration.ofSeconds(5));
        }
        return costs.take();
    }
}
