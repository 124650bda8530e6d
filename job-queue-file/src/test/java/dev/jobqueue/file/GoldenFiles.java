package dev.jobqueue.file;

import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
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
import java.util.List;
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
 * <p>Every directory is written by this build through {@link FileStorage} (or, for the chain of
 * a compaction in progress, the {@link Journal} steps it is made of) with a {@link ManualClock},
 * so the bytes are the same on every run. {@code journal-format1}: format 1 builds wrote the very
 * same records and differed only in the header's format number (and in compacting
 * synchronously), so it is {@code journal-format2} with that number set to 1.
 */
public final class GoldenFiles {
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final String QUEUE = "golden";
    static final String OTHER = "other-ünï";
    static final String ODD_ID = "ünï-😀-{id}/..:x";
    static final Duration TTL = Duration.ofDays(1);

    private GoldenFiles() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/golden").toAbsolutePath();
        for (String name : List.of("journal-format1", "journal-format2", "snapshot-format1", "rotation-chain",
                "torn-tail", "corrupt-record")) {
            Path dir = root.resolve(name);
            TempDirs.delete(dir);
            Files.createDirectories(dir);
        }
        journalOnly(root.resolve("journal-format2"));
        journalOnly(root.resolve("journal-format1"));
        setJournalFormat(root.resolve("journal-format1").resolve("journal-0000000000000001.log"), 1);
        withSnapshot(root.resolve("snapshot-format1"));
        withSnapshot(root.resolve("rotation-chain"));
        continueIntoChain(root.resolve("rotation-chain"));
        journalOnly(root.resolve("torn-tail"));
        tearLastRecord(root.resolve("torn-tail").resolve("journal-0000000000000001.log"));
        journalOnly(root.resolve("corrupt-record"));
        flipByteInRecord(root.resolve("corrupt-record").resolve("journal-0000000000000001.log"), 2);
        for (String name : List.of("journal-format1", "journal-format2", "snapshot-format1", "rotation-chain", "torn-tail")) {
            System.out.println("== " + name);
            Path copy = Files.createTempDirectory("golden-" + name);
            copyFiles(root.resolve(name), copy);
            try (FileStorage storage = FileStorage.open(copy, FileStorageOptions.builder()
                    .clock(new ManualClock(openedAt())).build())) {
                describeAll(storage).forEach(System.out::println);
            }
            TempDirs.delete(copy);
        }
    }

    /** When the tests open the golden directories: after every step, before any lease, delay or TTL ends. */
    static Instant openedAt() {
        return T0.plus(Duration.ofMinutes(1));
    }

    private static void journalOnly(Path dir) throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (FileStorage storage = open(dir, clock)) {
            firstHalf(storage, clock);
            secondHalf(storage, clock);
        }
        Files.deleteIfExists(dir.resolve("lock"));
    }

    private static void withSnapshot(Path dir) throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (FileStorage storage = open(dir, clock)) {
            firstHalf(storage, clock);
            storage.compact();
            // Records of jobs the snapshot holds, without their payloads: replay needs the snapshot's.
            storage.extend(QUEUE, List.of(new LeaseRef("running", 1)), Duration.ofMinutes(10));
            secondHalf(storage, clock);
        }
        Files.deleteIfExists(dir.resolve("lock"));
    }

    /** A compaction in progress: journal 2 rotated into journal 3, snapshot 3 not written yet. */
    private static void continueIntoChain(Path dir) throws Exception {
        Instant now = T0.plusSeconds(30);
        try (StorageDirectory directory = StorageDirectory.open(dir)) {
            StateIndex state = new StateIndex();
            Journal journal = new Journal(directory, state);
            Transitions transitions = new Transitions(state, journal);
            StorageDirectory.DirectoryLock lock = directory.lockExclusive();
            try {
                journal.recover(now);
                transitions.enqueue(QUEUE, job("before-rotate", "pi", 0, Duration.ZERO, 3), now);
                journal.appendPending();
                journal.rotate(now);
                transitions.enqueue(QUEUE, job("after-rotate", "pj", 0, Duration.ZERO, 3), now);
                transitions.cancel(QUEUE, "queued", now);
                journal.appendPending();
                journal.sync();
            } finally {
                lock.close();
            }
            journal.close();
        }
        Files.deleteIfExists(dir.resolve("lock"));
    }

    /** Jobs in every state but CANCELLED, reached through claims, completion, failure, retry and a stall. */
    private static void firstHalf(FileStorage s, ManualClock clock) throws Exception {
        s.enqueue(QUEUE, job("running", "pc", 0, Duration.ZERO, 3));
        s.claim(QUEUE, "worker-1", 1, Duration.ofMinutes(5), Duration.ZERO);
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("done", "pd", 0, Duration.ZERO, 3));
        ClaimedJob done = s.claim(QUEUE, "worker-1", 1, Duration.ofMinutes(5), Duration.ZERO).get(0);
        s.complete(QUEUE, new LeaseRef(done.id(), done.fencingToken()), "rd".getBytes(StandardCharsets.UTF_8), TTL);
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("broken", "pe", 0, Duration.ZERO, 1));
        ClaimedJob broken = s.claim(QUEUE, "worker-2", 1, Duration.ofMinutes(5), Duration.ZERO).get(0);
        s.fail(QUEUE, new LeaseRef(broken.id(), broken.fencingToken()),
                new JobError("java.lang.IllegalStateException", "boom", "trace line 1\n\tat x", "E_BOOM", 1,
                        clock.instant()), TTL);
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("retrying", "pf", 0, Duration.ZERO, 3));
        ClaimedJob retrying = s.claim(QUEUE, "worker-2", 1, Duration.ofMinutes(5), Duration.ZERO).get(0);
        s.retry(QUEUE, new LeaseRef(retrying.id(), retrying.fencingToken()), Duration.ofMinutes(10),
                new JobError("java.io.IOException", "try again", null, null, 1, clock.instant()));
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("stalled", "ph", 0, Duration.ZERO, 3));
        s.claim(QUEUE, "worker-3", 1, Duration.ofSeconds(1), Duration.ZERO);
        clock.advance(Duration.ofSeconds(2));
        s.requeueExpired(QUEUE, 10);
    }

    /** A cancellation, waiting jobs of two queues (one delayed), a held lock and a released one. */
    private static void secondHalf(FileStorage s, ManualClock clock) {
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("cancelled", "pg", 0, Duration.ZERO, 3));
        s.cancel(QUEUE, "cancelled");
        clock.advance(Duration.ofSeconds(1));
        s.enqueue(QUEUE, job("queued", "pa", 5, Duration.ZERO, 3));
        s.enqueue(QUEUE, job("delayed", "pb", -1, Duration.ofHours(1), 3));
        s.enqueue(OTHER, job(ODD_ID, "px", Integer.MIN_VALUE, Duration.ZERO, 2));
        s.acquireLock(QUEUE, "leader", "owner-1", Duration.ofHours(1));
        s.acquireLock(QUEUE, "temp", "owner-2", Duration.ofHours(1));
        s.releaseLock(QUEUE, "temp", "owner-2");
    }

    private static FileStorage open(Path dir, ManualClock clock) {
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).compactionThresholdBytes(1L << 30).build());
    }

    static NewJob job(String id, String payload, int priority, Duration delay, int maxAttempts) {
        return new NewJob(id, payload.getBytes(StandardCharsets.UTF_8), priority, delay, null, maxAttempts, 1, TTL, false);
    }

    private static void setJournalFormat(Path journal, int format) throws IOException {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, format), 4);
        }
    }

    /** Frame start offsets of every record of a journal. */
    static List<Long> frames(Path journal) throws IOException {
        List<Long> frames = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
            long pos = JournalFile.HEADER;
            ByteBuffer length = ByteBuffer.allocate(4);
            while (pos < ch.size()) {
                frames.add(pos);
                length.clear();
                ch.read(length, pos);
                pos += RecordCodec.FRAME_HEADER + length.getInt(0);
            }
        }
        return frames;
    }

    private static void tearLastRecord(Path journal) throws IOException {
        List<Long> frames = frames(journal);
        long last = frames.get(frames.size() - 1);
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(last + (ch.size() - last) / 2);
        }
    }

    private static void flipByteInRecord(Path journal, int record) throws IOException {
        long at = frames(journal).get(record) + RecordCodec.FRAME_HEADER + 4;
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, at);
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (b.get(0) ^ 0x5A)}), at);
        }
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
