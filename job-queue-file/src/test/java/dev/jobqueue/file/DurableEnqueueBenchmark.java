package dev.jobqueue.file;

import dev.jobqueue.spi.NewJob;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures the raw fsync rate of the disk under {@code target/} (4 KB write + force, one after the
 * other) and durable FSYNC_EACH enqueue throughput with 1 and with 64 concurrent producers, so the
 * group-commit gain reads as a ratio. Not a unit test; run it by hand:
 *
 * <pre>
 * mvn -B -q -pl job-queue-file -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd job-queue-file
 * java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.jobqueue.file.DurableEnqueueBenchmark [jobs] [rounds]
 * </pre>
 */
public final class DurableEnqueueBenchmark {
    private DurableEnqueueBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        enqueueRun(64, jobs / 4); // warm-up
        // Interleaved rounds: the disk is shared and noisy, so compare numbers of the same round.
        for (int round = 1; round <= rounds; round++) {
            double fsync = fsyncRate(1_000);
            double one = enqueueRun(1, Math.min(jobs, 2_000));
            double many = enqueueRun(64, jobs);
            System.out.printf("round %d: raw fsync %.0f ops/s | FSYNC_EACH enqueue: 1 producer %.0f jobs/s, "
                    + "64 producers %.0f jobs/s (%.1fx the raw fsync rate)%n", round, fsync, one, many, many / fsync);
        }
    }

    static double fsyncRate(int ops) throws Exception {
        Path dir = TempDirs.create("fsync");
        try (FileChannel ch = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocate(4096);
            long start = System.nanoTime();
            for (int i = 0; i < ops; i++) {
                block.clear();
                ch.write(block, (long) i * 4096);
                ch.force(false);
            }
            return ops / ((System.nanoTime() - start) / 1e9);
        } finally {
            TempDirs.delete(dir);
        }
    }

    static double enqueueRun(int producers, int jobs) throws Exception {
        Path dir = TempDirs.create("bench");
        byte[] payload = new byte[100];
        Arrays.fill(payload, (byte) 'x');
        ExecutorService pool = Executors.newFixedThreadPool(producers);
        try (FileStorage storage = FileStorage.open(dir)) {
            long start = System.nanoTime();
            List<Future<?>> futures = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int first = p;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < jobs; i += producers) {
                        storage.enqueue("bench", new NewJob("job-" + i, payload, 0, Duration.ZERO, null, 3, 1,
                                Duration.ofHours(1), false));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            return jobs / ((System.nanoTime() - start) / 1e9);
        } finally {
            pool.shutdown();
            TempDirs.delete(dir);
        }
    }
}
