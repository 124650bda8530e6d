package dev.jobqueue.redis.processes;

import dev.jobqueue.Queue;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.redis.RedisStorage;
import java.io.FileOutputStream;
import java.time.Duration;

/**
 * Child JVM of the multi-process crash test: a worker that logs every run of a job (before it
 * completes) to its own file. Args: redisUrl keyPrefix queue workerId runLogFile.
 */
public final class CrashTestWorker {
    private CrashTestWorker() {
    }

    public static void main(String[] args) throws Exception {
        try (RedisStorage storage = RedisStorage.builder().uri(args[0]).keyPrefix(args[1]).build();
             FileOutputStream runs = new FileOutputStream(args[4], true)) {
            Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                    .name(args[2]).workerId(args[3]).concurrency(16)
                    .visibilityTimeout(Duration.ofSeconds(5)).maxStalls(10).maxAttempts(3)
                    .handler(job -> {
                        ChildJvm.appendLine(runs, job.id());
                        Thread.sleep(1); // a little work, so that a kill finds jobs in flight
                        return "done " + job.payload();
                    })
                    .build();
            queue.start();
            System.out.println("worker " + args[3] + " started");
            ChildJvm.awaitStdinClosed();
            queue.close();
        }
    }
}
