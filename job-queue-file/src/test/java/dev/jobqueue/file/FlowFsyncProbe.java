package dev.jobqueue.file;

import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: runs each of the flow-control and schedule calls ten times on a fresh directory
 * (FSYNC_EACH) between two marker lines, so that {@code strace} can count the fsyncs each costs
 * (the same way as {@link OperationFsyncProbe}):
 *
 * <pre>
 * strace -f -e trace=fsync,fdatasync,write -o /tmp/flow.strace \
 *     java -cp "target/classes:target/test-classes:..." dev.jobqueue.file.FlowFsyncProbe /tmp/flow-dir
 * </pre>
 *
 * then count the fsync/fdatasync calls between {@code BEGIN name count} and {@code END name}.
 */
public final class FlowFsyncProbe {
    private static final String Q = "probe";
    private static final Duration LEASE = Duration.ofHours(1);
    private static PrintStream out;

    private FlowFsyncProbe() {
    }

    public static void main(String[] args) throws Exception {
        out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (FileStorage s = FileStorage.open(Path.of(args[0]))) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                jobs.add(new NewJob("j" + i, new byte[100], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false));
            }
            s.enqueueBatch(Q, jobs);
            List<ClaimedJob> claimed = s.claim(Q, "w", 20, LEASE, Duration.ZERO);
            measure("snooze", 10, i -> s.snooze(Q, lease(claimed.get(i)), Duration.ofHours(1)));
            measure("cancel (PROCESSING)", 10, i -> s.cancel(Q, claimed.get(10 + i).id()));
            measure("claim + snooze (one snoozed job)", 10, i -> {
                ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
                s.snooze(Q, lease(c), Duration.ofHours(1));
            });
            measure("setLimits", 10, i -> s.setLimits(Q, QueueLimits.NONE.withMaxRunning(100 + i).withRate(1000, Duration.ofSeconds(1))));
            measure("limits", 10, i -> s.limits(Q));
            measure("claim with limits (maxRunning + rate)", 10, i -> s.claim(Q, "w", 1, LEASE, Duration.ZERO));
            measure("throttle", 10, i -> s.throttle("throttled", Duration.ofMinutes(1 + i)));
            measure("upsertSchedule (new)", 10, i -> s.upsertSchedule(Q, "s" + i, new byte[200], Instant.EPOCH));
            measure("upsertSchedule (unchanged)", 10, i -> s.upsertSchedule(Q, "s" + i, new byte[200], Instant.EPOCH));
            measure("upsertSchedule (changed)", 10, i -> s.upsertSchedule(Q, "s" + i, new byte[201], Instant.EPOCH));
            measure("advanceSchedule", 10, i -> s.advanceSchedule(Q, "s" + i, 2, Instant.EPOCH.plusSeconds(i)));
            measure("advanceSchedule (version mismatch)", 10, i -> s.advanceSchedule(Q, "s" + i, 2, Instant.EPOCH));
            measure("dueSchedules", 10, i -> s.dueSchedules(Q, 100));
            measure("listSchedules", 10, i -> s.listSchedules(Q));
            measure("removeSchedule", 10, i -> s.removeSchedule(Q, "s" + i));
        }
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
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
