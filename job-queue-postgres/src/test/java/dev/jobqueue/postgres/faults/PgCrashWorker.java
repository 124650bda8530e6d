package dev.jobqueue.postgres.faults;

import dev.jobqueue.Queue;
import dev.jobqueue.contract.ChildJvm;
import dev.jobqueue.postgres.PostgresStorage;
import java.io.FileOutputStream;
import java.time.Duration;

/**
 * Child JVM of {@link PostgresWorkerCrashTest}: a worker with its own {@link PostgresStorage} that
 * logs every run of a job, before completing it, to its own file (a plain write, so a SIGKILL cannot
 * lose a line already written). Args: jdbcUrl schema queue workerId runLogFile.
 */
public final class PgCrashWorker {
    private PgCrashWorker() {
    }

    public static void main(String[] args) throws Exception {
        try (PostgresStorage storage = PostgresStorage.builder().jdbcUrl(args[0]).schema(args[1]).build();
             FileOutputStream runs = new FileOutputStream(args[4], true)) {
            Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                    .name(args[2]).workerId(args[3]).concurrency(8)
                    .visibilityTimeout(Duration.ofSeconds(3)).maxStalls(20).maxAttempts(3)
                    .handler(job -> {
                        ChildJvm.appendLine(runs, job.id());
                        Thread.sleep(2); // a little work, so that a kill finds jobs in flight
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
