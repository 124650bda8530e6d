package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.SnapshotPage;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: runs each operation of issue 11 on a fresh directory (FSYNC_EACH) between two
 * marker lines, so that {@code strace} can count the fsyncs each one costs:
 *
 * <pre>
 * strace -f -e trace=fsync,fdatasync,write -o /tmp/ops.strace \
 *     java -cp "target/classes:target/test-classes:..." dev.jobqueue.file.OperationFsyncProbe /tmp/ops-dir
 * </pre>
 *
 * then count the fsync/fdatasync calls between {@code BEGIN name count} and {@code END name}.
 */
public final class OperationFsyncProbe {
    private static final String Q = "probe";
    private static PrintStream out;

    private OperationFsyncProbe() {
    }

    public static void main(String[] args) throws Exception {
        out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FileStorage s = FileStorage.open(Path.of(args[0]))) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                jobs.add(new NewJob("f" + i, new byte[100], 0, Duration.ZERO, null, 1, 1, Duration.ofHours(1), false));
            }
            s.enqueueBatch(Q, jobs);
            for (ClaimedJob c : s.claim(Q, "w", 2_000, Duration.ofHours(1), Duration.ZERO)) {
                s.fail(Q, new LeaseRef(c.id(), c.fencingToken()), new JobError("E", "x", null, null, 1, Instant.now()), null);
            }
            List<NewJob> later = new ArrayList<>();
            for (int i = 0; i < 1_020; i++) {
                later.add(new NewJob("d" + i, new byte[100], 0, Duration.ofHours(1), null, 1, 1, Duration.ofHours(1), false));
            }
            s.enqueueBatch(Q, later);

            measure("enqueue", 10, i -> s.enqueue(Q, new NewJob("e" + i, new byte[100], 0, Duration.ZERO, null, 1, 1,
                    Duration.ofHours(1), false)));
            measure("retryJob", 10, i -> s.retryJob(Q, "f" + i));
            measure("deleteJob", 10, i -> s.deleteJob(Q, "f" + (10 + i)));
            measure("promote", 10, i -> s.promote(Q, "d" + i));
            measure("setPaused", 10, i -> s.setPaused("paused", i % 2 == 0));
            measure("isPaused", 10, i -> s.isPaused("paused"));
            String[] cursor = {null};
            measure("listJobs(100)", 10, i -> {
                SnapshotPage page = s.listJobs(Q, JobState.FAILED, ListOrder.OLDEST_FIRST, cursor[0], 100);
                cursor[0] = page.nextCursor();
            });
            measure("retryAll(100) x10 = 1000 jobs", 10, i -> s.retryAll(Q, JobState.FAILED, 100));
            measure("purge(100) x10 = 1000 jobs", 10, i -> s.purge(Q, JobState.DELAYED, 100));
        }
    }

    private interface Op {
        void run(int i) throws Exception;
    }

    private static void measure(String name, int calls, Op op) throws Exception {
        out.println("BEGIN " + name + " " + calls);
        for (int i = 0; i < calls; i++) {
            op.run(i);
        }
        out.println("END " + name);
    }
}
