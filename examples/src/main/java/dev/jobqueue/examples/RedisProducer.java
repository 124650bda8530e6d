package dev.jobqueue.examples;

import dev.jobqueue.EnqueueOptions;
import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.Queue;
import dev.jobqueue.redis.RedisStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A producer-only process: it enqueues e-mail jobs into Redis and exits. Any number of
 * {@link RedisWorker} processes, on any host, run them. Run it twice: the second run finds the
 * same ids and reports duplicates (or cached results) instead of creating new jobs.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.RedisProducer
 * </pre>
 */
public final class RedisProducer {
    private RedisProducer() {
    }

    public static void main(String[] args) {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (RedisStorage storage = RedisExamples.storage();
             Queue<EmailJob, String> queue = Queue.builder(storage, EmailJob.class, String.class)
                     .name(RedisExamples.QUEUE).build()) {
            List<EnqueueRequest<EmailJob>> batch = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                batch.add(EnqueueRequest.of("welcome-" + i, new EmailJob("user" + i + "@example.com", "Welcome #" + i)));
            }
            // one storage call for the whole batch
            for (EnqueueResult<String> r : queue.enqueueAll(batch)) {
                System.out.println(r.id() + " -> " + r.kind() + (r.kind() == EnqueueResult.Kind.COMPLETED ? " (" + r.result() + ")" : ""));
            }
            EnqueueResult<String> later = queue.enqueue("reminder-1", new EmailJob("user1@example.com", "Reminder"),
                    EnqueueOptions.builder().delay(Duration.ofSeconds(5)).build());
            System.out.println("reminder-1 -> " + later.kind()
                    + (later.kind() == EnqueueResult.Kind.QUEUED ? ", " + later.state() + " for 5 s" : ", " + later.state()));
            System.out.println("counts: " + queue.counts());
        }
    }
}
