package dev.jobqueue.examples;

import dev.jobqueue.JobFailedException;
import dev.jobqueue.Queue;
import dev.jobqueue.redis.RedisStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Request/response over Redis: callers enqueue a job and wait for its result, pushed back by one
 * shared pub/sub subscription. Worker and caller share a process here for brevity; in production
 * the worker part runs elsewhere (see {@link RedisWorker}) and this code is all a caller needs.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.RedisRequestResponse
 * </pre>
 */
public final class RedisRequestResponse {
    private RedisRequestResponse() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisStorage storage = RedisExamples.storage();
             Queue<Integer, Integer> squares = Queue.builder(storage, Integer.class, Integer.class)
                     .name("squares")
                     .concurrency(4)
                     .maxAttempts(1)
                     .resultTtl(Duration.ofMinutes(5))
                     .handler(job -> {
                         if (job.payload() < 0) {
                             throw new IllegalArgumentException("no squares of negative numbers today");
                         }
                         return job.payload() * job.payload();
                     })
                     .build()) {
            squares.start();
            long run = System.currentTimeMillis();

            int nine = squares.enqueueAndWait("square-3-" + run, 3, Duration.ofSeconds(5));
            System.out.println("3 squared = " + nine);

            List<CompletableFuture<Integer>> many = new ArrayList<>();
            for (int i = 1; i <= 20; i++) {
                many.add(squares.submit("square-" + i + "-" + run, i));
            }
            StringBuilder line = new StringBuilder("1..20 squared =");
            for (CompletableFuture<Integer> f : many) {
                line.append(' ').append(f.get());
            }
            System.out.println(line);

            try {
                squares.enqueueAndWait("square-minus-1-" + run, -1, Duration.ofSeconds(5));
            } catch (JobFailedException e) {
                System.out.println("-1 failed as expected: " + e.error().type() + ": " + e.error().message());
            }
        }
    }
}
