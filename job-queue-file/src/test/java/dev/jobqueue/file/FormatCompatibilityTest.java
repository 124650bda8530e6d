package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.ScheduleRecord;
import java.io.IOException;
import java.net.URISyntaxException;
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
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Record versions 2 (metadata, attempt timing, PAUSE and DELETE records) and 3 (limits, throttle,
 * schedules) against the checked-in golden directories: the ones older builds wrote (record
 * versions 1 and 2) open with every job, are compacted into the current formats on open, and their
 * jobs can be retried, promoted and deleted; the ones this build writes come back with exactly the
 * metadata, timing, pause flags, operator changes, limits, schedules, snoozed and cancelled jobs
 * and throttle they were written with. Expectations are written out by hand.
 */
class FormatCompatibilityTest {
    private static final Instant T0 = GoldenFiles.T0;
    private static final String Q = GoldenFiles.QUEUE;
    private static final String O = GoldenFiles.OTHER;
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("format");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void aJournalOfTheOldFormatKeepsEveryJobAndIsUpgradedOnOpen() throws Exception {
        List<String> before;
        try (FileStorage storage = open("journal-format2")) {
            before = GoldenFiles.describeAll(storage);
            assertEquals(9, before.size(), before.toString());
            assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files());
            assertEquals(JournalFile.FILE_FORMAT, headerFormat(dir.resolve("journal-0000000000000002.log")));
            assertEquals(SnapshotFile.FILE_FORMAT, headerFormat(dir.resolve("snapshot-0000000000000002.dat")));
            for (String id : List.of("queued", "done", "broken", "cancelled")) {
                JobSnapshot s = storage.status(Q, id).orElseThrow();
                assertEquals(Map.of(), s.metadata(), id);
                assertNull(s.startedAt(), id + ": unknown for version 1 records");
                assertNull(s.finishedAt(), id);
            }
            assertArrayEquals(bytes("pa"), storage.status(Q, "queued").orElseThrow().payload());
            assertArrayEquals(bytes("pe"), storage.status(Q, "broken").orElseThrow().payload(),
                    "a terminal job's payload comes back from the record that created it");
        }
        try (FileStorage storage = open(null)) {
            assertEquals(before, GoldenFiles.describeAll(storage), "the upgraded directory reopens the same");
            ClaimedJob queued = storage.claim(Q, "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
            assertEquals("queued", queued.id());
            assertEquals(Instant.parse("2026-01-01T00:00:08Z"), queued.readyAt(), "a version 1 job was ready when created");
            assertEquals(RetryResult.RETRIED, storage.retryJob(Q, "broken"));
            assertEquals(RetryResult.RETRIED, storage.retryJob(Q, "cancelled"));
            assertEquals(PromoteResult.PROMOTED, storage.promote(Q, "delayed"));
            assertEquals(DeleteResult.DELETED, storage.deleteJob(O, GoldenFiles.ODD_ID));
        }
        try (FileStorage storage = open(null)) {
            assertEquals(List.of("stalled", "broken", "cancelled", "delayed"), storage.list(Q, JobState.QUEUED, 10));
            assertArrayEquals(bytes("pe"), storage.claim(Q, "w", 2, Duration.ofMinutes(1), Duration.ZERO).get(1).payload());
            assertTrue(storage.status(O, GoldenFiles.ODD_ID).isEmpty());
        }
    }

    @Test
    void aSnapshotOfTheOldFormatOpensButItsTerminalJobsHaveNoPayloadToRetry() throws Exception {
        try (FileStorage storage = open("snapshot-format1")) {
            assertEquals(9, GoldenFiles.describeAll(storage).size());
            JobSnapshot broken = storage.status(Q, "broken").orElseThrow();
            assertNull(broken.payload(), "format 1 snapshots dropped terminal payloads");
            assertEquals(RetryResult.NOT_RETRYABLE, storage.retryJob(Q, "broken"));
            assertEquals(JobState.FAILED, storage.status(Q, "broken").orElseThrow().state());
            assertEquals(RetryResult.RETRIED, storage.retryJob(Q, "cancelled"), "cancelled after the snapshot: in the journal");
            assertEquals(DeleteResult.DELETED, storage.deleteJob(Q, "broken"));
        }
    }

    @Test
    void aJournalOfTheCurrentFormatKeepsMetadataTimingOperationsAndPauseFlags() throws Exception {
        try (FileStorage storage = open("journal-format4")) {
            assertCurrentGolden(storage, 7);
            assertFlow(storage);
        }
    }

