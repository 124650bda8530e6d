package dev.jobqueue.file;

import com.sun.management.OperatingSystemMXBean;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.TransitionOutcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Storage-level cost of recording completions in FSYNC_EACH mode: {@code complete} one job per
 * call from 1 and from 64 threads (group commit across callers) against {@code completeAll} of
 * 64 jobs per call from 1 thread. Prints jobs/s and process CPU per job. Not a unit test; run by
 * hand like {@link DurableEnqueueBenchmark}:
 *
 * <pre>
 * java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" dev.jobqueue.file.CompleteAllBenchmark [jobs] [rounds]
 * </pre>
 */
public final class CompleteAllBenchmark {
    private static final String QUEUE = "bench";
    private static final OperatingSystemMXBean OS =
            (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private CompleteAllBenchmark() {
    }

    private interface Recorder {
        void record(FileStorage storage, List<ClaimedJob> claimed) throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int jobs = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Recorder oneByOne = (storage, claimed) -> completeEach(storage, claimed, 1);
        Recorder threads64 = (storage, claimed) -> completeEach(storage, claimed, 64);
        Recorder batches64 = CompleteAllBenchmark::completeAllBatches;
        run("warm-up", batches64, jobs / 4);
        run("warm-up", threads64, jobs / 4);
        for (int round = 1; round <= rounds; round++) {
            System.out.println("round " + round + ":");
            run("  complete, 1 thread        ", oneByOne, Math.min(jobs, 2_000));
            run("  complete, 64 threads      ", threads64, jobs);
            run("  completeAll(64), 1 thread ", batches64, jobs);
        }
    }

    private static void run(String label, Recorder recorder, int jobs) throws Exception {
        Path dir = TempDirs.create("complete-bench");
        try (FileStorage storage = FileStorage.open(dir)) {
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < jobs; i++) {
                batch.add(new NewJob("job-" + i, new byte[100], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false));
            }
            storage.enqueueBatch(QUEUE, batch);
            List<ClaimedJob> claimed = new ArrayList<>();
            while (claimed.size() < jobs) {
                claimed.addAll(storage.claim(QUEUE, "w", 1_000, Duration.ofHours(1), Duration.ZERO));
            }
            long cpu = OS.getProcessCpuTime();
            long start = System.nanoTime();
            recorder.record(storage, claimed);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMicrosPerJob = (OS.getProcessCpuTime() - cpu) / 1e3 / jobs;
            if (!label.startsWith("warm-up")) {
                System.out.printf("%s %8.0f jobs/s  %6.1f us CPU/job%n", label, jobs / seconds, cpuMicrosPerJob);
            }
        } finally {
            TempDirs.delete(dir);
        }
    }

    private static void completeEach(FileStorage storage, List<ClaimedJob> claimed, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < claimed.size(); i += threads) {
                        ClaimedJob job = claimed.get(i);
                        check(storage.complete(QUEUE, new LeaseRef(job.id(), job.fencingToken()), new byte[20], null));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void completeAllBatches(FileStorage storage, List<ClaimedJob> claimed) {
        for (int from = 0; from < claimed.size(); from += 64) {
            List<Completion> completions = new ArrayList<>(64);
            for (ClaimedJob job : claimed.subList(from, Math.min(from + 64, claimed.size()))) {
                completions.add(new Completion(new LeaseRef(job.id(), job.fencingToken()), new byte[20], null));
            }
            storage.completeAll(QUEUE, completions).forEach(CompleteAllBenchmark::check);
        }
    }

    private static void check(TransitionOutcome outcome) {
        if (outcome != TransitionOutcome.APPLIED) {
            throw new IllegalStateException("completion not applied: " + outcome);
        }
    }
}
