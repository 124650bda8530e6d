package dev.jobqueue.file;

import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How long callers wait while the storage compacts: {@code live} jobs in the index (so each
 * snapshot has real size), 32 threads doing durable FSYNC_EACH enqueues, and a thread calling
 * {@code compact()} every 300 ms. Prints the enqueue latency percentiles and the number of
 * compactions. Not a unit test; run by hand like {@link DurableEnqueueBenchmark}:
 *
 * <pre>
 * java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.jobqueue.file.CompactionPauseBenchmark [live] [calls]
 * </pre>
 */
public final class CompactionPauseBenchmark {
    private CompactionPauseBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int live = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int threads = 32;
        Path dir = TempDirs.create("pause-bench");
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try (FileStorage storage = FileStorage.open(dir)) {
            for (int from = 0; from < live; from += 1_000) {
                List<NewJob> batch = new ArrayList<>();
                for (int i = from; i < Math.min(live, from + 1_000); i++) {
                    batch.add(job("live-" + i));
                }
                storage.enqueueBatch("bench", batch);
            }
            AtomicBoolean running = new AtomicBoolean(true);
            int[] compactions = {0};
            Future<?> compactor = pool.submit(() -> {
                while (running.get()) {
                    try {
                        Thread.sleep(300);
                    } catch (InterruptedException e) {
                        return;
                    }
                    storage.compact();
                    compactions[0]++;
                }
            });
            long[] latencies = new long[calls];
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < calls; i += threads) {
                        long t0 = System.nanoTime();
                        storage.enqueue("bench", job("call-" + i));
                        latencies[i] = System.nanoTime() - t0;
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            running.set(false);
            compactor.get();
            Arrays.sort(latencies);
            System.out.printf("%d live jobs, %d enqueues from %d threads with compact() every 300 ms: %.0f jobs/s, "
                            + "%d compactions, latency p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms%n",
                    live, calls, threads, calls / seconds, compactions[0], ms(latencies, 0.50), ms(latencies, 0.99),
                    ms(latencies, 0.999), latencies[calls - 1] / 1e6);
        } finally {
            pool.shutdown();
            TempDirs.delete(dir);
        }
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[(int) Math.min(sorted.length - 1, Math.round(quantile * sorted.length))] / 1e6;
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[100], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