    @Test
    void aSnapshotOfTheCurrentFormatKeepsMetadataTimingOperationsAndPauseFlags() throws Exception {
        try (FileStorage storage = open("snapshot-format3")) {
            assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files(),
                    "nothing to upgrade");
            assertCurrentGolden(storage, 7);
            assertFlow(storage);
        }
    }

    /**
     * The previous version's directories (record version 2: journal format 3, snapshot format 2,
     * written before limits and schedules existed) open with every job, are compacted into the
     * current formats on open, have no limits and no schedules, and then keep new ones across a reopen.
     */
    @Test
    void aJournalOfThePreviousFormatOpensIsUpgradedAndThenKeepsLimitsAndSchedules() throws Exception {
        try (FileStorage storage = open("journal-format3")) {
            assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files());
            assertUpgradedPreviousVersion(storage);
        }
        assertLimitsAndSchedulesAddedToTheUpgradedDirectoryStay();
    }

    @Test
    void aSnapshotOfThePreviousFormatOpensIsUpgradedAndThenKeepsLimitsAndSchedules() throws Exception {
        try (FileStorage storage = open("snapshot-format2")) {
            assertEquals(List.of("journal-0000000000000003.log", "lock", "snapshot-0000000000000003.dat"), files());
            assertUpgradedPreviousVersion(storage);
        }
        assertLimitsAndSchedulesAddedToTheUpgradedDirectoryStay();
    }

    private void assertUpgradedPreviousVersion(FileStorage storage) throws Exception {
        String generation = files().get(0).substring("journal-".length(), "journal-".length() + 16);
        assertEquals(JournalFile.FILE_FORMAT, headerFormat(dir.resolve("journal-" + generation + ".log")));
        assertEquals(SnapshotFile.FILE_FORMAT, headerFormat(dir.resolve("snapshot-" + generation + ".dat")));
        assertEquals(QueueLimits.NONE, storage.limits(Q));
        assertEquals(List.of(), storage.listSchedules(Q));
        assertCurrentGolden(storage, 5);
    }

    private void assertLimitsAndSchedulesAddedToTheUpgradedDirectoryStay() throws Exception {
        QueueLimits limits = QueueLimits.NONE.withMaxRunning(3);
        try (FileStorage storage = open(null)) {
            storage.setLimits(Q, limits);
            storage.upsertSchedule(Q, "s", bytes("d"), T0);
        }
        try (FileStorage storage = open(null)) {
            assertEquals(limits, storage.limits(Q));
            assertEquals(List.of(new ScheduleRecord("s", bytes("d"), T0, 1)), storage.listSchedules(Q));
        }
    }

    /** What {@code GoldenFiles.flowBeforeCompaction} and {@code flowAfterCompaction} did, at T0 + 5 s. */
    private static void assertFlow(FileStorage storage) throws Exception {
        String f = GoldenFiles.FLOW;
        assertEquals(GoldenFiles.FLOW_LIMITS, storage.limits(f));
        assertEquals(QueueLimits.NONE, storage.limits(O), "set and removed again");
        assertEquals(List.of(
                new ScheduleRecord("hourly", bytes("{\"every\":\"PT1H\"}"), T0.plus(Duration.ofMinutes(90)), 2),
                new ScheduleRecord("nightly", bytes("{\"cron\":\"0 4 * * *\"}"), T0.plus(Duration.ofHours(4)), 2)),
                storage.listSchedules(f));
        assertEquals(List.of(), storage.dueSchedules(f, 10), "nothing due at T0 + 1 min");
        JobSnapshot snoozed = storage.status(f, "snoozed").orElseThrow();
        assertEquals(JobState.DELAYED, snoozed.state());
        assertEquals(0, snoozed.attempts(), "the snoozed attempt was taken back");
        assertEquals(T0.plusSeconds(5).plus(Duration.ofHours(1)), snoozed.runAt());
        assertEquals(JobState.CANCELLED, storage.status(f, "cancelled-running").orElseThrow().state());
        assertEquals(0, storage.counts(f).get(JobState.PROCESSING));
        storage.enqueue(f, GoldenFiles.job("ready", "pr", 0, Duration.ZERO, 3));
        assertEquals(List.of(), storage.claim(f, "w", 1, Duration.ofMinutes(1), Duration.ZERO),
                "throttled for a day from T0 + 5 s");
    }

    /** What {@code GoldenFiles.operations} did, second by second from T0; see there. */
    private void assertCurrentGolden(FileStorage storage, long firstToken) throws Exception {
        JobSnapshot meta = storage.status(Q, "meta").orElseThrow();
        assertEquals(new ArrayList<>(GoldenFiles.METADATA.entrySet()), new ArrayList<>(meta.metadata().entrySet()),
                "metadata in its order");
        assertEquals(T0.plusSeconds(3), meta.startedAt());
        assertNull(meta.finishedAt());
        assertEquals(1, meta.attempts());
        JobSnapshot retried = storage.status(Q, "retried").orElseThrow();
        assertEquals(JobState.QUEUED, retried.state());
        assertEquals(0, retried.attempts());
        assertNull(retried.startedAt());
        assertNull(retried.error());
        assertTrue(storage.status(Q, "deleted").isEmpty());
        JobSnapshot done = storage.status(O, "done").orElseThrow();
        assertEquals(T0.plusSeconds(6), done.startedAt());
        assertEquals(T0.plusSeconds(7), done.finishedAt());
        assertArrayEquals(bytes("pd"), done.payload());
        assertTrue(storage.isPaused(O));
        assertFalse(storage.isPaused(Q));
        assertEquals(List.of(), storage.claim(O, "w", 1, Duration.ofMinutes(1), Duration.ZERO));
        List<ClaimedJob> claimed = storage.claim(Q, "w", 3, Duration.ofMinutes(1), Duration.ZERO);
        assertEquals(List.of("meta", "promoted", "retried"), claimed.stream().map(ClaimedJob::id).toList());
        assertEquals(List.of(T0.plusSeconds(4), T0.plusSeconds(4), T0.plusSeconds(5)),
                claimed.stream().map(ClaimedJob::readyAt).toList(), "released, unclaimed, retried by the operator");
        assertEquals(List.of(firstToken, firstToken + 1, firstToken + 2),
                claimed.stream().map(ClaimedJob::fencingToken).toList());
        assertEquals(GoldenFiles.METADATA, claimed.get(0).metadata());
        assertTrue(storage.enqueue(Q, GoldenFiles.job("deleted", "again", 0, Duration.ZERO, 3)).created());
    }

    private FileStorage open(String golden) throws IOException, URISyntaxException {
        if (golden != null) {
            GoldenFiles.copyFiles(Path.of(FormatCompatibilityTest.class.getResource("/golden/" + golden).toURI()), dir);
        }
        return FileStorage.open(dir, FileStorageOptions.builder().clock(new ManualClock(GoldenFiles.openedAt())).build());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static int headerFormat(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(8);
            ch.read(b, 0);
            return b.getInt(4);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
