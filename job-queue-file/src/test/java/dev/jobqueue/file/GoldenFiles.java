package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Makes the golden directories under {@code src/test/resources/golden} that {@link GoldenFilesTest}
 * opens. Not a test: run it only when the on-disk format changes on purpose (new format
 * version: add new directories beside the old ones, which must keep opening), then review the
 * test's expectations by hand:
 *
 * <pre>
 * mvn -B -q -pl job-queue-file -am test-compile dependency:build-classpath \
 *     -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test
 * cd job-queue-file
 * java -cp "target/classes:target/test-classes:$(cat target/test-classpath.txt)" \
 *     dev.jobqueue.file.GoldenFiles src/test/resources/golden
 * </pre>
 *
 * <p>It writes only the directories of the current formats ({@code journal-format4},
 * {@code snapshot-format3}: record version 3), through {@link FileStorage} with a
 * {@link ManualClock}, so the bytes are the same on every run. The other directories were written
 * by the builds before it and are fixtures of what users' directories hold, never regenerated:
 * {@code journal-format3} and {@code snapshot-format2} hold record version 2 (this class up to
 * commit c72b328 wrote them, with the same job operations as now but without the queue
 * {@link #FLOW}); the rest hold record version 1 (see this class in the git history up to commit
 * a2f27a6: journal format 2 through FileStorage, {@code journal-format1} the same with the
 * header's format number set to 1, {@code rotation-chain} through the Journal steps of a
 * compaction in progress, {@code torn-tail} and {@code corrupt-record} cut and flipped by hand).
 */
public final class GoldenFiles {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String QUEUE = "golden";
    static final String OTHER = "other-ünï";
    static final String ODD_ID = "ünï-😀-{id}/..:x";
    /** The queue of the record version 3 steps: limits, throttle, schedules, snooze, cancel of a running job. */
    static final String FLOW = "flow";
    static final QueueLimits FLOW_LIMITS = new QueueLimits(2, 10, Duration.ofMinutes(1));
    static final Duration TTL = Duration.ofDays(1);
    static final Map<String, String> METADATA = metadata();
    private static final List<String> CURRENT = List.of("journal-format4", "snapshot-format3");

    private GoldenFiles() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden").toAbsolutePath();
        // The legacy directories (journal-format1..3, snapshot-format1..2, rotation-chain, torn-tail,
        // corrupt-record) hold record versions 1 and 2, written by builds before it: this build
        // cannot make them any more and must never overwrite them. It makes only the current formats.
        for (String name : CURRENT) {
            Path dir = root.resolve(name);
            TempDirs.delete(dir);
            Files.createDirectories(dir);
        }
        operations(root.resolve("journal-format4"), false);
        operations(root.resolve("snapshot-format3"), true);
        for (String name : CURRENT) {
            System.out.println("== " + name);
            Path copy = Files.createTempDirectory("golden-" + name);
            copyFiles(root.resolve(name), copy);
            try (FileStorage storage = FileStorage.open(copy, FileStorageOptions.builder()
                    .clock(new ManualClock(openedAt())).build())) {
                describeAll(storage).forEach(System.out::println);
                System.out.println(storage.limits(FLOW) + " " + storage.listSchedules(FLOW));
            }
            TempDirs.delete(copy);
        }
    }

    /** Insertion order kept; a non-ASCII key and value. */
    private static Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("tenant", "acme");
        m.put("ünï", "😀 {x}/..");
        return m;
    }

    /**
     * Record version 3 (journal format 4, snapshot format 3): metadata, attempt timing, an
     * operator's promote, retry and delete, and pause flags (as version 2 wrote them), plus in queue
     * {@link #FLOW} limits, a throttle, schedules created, changed, advanced and removed, a snoozed
     * job and a running job cancelled; {@code compactMidway} puts the first part into a snapshot.
     */
    private static void operations(Path dir, boolean compactMidway) throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (FileStorage s = open(dir, clock)) {
            s.enqueue(QUEUE, new NewJob("meta", "pm".getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1,
                    TTL, false, METADATA));
            clock.advance(Duration.ofSeconds(1));
            s.enqueue(QUEUE, job("promoted", "pp", 0, Duration.ofHours(1), 3));
            clock.advance(Duration.ofSeconds(1));
            s.promote(QUEUE, "promoted");
            clock.advance(Duration.ofSeconds(1));
            s.enqueue(QUEUE, job("retried", "pr", 0, Duration.ZERO, 1));
            List<ClaimedJob> claimed = s.claim(QUEUE, "worker-1", 3, Duration.ofMinutes(5), Duration.ZERO);
            ClaimedJob retried = claimed.get(2);
            s.fail(QUEUE, new LeaseRef(retried.id(), retried.fencingToken()),
                    new JobError("E", "boom", null, null, 1, clock.instant()), TTL);
            clock.advance(Duration.ofSeconds(1));
            s.release(QUEUE, new LeaseRef(claimed.get(0).id(), claimed.get(0).fencingToken()));
            s.unclaim(QUEUE, new LeaseRef(claimed.get(1).id(), claimed.get(1).fencingToken()));
            clock.advance(Duration.ofSeconds(1));
            s.retryJob(QUEUE, "retried");
            s.enqueue(QUEUE, job("deleted", "px", 0, Duration.ZERO, 3));
            s.deleteJob(QUEUE, "deleted");
            s.setPaused(OTHER, true);
            flowBeforeCompaction(s);
            if (compactMidway) {
                s.compact();
            }
            flowAfterCompaction(s);
            clock.advance(Duration.ofSeconds(1));
            s.enqueue(OTHER, job("done", "pd", 0, Duration.ZERO, 3));
            s.setPaused(OTHER, false);
            ClaimedJob done = s.claim(OTHER, "worker-2", 1, Duration.ofMinutes(5), Duration.ZERO).get(0);
            clock.advance(Duration.ofSeconds(1));
            s.complete(OTHER, new LeaseRef(done.id(), done.fencingToken()), "rd".getBytes(StandardCharsets.UTF_8), TTL);
            s.enqueue(OTHER, job(ODD_ID, "po", Integer.MIN_VALUE, Duration.ZERO, 2));
            s.setPaused(OTHER, true);
            s.setPaused(QUEUE, true);
            s.setPaused(QUEUE, false);
        }
        Files.deleteIfExists(dir.resolve("lock"));
    }

    /** Limits, schedules, a snoozed job (due at T0 + 1 h) and a running job cancelled: tokens 5 and 6. */
    private static void flowBeforeCompaction(FileStorage s) throws Exception {
        s.setLimits(FLOW, FLOW_LIMITS);
        s.upsertSchedule(FLOW, "nightly", bytes("{\"cron\":\"0 3 * * *\"}"), T0.plus(Duration.ofHours(3)));
        s.upsertSchedule(FLOW, "hourly", bytes("{\"every\":\"PT1H\"}"), T0.plus(Duration.ofMinutes(30)));
        s.upsertSchedule(FLOW, "gone", bytes("{}"), T0);
        s.enqueue(FLOW, job("snoozed", "ps", 0, Duration.ZERO, 3));
        s.enqueue(FLOW, job("cancelled-running", "pc", 0, Duration.ZERO, 3));
        List<ClaimedJob> claimed = s.claim(FLOW, "worker-3", 2, Duration.ofMinutes(5), Duration.ZERO);
        s.snooze(FLOW, new LeaseRef(claimed.get(0).id(), claimed.get(0).fencingToken()), Duration.ofHours(1));
        s.cancel(FLOW, claimed.get(1).id());
    }

    /** Schedules advanced (hourly to version 2), changed (nightly to version 2) and removed (gone); a throttle; OTHER's limits set and removed. */
    private static void flowAfterCompaction(FileStorage s) {
        s.advanceSchedule(FLOW, "hourly", 1, T0.plus(Duration.ofMinutes(90)));
        s.upsertSchedule(FLOW, "nightly", bytes("{\"cron\":\"0 4 * * *\"}"), T0.plus(Duration.ofHours(4)));
        s.removeSchedule(FLOW, "gone");
        s.throttle(FLOW, Duration.ofDays(1));
        s.setLimits(OTHER, QueueLimits.NONE.withMaxRunning(1));
        s.setLimits(OTHER, QueueLimits.NONE);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** When the tests open the golden directories: after every step, before any lease, delay or TTL ends. */
    static Instant openedAt() {
        return T0.plus(Duration.ofMinutes(1));
    }

    private static FileStorage open(Path dir, ManualClock clock) {
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).compactionThresholdBytes(1L << 30).build());
    }

    static NewJob job(String id, String payload, int priority, Duration delay, int maxAttempts) {
        return new NewJob(id, payload.getBytes(StandardCharsets.UTF_8), priority, delay, null, maxAttempts, 1, TTL, false);
    }

    static void copyFiles(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    /** Every job of both queues, one stable line each, in queue, state and list order. */
    static List<String> describeAll(FileStorage storage) {
        List<String> lines = new ArrayList<>();
        for (String queue : List.of(QUEUE, OTHER)) {
            for (JobState state : JobState.values()) {
                for (String id : storage.list(queue, state, 100)) {
                    lines.add(queue + " " + describe(storage.status(queue, id).orElseThrow()));
                }
            }
        }
        return lines;
    }

    static String describe(JobSnapshot j) {
        return j.id() + " " + j.state() + " prio=" + j.priority() + " created=" + j.createdAt() + " runAt=" + j.runAt()
                + " attempts=" + j.attempts() + "/" + j.maxAttempts() + " stalls=" + j.stalls()
                + " result=" + (j.result() == null ? null : new String(j.result(), StandardCharsets.UTF_8))
                + " error=" + (j.error() == null ? null : j.error().type() + "|" + j.error().message() + "|"
                        + j.error().code() + "|" + j.error().attempts() + "|" + j.error().failedAt() + "|"
                        + (j.error().stackTrace() == null ? null : j.error().stackTrace().replace("\n", "\\n").replace("\t", "\\t")))
                + " expires=" + j.expiresAt() + " worker=" + j.workerId() + " lease=" + j.leaseDeadline();
    }
}
