package dev.jobqueue.benchmarks;

import dev.jobqueue.EnqueueRequest;
import dev.jobqueue.Queue;
import dev.jobqueue.QueueListener;
import dev.jobqueue.memory.MemoryStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Throughput of no-op jobs through a {@link Queue} on {@link MemoryStorage} at concurrency 4,
 * next to the same number of no-op tasks on a plain {@code ThreadPoolExecutor(4)} in the same
 * JVM run: the cost of what the queue adds (dedup record, lease, fencing, serde, result record)
 * over bare task hand-off. Prints one JSON line.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am test-compile exec:java -Dexec.mainClass=dev.jobqueue.benchmarks.MemoryVsExecutor -Dexec.args="--n=1000000"
 * </pre>
 *
 * <p>Each side runs a warm-up of n/10 first, then {@code --rounds} (default 3) interleaved rounds;
 * the medians are reported. The queue side is end to end: one producer enqueues in batches of
 * 1,000 while the workers run, and the clock stops when the last job completed. Completed
 * records are kept (result TTL 10 minutes), as a real queue keeps them.
 */
public final class MemoryVsExecutor {
    private static final int CONCURRENCY = 4;
    private static final int BATCH = 1_000;

    private MemoryVsExecutor() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        int rounds = 3;
        for (String a : args) {
            if (a.startsWith("--n=")) {
                n = Integer.parseInt(a.substring(4));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else {
                throw new IllegalArgumentException("unknown argument " + a + " (expected --n=<jobs> --rounds=<r>)");
            }
        }
        runQueue(Math.max(1, n / 10), "warmup-");
        runExecutor(Math.max(1, n / 10));
        // Interleaved rounds, medians reported: the machine is shared, single runs are noisy.
        double[] queue = new double[rounds];
        double[] executor = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            queue[r] = runQueue(n, "round" + r + "-");
            executor[r] = runExecutor(n);
        }
        double queuePerSecond = median(queue);
        double executorPerSecond = median(executor);
        System.out.println(String.format(Locale.ROOT,
                "{\"benchmark\":\"memory_vs_executor\",\"n\":%d,\"concurrency\":%d,\"rounds\":%d,"
                        + "\"queue_jobs_per_s\":%.0f,\"executor_tasks_per_s\":%.0f,\"ratio\":%.4f,"
                        + "\"queue_rounds\":%s,\"executor_rounds\":%s,\"java\":\"%s\",\"cpus\":%d}",
                n, CONCURRENCY, rounds, queuePerSecond, executorPerSecond, queuePerSecond / executorPerSecond,
                Arrays.toString(Arrays.stream(queue).mapToLong(Math::round).toArray()).replace(" ", ""),
                Arrays.toString(Arrays.stream(executor).mapToLong(Math::round).toArray()).replace(" ", ""),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double runQueue(int n, String idPrefix) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        try (MemoryStorage storage = new MemoryStorage();
             Queue<String, String> queue = Queue.builder(storage, String.class, String.class)
                     .name("bench")
                     .concurrency(CONCURRENCY)
                     .resultTtl(Duration.ofMinutes(10))
                     .listener(new QueueListener() {
                         @Override
                         public void completed(String jobId, int attempt) {
                             done.countDown();
                         }
                     })
                     .handler(job -> null)
                     .build()) {
            queue.start();
            long start = System.nanoTime();
            List<EnqueueRequest<String>> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < n; i++) {
                batch.add(EnqueueRequest.of(idPrefix + i, "x"));
                if (batch.size() == BATCH || i == n - 1) {
                    queue.enqueueAll(batch);
                    batch = new ArrayList<>(BATCH);
                }
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("queue run did not finish: " + done.getCount() + " jobs left");
            }
            long nanos = System.nanoTime() - start;
            return n / (nanos / 1e9);
        }
    }

    static double runExecutor(int n) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(n);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(CONCURRENCY, CONCURRENCY, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>());
        try {
            pool.prestartAllCoreThreads();
            long start = System.nanoTime();
            Runnable noOp = done::countDown;
            for (int i = 0; i < n; i++) {
                pool.execute(noOp);
            }
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("executor run did not finish");
            }
            long nanos = System.nanoTime() - start;
            return n / (nanos / 1e9);
        } finally {
            pool.shutdown();
        }
    }
}
