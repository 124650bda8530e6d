package dev.jobqueue.benchmarks;

import com.sun.management.ThreadMXBean;
import dev.jobqueue.memory.MemoryStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage side of a no-op job on {@link MemoryStorage}, without the Queue around it: one
 * producer enqueues batches of 1,000 while {@code --threads} consumers claim up to {@code --batch}
 * jobs each and record them finished, either with one {@code completeAll} per claim (as the
 * batching worker does) or one {@code complete} per job. Completed records are kept (result TTL
 * 1 hour, the queue default), so the retained-record cost shows as GC time and retained heap.
 * Prints one JSON line per round: CPU, allocated bytes and GC time per job, and the heap the
 * finished records hold.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp "benchmarks/target/classes:$(cat benchmarks/target/runtime-classpath.txt)" \
 *     dev.jobqueue.benchmarks.MemoryStorageCost --n=1000000 --threads=4 --batch=64 --complete=all
 * </pre>
 */
public final class MemoryStorageCost {
    private static final int ENQUEUE_BATCH = 1_000;
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration RESULT_TTL = Duration.ofHours(1);
    private static final byte[] RESULT = "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private MemoryStorageCost() {
    }

    public static void main(String[] args) throws Exception {
        int n = 1_000_000;
        int threads = 4;
        int batch = 64;
        int rounds = 3;
        boolean completeAll = true;
        for (String a : args) {
            if (a.startsWith("--n=")) {
                n = Integer.parseInt(a.substring(4));
            } else if (a.startsWith("--threads=")) {
                threads = Integer.parseInt(a.substring(10));
            } else if (a.startsWith("--batch=")) {
                batch = Integer.parseInt(a.substring(8));
            } else if (a.startsWith("--rounds=")) {
                rounds = Integer.parseInt(a.substring(9));
            } else if (a.equals("--complete=all")) {
                completeAll = true;
            } else if (a.equals("--complete=each")) {
                completeAll = false;
            } else {
                throw new IllegalArgumentException("unknown argument " + a
                        + " (expected --n= --threads= --batch= --rounds= --complete=all|each)");
            }
        }
        run(Math.max(1, n / 10), threads, batch, completeAll, "warmup");
        for (int r = 0; r < rounds; r++) {
            run(n, threads, batch, completeAll, "round" + r);
        }
    }

    private static void run(int n, int threads, int batch, boolean completeAll, String label) throws Exception {
        ThreadMXBean threadBean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        byte[] payload = new byte[100];
        java.util.Arrays.fill(payload, (byte) 'x');
        AtomicLong allocated = new AtomicLong();
        AtomicLong finished = new AtomicLong();
        try (MemoryStorage storage = new MemoryStorage()) {
            CountDownLatch done = new CountDownLatch(threads + 1);
            List<Thread> all = new ArrayList<>();
            String prefix = label + "-";
            all.add(new Thread(() -> {
                long a0 = threadBean.getCurrentThreadAllocatedBytes();
                List<NewJob> jobs = new ArrayList<>(ENQUEUE_BATCH);
                for (int i = 0; i < n; i++) {
                    jobs.add(new NewJob(prefix + i, payload, 0, Duration.ZERO, null, 3, 3, RESULT_TTL, false));
                    if (jobs.size() == ENQUEUE_BATCH || i == n - 1) {
                        storage.enqueueBatch("cost", jobs);
                        jobs = new ArrayList<>(ENQUEUE_BATCH);
                    }
                }
                allocated.addAndGet(threadBean.getCurrentThreadAllocatedBytes() - a0);
                done.countDown();
            }, "producer"));
            for (int t = 0; t < threads; t++) {
                boolean all2 = completeAll;
                all.add(new Thread(() -> {
                    long a0 = threadBean.getCurrentThreadAllocatedBytes();
                    try {
                        while (finished.get() < n) {
                            List<ClaimedJob> claimed = storage.claim("cost", "worker", batch, LEASE, Duration.ofMillis(5));
                            if (claimed.isEmpty()) {
                                continue;
                            }
                            if (all2) {
                                List<Completion> cs = new ArrayList<>(claimed.size());
                                for (ClaimedJob c : claimed) {
                                    cs.add(new Completion(new LeaseRef(c.id(), c.fencingToken()), RESULT, null));
                                }
                                storage.completeAll("cost", cs);
                            } else {
                                for (ClaimedJob c : claimed) {
                                    storage.complete("cost", new LeaseRef(c.id(), c.fencingToken()), RESULT, null);
                                }
                            }
                            finished.addAndGet(claimed.size());
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    allocated.addAndGet(threadBean.getCurrentThreadAllocatedBytes() - a0);
                    done.countDown();
                }, "consumer-" + t));
            }
            long gc0 = gcMillis();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            all.forEach(Thread::start);
            done.await();
            long nanos = System.nanoTime() - t0;
            long cpu = os.getProcessCpuTime() - cpu0;
            long gc = gcMillis() - gc0;
            System.gc();
            long retained = memory.getHeapMemoryUsage().getUsed() - heapBefore;
            System.out.println(String.format(Locale.ROOT,
                    "{\"round\":\"%s\",\"n\":%d,\"threads\":%d,\"batch\":%d,\"complete\":\"%s\",\"jobs_per_s\":%.0f,"
                            + "\"cpu_ns_per_job\":%.0f,\"alloc_bytes_per_job\":%.0f,\"gc_ms\":%d,"
                            + "\"retained_bytes_per_job\":%.0f}",
                    label, n, threads, batch, completeAll ? "all" : "each", n / (nanos / 1e9),
                    (double) cpu / n, (double) allocated.get() / n, gc, (double) retained / n));
            if (storage.counts("cost").get(dev.jobqueue.JobState.COMPLETED) != n) {
                throw new IllegalStateException("not all jobs completed: " + storage.counts("cost"));
            }
        }
    }

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, b.getCollectionTime());
        }
        return sum;
    }
}
