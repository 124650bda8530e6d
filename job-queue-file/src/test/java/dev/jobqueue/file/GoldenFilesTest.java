package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Opens the checked-in directories of {@code src/test/resources/golden} (made by {@link GoldenFiles};
 * one per journal and snapshot format version this build reads, a compaction in progress, a torn
 * one and a corrupt one) and asserts exactly what comes back, so that a change of the on-disk
 * format, or of how it is read, fails here instead of in a user's directory. The expectations
 * are written out by hand, not generated.
 */
class GoldenFilesTest {
    private static final String G = GoldenFiles.QUEUE + " ";
    private static final String O = GoldenFiles.OTHER + " ";
    private static final String QUEUED = G + "queued QUEUED prio=5 created=2026-01-01T00:00:08Z runAt=null attempts=0/3 stalls=0 "
            + "result=null error=null expires=null worker=null lease=null";
    private static final String STALLED = G + "stalled QUEUED prio=0 created=2026-01-01T00:00:04Z runAt=null attempts=1/3 "
            + "stalls=1 result=null error=null expires=null worker=null lease=null";
    private static final String DELAYED = G + "delayed DELAYED prio=-1 created=2026-01-01T00:00:08Z "
            + "runAt=2026-01-01T01:00:08Z attempts=0/3 stalls=0 result=null error=null expires=null worker=null lease=null";
    private static final String RUNNING = G + "running PROCESSING prio=0 created=2026-01-01T00:00:00Z runAt=null "
            + "attempts=1/3 stalls=0 result=null error=null expires=null worker=worker-1 lease=2026-01-01T00:05:00Z";
    private static final String RUNNING_EXTENDED = RUNNING.replace("lease=2026-01-01T00:05:00Z", "lease=2026-01-01T00:10:06Z");
    private static final String RETRYING = G + "retrying FAILING prio=0 created=2026-01-01T00:00:03Z "
            + "runAt=2026-01-01T00:10:03Z attempts=1/3 stalls=0 result=null "
            + "error=java.io.IOException|try again|null|1|2026-01-01T00:00:03Z|null expires=null worker=null lease=null";
    private static final String DONE = G + "done COMPLETED prio=0 created=2026-01-01T00:00:01Z runAt=null attempts=1/3 "
            + "stalls=0 result=rd error=null expires=2026-01-02T00:00:01Z worker=null lease=null";
    private static final String BROKEN = G + "broken FAILED prio=0 created=2026-01-01T00:00:02Z runAt=null attempts=1/1 "
            + "stalls=0 result=null error=java.lang.IllegalStateException|boom|E_BOOM|1|2026-01-01T00:00:02Z|"
            + "trace line 1\\n\\tat x expires=2026-01-02T00:00:02Z worker=null lease=null";
    private static final String CANCELLED = G + "cancelled CANCELLED prio=0 created=2026-01-01T00:00:07Z runAt=null "
            + "attempts=0/3 stalls=0 result=null error=null expires=2026-01-02T00:00:07Z worker=null lease=null";
    private static final String ODD = O + "ünï-😀-{id}/..:x QUEUED prio=-2147483648 created=2026-01-01T00:00:08Z runAt=null "
            + "attempts=0/2 stalls=0 result=null error=null expires=null worker=null lease=null";
    private static final List<String> EVERY_STATE = List.of(QUEUED, STALLED, DELAYED, RUNNING, RETRYING, DONE, BROKEN,
            CANCELLED, ODD);

    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("golden");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    @Test
    void journalFormat1() throws Exception {
        try (FileStorage storage = open("journal-format1")) {
            assertEquals(EVERY_STATE, GoldenFiles.describeAll(storage));
            assertLocks(storage, true);
            assertCountersContinue(storage, "queued", 6);
        }
    }

    @Test
    void journalFormat2() throws Exception {
        try (FileStorage storage = open("journal-format2")) {
            assertEquals(EVERY_STATE, GoldenFiles.describeAll(storage));
            assertLocks(storage, true);
            assertCountersContinue(storage, "queued", 6);
        }
    }

    /** Snapshot format 1 followed by a format 2 journal whose first record updates a job of the snapshot. */
    @Test
    void snapshotFormat1() throws Exception {
        try (FileStorage storage = open("snapshot-format1")) {
            assertEquals(List.of(QUEUED, STALLED, DELAYED, RUNNING_EXTENDED, RETRYING, DONE, BROKEN, CANCELLED, ODD),
                    GoldenFiles.describeAll(storage));
            assertLocks(storage, true);
            assertCountersContinue(storage, "queued", 6);
        }
    }

