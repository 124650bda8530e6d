package dev.jobqueue.file;

import static dev.jobqueue.file.LockedSteps.locked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.file.RecordCodec.RecordBuffer;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Directory states crafted by hand: the artefacts a crash (or a full disk) can leave, which open
 * must recover with every acknowledged job, and damage (missing files), which open must refuse
 * naming what is missing, without changing any file.
 */
class GenerationRecoveryTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("generations");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    // ---- crash artefacts: open recovers everything ----

    /** What an older build left when the disk filled during compaction: ROTATE durable, next journal header-less. */
    @ParameterizedTest(name = "next journal of {0} bytes")
    @ValueSource(ints = {0, 7, 16})
    void aNextJournalThatNeverGotItsHeaderIsACrashArtefact(int headerBytes) throws Exception {
        enqueueCompactEnqueue(700, 800); // snapshot-2 holds 700 jobs, journal-2 the other 800
        appendRotate(journal(2), 3);
        Files.write(journal(3), new byte[headerBytes]); // 16 zero bytes: size set, data never written
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(1_500L, storage.counts("q").get(JobState.QUEUED));
            storage.enqueue("q", job("after"));
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(1_501L, storage.counts("q").get(JobState.QUEUED));
        }
        assertTrue(files().contains("journal-0000000000000003.log"), files().toString());
    }

    @Test
    void aFirstJournalThatNeverGotItsHeaderOpensAsAnEmptyStorage() throws Exception {
        Files.write(journal(1), new byte[5]);
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue("q", job("first"));
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(1L, storage.counts("q").get(JobState.QUEUED));
        }
    }

    /** A compaction that died after creating the next journal, before its ROTATE: the empty journal is dropped. */
    @Test
    void anEmptyNextJournalWithoutItsRotateRecordIsDropped() throws Exception {
        enqueueCompactEnqueue(10, 20);
        createJournal(3);
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(30L, storage.counts("q").get(JobState.QUEUED));
            storage.enqueue("q", job("after"));
            storage.compact(); // generation 3 again, for real this time
            storage.enqueue("q", job("after-compaction"));
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(32L, storage.counts("q").get(JobState.QUEUED));
        }
        assertEquals(List.of("journal-0000000000000003.log", "lock", "snapshot-0000000000000003.dat"), files());
    }

    /** An older build's way of completing an interrupted compaction: snapshot renamed, died before the journal. */
    @Test
    void aSnapshotWhoseJournalWasNeverCreatedIsCompletedWhileThePreviousJournalIsStillThere() throws Exception {
        try (StorageDirectory directory = StorageDirectory.open(dir)) {
            StateIndex state = new StateIndex();
            Journal journal = new Journal(directory, state);
            Transitions writer = new Transitions(state, journal);
            locked(directory, () -> {
                journal.recover(NOW);
                writer.enqueue("q", job("kept"), NOW);
                journal.appendPending();
                journal.writeSnapshot(journal.rotate(NOW)); // not snapshotWritten: journal 1 stays
            });
            journal.close();
        }
        Files.delete(journal(2));
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(JobState.QUEUED, storage.status("q", "kept").orElseThrow().state());
        }
        assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), files());
    }

    // ---- damage: open refuses, names what is missing, changes nothing ----

    @Test
    void aDeletedSnapshotIsReportedInsteadOfOpeningEmpty() throws Exception {
        enqueueCompactEnqueue(1_500, 0);
        Files.delete(dir.resolve("snapshot-0000000000000002.dat"));
        List<String> before = files();
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("snapshot-0000000000000002.dat"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertEquals(dir.resolve("snapshot-0000000000000002.dat"), e.file());
        assertEquals(before, files(), "a refused open must not create or delete files");
    }

    @Test
    void aDeletedSnapshotBesideAnOlderOneIsReported() throws Exception {
        enqueueCompactEnqueue(10, 10);
        Path olderSnapshot = dir.resolve("snapshot-0000000000000002.dat");
        byte[] older = Files.readAllBytes(olderSnapshot);
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.compact(); // generation 3
            storage.enqueue("q", job("in-journal-3"));
        }
        // An operator restores an old snapshot and deletes the newest one: journal 3 has no base.
        Files.write(olderSnapshot, older);
        Files.delete(dir.resolve("snapshot-0000000000000003.dat"));
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("snapshot-0000000000000003.dat"), e.getMessage());
    }

    @Test
    void aDeletedJournalIsReported() throws Exception {
        enqueueCompactEnqueue(10, 10);
        Files.delete(journal(2));
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("journal-0000000000000002.log"), e.getMessage());
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertEquals(journal(2), e.file());
        assertEquals(List.of("lock", "snapshot-0000000000000002.dat"), files());
    }

    @Test
    void aGapInTheJournalChainIsReported() throws Exception {
        enqueueCompactEnqueue(10, 10);
        appendRotate(journal(2), 3); // the chain continues in journal 3 ...
        createJournal(4); // ... which is gone, while journal 4 holds jobs
        appendJob(journal(4), "in-journal-4");
        List<String> before = files();
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("journal-0000000000000003.log"), e.getMessage());
        assertEquals(before, files(), "a refused open must not create or delete files");
    }

    @Test
    void aJournalBeyondTheEndOfTheChainThatHoldsRecordsIsReported() throws Exception {
        enqueueCompactEnqueue(10, 10);
        createJournal(3); // journal 2 has no ROTATE into it, but it holds a job
        appendJob(journal(3), "in-journal-3");
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("snapshot-0000000000000003.dat"), e.getMessage());
    }

    @Test
    void aFailedOpenClosesEveryFileItOpened() throws Exception {
        enqueueCompactEnqueue(10, 10);
        appendRotate(journal(2), 3);
        Files.write(journal(3), "not a journal header, and longer than one".getBytes(StandardCharsets.UTF_8));
        assertNoFileLeftOpen(CorruptJournalException.class);
        Files.delete(journal(3));
        createJournal(4); // generation 3 missing
        appendJob(journal(4), "in-journal-4");
        assertNoFileLeftOpen(MissingGenerationException.class);
    }

    private void assertNoFileLeftOpen(Class<? extends Exception> failure) throws IOException {
        long before = openFileDescriptors();
        for (int i = 0; i < 20; i++) {
            assertThrows(failure, () -> FileStorage.open(dir).close());
        }
        assertEquals(before, openFileDescriptors(), "file descriptors left open by 20 failed opens");
    }

    // ---- helpers ----

    private void enqueueCompactEnqueue(int beforeCompaction, int afterCompaction) {
        try (FileStorage storage = FileStorage.open(dir)) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < beforeCompaction; i++) {
                jobs.add(job("a" + i));
            }
            storage.enqueueBatch("q", jobs);
            storage.compact();
            jobs.clear();
            for (int i = 0; i < afterCompaction; i++) {
                jobs.add(job("b" + i));
            }
            storage.enqueueBatch("q", jobs);
        }
    }

    private Path journal(long generation) {
        return dir.resolve(String.format("journal-%016d.log", generation));
    }

    private static void appendRotate(Path journal, long next) throws IOException {
        RecordBuffer rotate = new RecordBuffer();
        rotate.rotate(next);
        append(journal, rotate.asByteBuffer());
    }

    private static void appendJob(Path journal, String id) throws IOException {
        RecordBuffer record = new RecordBuffer();
        NewJob job = job(id);
        record.job(new JobRecord("q", id, JobState.QUEUED, 0, 1_000_000, NOW, null, 0, 3, 0, 1, Duration.ofHours(1),
                0, null, null, null, job.payload(), null, null), true);
        append(journal, record.asByteBuffer());
    }

    private static void append(Path journal, ByteBuffer bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
        }
    }

    /** A journal file with a valid header and no records, as the compaction creates it. */
    private void createJournal(long generation) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(JournalFile.HEADER).putInt(JournalFile.MAGIC)
                .putInt(JournalFile.FILE_FORMAT).putLong(generation).flip();
        Files.write(journal(generation), header.array());
    }

    private List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, id.getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
