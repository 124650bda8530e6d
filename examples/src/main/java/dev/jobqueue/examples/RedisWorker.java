package dev.jobqueue.examples;

import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.Reaper;
import dev.jobqueue.ReaperListener;
import dev.jobqueue.redis.RedisStorage;
import dev.jobqueue.spi.StalledJob;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A worker process: it runs the e-mail jobs {@link RedisProducer} enqueued, and a Reaper with
 * leader election, so that when several workers run, one of them recovers the jobs of a worker
 * that died. Stop it with Ctrl-C (graceful: in-flight jobs finish, the rest go back to the queue);
 * or give it a number of seconds to run.
 *
 * <pre>
 * REDIS_URL=redis://127.0.0.1:6379 mvn -B -q -pl examples -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.examples.RedisWorker -Dexec.args=15
 * </pre>
 */
public final class RedisWorker {
    private RedisWorker() {
    }

    public static void main(String[] args) throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
        try (RedisStorage storage = RedisExamples.storage();
             Queue<EmailJob, String> queue = Queue.builder(storage, EmailJob.class, String.class)
                     .name(RedisExamples.QUEUE)
                     .concurrency(8)
                     .maxAttempts(3)
                     .visibilityTimeout(Duration.ofSeconds(30))
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
            if (args.length > 0) {
                stop.await(Long.parseLong(args[0]), java.util.concurrent.TimeUnit.SECONDS);
            } else {
                stop.await();
            }
            System.out.println("stopping; counts: " + queue.counts());
        }
    }
}