    /** Snapshot 2, journal 2 ending in ROTATE(3), journal 3 whose snapshot was never written. */
    @Test
    void rotationChainOfACompactionInProgress() throws Exception {
        try (FileStorage storage = open("rotation-chain")) {
            String queuedThenCancelled = G + "queued CANCELLED prio=5 created=2026-01-01T00:00:08Z runAt=null attempts=0/3 "
                    + "stalls=0 result=null error=null expires=2026-01-02T00:00:30Z worker=null lease=null";
            String beforeRotate = G + "before-rotate QUEUED prio=0 created=2026-01-01T00:00:30Z runAt=null attempts=0/3 "
                    + "stalls=0 result=null error=null expires=null worker=null lease=null";
            String afterRotate = beforeRotate.replace("before-rotate", "after-rotate");
            assertEquals(List.of(STALLED, beforeRotate, afterRotate, DELAYED, RUNNING_EXTENDED, RETRYING, DONE, BROKEN,
                    CANCELLED, queuedThenCancelled, ODD), GoldenFiles.describeAll(storage));
            assertLocks(storage, true);
            assertCountersContinue(storage, "stalled", 6);
        }
        // Journal 3 is an older build's format, so open compacted the chain into generation 4; journal 2
        // went only once snapshot 4 (which replaces it) was complete.
        assertEquals(List.of("journal-0000000000000004.log", "lock", "snapshot-0000000000000004.dat"), files());
    }

    /** The last record (releasing the lock "temp") was cut in half: cut off, everything before it kept. */
    @Test
    void tornTail() throws Exception {
        try (FileStorage storage = open("torn-tail")) {
            // the cut journal was compacted into the current format at once (upgrade on open), so
            // its length is not visible any more: the lost release of "temp" shows where it was cut
            assertEquals(EVERY_STATE, GoldenFiles.describeAll(storage));
            assertLocks(storage, false);
        }
    }

    /** A byte of the third record flipped, valid records after it: refused, naming file and offset, nothing cut. */
    @Test
    void corruptRecord() throws Exception {
        copy("corrupt-record");
        Path journal = dir.resolve("journal-0000000000000001.log");
        long size = Files.size(journal);
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir,
                FileStorageOptions.builder().clock(new ManualClock(GoldenFiles.openedAt())).build()).close());
        assertEquals(journal, e.file());
        assertEquals(306, e.offset());
        assertEquals(journal + " is corrupt at byte offset 306: checksum mismatch; valid records follow it, so cutting "
                + "here would lose acknowledged data", e.getMessage());
        assertEquals(size, Files.size(journal));
    }

    private List<String> files() throws Exception {
        try (java.util.stream.Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private FileStorage open(String name) throws Exception {
        copy(name);
        return FileStorage.open(dir, FileStorageOptions.builder().clock(new ManualClock(GoldenFiles.openedAt())).build());
    }

    private void copy(String name) throws Exception {
        GoldenFiles.copyFiles(golden(name), dir);
    }

    private static Path golden(String name) throws URISyntaxException {
        return Path.of(GoldenFilesTest.class.getResource("/golden/" + name).toURI());
    }

    /** "leader" is held by owner-1 until 01:00:08; "temp" was released (unless that record was lost). */
    private static void assertLocks(FileStorage storage, boolean tempReleased) {
        assertFalse(storage.acquireLock(GoldenFiles.QUEUE, "leader", "intruder", Duration.ofMinutes(1)));
        assertTrue(storage.renewLock(GoldenFiles.QUEUE, "leader", "owner-1", Duration.ofMinutes(1)));
        assertEquals(tempReleased, storage.acquireLock(GoldenFiles.QUEUE, "temp", "intruder", Duration.ofMinutes(1)));
    }

    /** The restored counters: the next claim gets the next fencing token, a new job queues after the old ones. */
    private static void assertCountersContinue(FileStorage storage, String firstReady, long nextToken) throws Exception {
        storage.enqueue(GoldenFiles.QUEUE, GoldenFiles.job("new", "pn", 0, Duration.ZERO, 3));
        List<String> order = new ArrayList<>(storage.list(GoldenFiles.QUEUE, dev.jobqueue.JobState.QUEUED, 100));
        assertEquals("new", order.get(order.size() - 1), order.toString());
        ClaimedJob claimed = storage.claim(GoldenFiles.QUEUE, "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
        assertEquals(firstReady, claimed.id());
        assertEquals(nextToken, claimed.fencingToken());
    }
}
