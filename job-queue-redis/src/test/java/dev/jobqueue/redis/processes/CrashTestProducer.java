package dev.jobqueue.redis.processes;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.EnqueueResult;
import dev.jobqueue.Queue;
import dev.jobqueue.redis.RedisStorage;
import java.util.ArrayList;
import java.util.List;

/** Child JVM of the crash test: a producer-only process enqueuing job-0..job-(n-1) in batches. Args: redisUrl keyPrefix queue n. */
public final class CrashTestProducer {
    private CrashTestProducer() {
    }

    public static void main(String[] args) {
        int n = Integer.parseInt(args[3]);
        try (RedisStorage storage = RedisStorage.builder().uri(args[0]).keyPrefix(args[1]).build()) {
            Queue<String, String> queue = Queue.builder(storage, String.class, String.class).name(args[2]).build();
            for (int from = 0; from < n; from += 500) {
                List<EnqueueRequest<String>> batch = new ArrayList<>();
                for (int i = from; i < Math.min(n, from + 500); i++) {
                    batch.add(EnqueueRequest.of("job-" + i, "payload " + i));
                }
                queue.enqueueAll(batch).forEach(r -> {
                    if (r.kind() != EnqueueResult.Kind.QUEUED) {
                        throw new IllegalStateException("not queued: " + r);
                    }
                });
            }
            System.out.println("produced " + n);
        }
    }
}
