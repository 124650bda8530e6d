package dev.jobqueue.examples;

import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Reaper;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.StalledJob;
import java.time.Duration;

/**
 * A worker process: it runs the e-mail jobs {@link RedisProducer} enqueued, and a Reaper with
 * leader election, so that when several workers run, one of them recovers the jobs of a worker
 * that died. Stop it with Ctrl-C or SIGTERM: the queue and the reaper close themselves on JVM
 * shutdown (their default {@code closeOnJvmShutdown(true)}), so in-flight jobs get the queue's
 * shutdownGrace to finish, the rest go back to the queue at once, and the reaper releases its
 * leader lock for another worker to take over. Or give it a number of seconds to run.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.RedisWorker -Dexec.args=15
 * </pre>
 */
public final class RedisWorker {
    private RedisWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        try (RedisStorage storage = RedisExamples.storage();
             Queue<EmailJob, String> queue = Queue.builder(storage, EmailJob.class, String.class)
                     .name(RedisExamples.QUEUE)
                     .concurrency(8)
                     .maxAttempts(3)
                     .visibilityTimeout(Duration.ofSeconds(30))
                     .shutdownGrace(Duration.ofSeconds(10)) // on Ctrl-C, running jobs get 10 s, then go back
                     .handler(job -> {
                         // a real handler would call the mail service; it is told the attempt and fencing token
                         return "sent '" + job.payload().subject() + "' to " + job.payload().to();
                     })
                     .listener(new QueueListener() {
                         @Override
                         public void completed(String jobId, int attempt) {
                             System.out.println("completed " + jobId + " (attempt " + attempt + ")");
                         }
                     })
                     .build();
             Reaper reaper = Reaper.builder(storage).name(RedisExamples.QUEUE).leaderElection(true)
                     .listener(new ReaperListener() {
                         @Override
                         public void leadershipAcquired(String reaperId) {
                             System.out.println("this process now recovers stalled jobs (" + reaperId + ")");
                         }

                         @Override
                         public void stalled(StalledJob job) {
                             System.out.println("recovered " + job.id() + " from dead worker " + job.workerId());
                         }
                     })
                     .build()) {
            queue.start();
            reaper.start();
            System.out.println("worker " + queue.workerId() + " running on queue '" + RedisExamples.QUEUE + "'"
                    + (args.length > 0 ? " for " + args[0] + " s" : "; Ctrl-C stops it"));
            if (args.length == 0) {
                // Until Ctrl-C: the shutdown hooks of the queue and the reaper stop them then. A hook
                // of our own that ended this wait would race them, closing the storage under them.
                Thread.sleep(Long.MAX_VALUE);
            } else {
                Thread.sleep(Duration.ofSeconds(Long.parseLong(args[0])).toMillis());
            }
            System.out.println("stopping; counts: " + queue.counts());
        }
    }
}
