package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.NewJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Torn-tail fuzz: a journal of enqueues is damaged at random (cut at any offset, or bytes of its
 * last record flipped); reopening must not throw and must keep every record before the damage.
 * Damage in the middle (valid records after it) must stop the open with the file and offset.
 */
class JournalRecoveryProperties {
    private static final String QUEUE = "fuzz";

    /** Frame offsets of the records of a journal, plus its end. */
    private record Layout(Path journal, List<Long> starts, long end) {
        long endOf(int record) {
            return record + 1 < starts.size() ? starts.get(record + 1) : end;
        }
    }

    @Property(tries = 60)
    void aCutAnywhereKeepsEveryCompleteRecord(@ForAll @IntRange(min = 1, max = 25) int jobs, @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        Path dir = TempDirs.create("fuzz");
        try {
            List<byte[]> payloads = writeJobs(dir, jobs, random);
            Layout layout = layout(dir);
            long cut = JournalFile.HEADER + (long) random.nextInt((int) (layout.end() - JournalFile.HEADER));
            try (FileChannel ch = FileChannel.open(layout.journal(), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            int survivors = 0;
            while (survivors < jobs && layout.endOf(survivors) <= cut) {
                survivors++;
            }
            assertRecovered(dir, payloads, survivors);
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Property(tries = 60)
    void flippedBytesInTheLastRecordCutOnlyThatRecord(@ForAll @IntRange(min = 1, max = 25) int jobs,
                                                      @ForAll @IntRange(min = 1, max = 4) int flips,
                                                      @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Path dir = TempDirs.create("fuzz");
        try {
            List<byte[]> payloads = writeJobs(dir, jobs, random);
            Layout layout = layout(dir);
            long last = layout.starts().get(jobs - 1);
            for (int i = 0; i < flips; i++) {
                flip(layout.journal(), last + random.nextInt((int) (layout.end() - last)), random);
            }
            assertRecovered(dir, payloads, jobs - 1);
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Property(tries = 40)
    void corruptionFollowedByValidRecordsStopsTheOpenNamingFileAndOffset(
            @ForAll @IntRange(min = 2, max = 25) int jobs, @ForAll long seed) throws Exception {
        Random random = new Random(seed);
        Path dir = TempDirs.create("fuzz");
        try {
            writeJobs(dir, jobs, random);
            Layout layout = layout(dir);
            int damaged = random.nextInt(jobs - 1);
            long start = layout.starts().get(damaged);
            flip(layout.journal(), start + random.nextInt((int) (layout.endOf(damaged) - start)), random);
            CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
            assertEquals(layout.journal(), e.file());
            assertEquals(start, e.offset());
            assertTrue(e.getMessage().contains(layout.journal().toString()) && e.getMessage().contains("offset " + start),
                    e.getMessage());
            // Refusing leaves the file as it was: nothing was cut.
            assertEquals(layout.end(), Files.size(layout.journal()));
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Example
    void aCorruptSnapshotStopsTheOpen() throws Exception {
        Path dir = TempDirs.create("fuzz");
        try {
            writeJobs(dir, 5, new Random(1));
            try (FileStorage storage = FileStorage.open(dir)) {
                storage.compact();
            }
            Path snapshot;
            try (var files = Files.list(dir)) {
                snapshot = files.filter(p -> p.getFileName().toString().startsWith("snapshot-")).findFirst().orElseThrow();
            }
            flip(snapshot, Files.size(snapshot) / 2, new Random(2));
            CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
            assertEquals(snapshot, e.file());
        } finally {
            TempDirs.delete(dir);
        }
    }

    @Example
    void aTornTailLeftByAnotherProcessIsCutDuringCatchUp() throws Exception {
        Path dir = TempDirs.create("fuzz");
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue(QUEUE, job("before", new byte[] {1}));
            Path journal = layout(dir).journal();
            // What a writer killed in the middle of an append leaves: the start of a frame.
            try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.write(ByteBuffer.wrap(new byte[] {0, 0, 0, 100, 1, 2, 3}));
            }
            storage.enqueue(QUEUE, job("after", new byte[] {2}));
            assertEquals(JobState.QUEUED, storage.status(QUEUE, "after").orElseThrow().state());
        } finally {
            try (FileStorage reopened = FileStorage.open(dir)) {
                assertEquals(2L, reopened.counts(QUEUE).get(JobState.QUEUED));
            }
            TempDirs.delete(dir);
        }
    }

    private static List<byte[]> writeJobs(Path dir, int jobs, Random random) {
        List<byte[]> payloads = new ArrayList<>();
        try (FileStorage storage = FileStorage.open(dir,
                FileStorageOptions.builder().durability(Durability.FSYNC_BATCHED).build())) {
            for (int i = 0; i < jobs; i++) {
                byte[] payload = new byte[random.nextInt(300)];
                random.nextBytes(payload);
                payloads.add(payload);
                storage.enqueue(QUEUE, job("job-" + i, payload));
            }
        }
        return payloads;
    }

    private static void assertRecovered(Path dir, List<byte[]> payloads, int survivors) {
        try (FileStorage storage = FileStorage.open(dir)) {
            for (int i = 0; i < payloads.size(); i++) {
                var status = storage.status(QUEUE, "job-" + i);
                assertEquals(i < survivors, status.isPresent(), "job-" + i + " of " + survivors + " survivors");
            }
            var claimed = storage.claim(QUEUE, "w", payloads.size() + 1, Duration.ofMinutes(1), Duration.ZERO);
            assertEquals(survivors, claimed.size());
            for (int i = 0; i < survivors; i++) {
                assertArrayEquals(payloads.get(i), claimed.get(i).payload(), "payload of job-" + i);
            }
            // The storage writes on after the cut, and that survives the next restart.
            storage.enqueue(QUEUE, job("written-after-recovery", new byte[] {7}));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertTrue(storage.status(QUEUE, "written-after-recovery").isPresent());
            assertEquals((long) survivors, storage.counts(QUEUE).get(JobState.PROCESSING));
        }
    }

    private static Layout layout(Path dir) throws IOException {
        Path journal;
        try (var files = Files.list(dir)) {
            journal = files.filter(p -> StorageDirectory.isJournalName(p.getFileName().toString()))
                    .findFirst().orElseThrow();
        }
        List<Long> starts = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.READ)) {
            long end = ch.size();
            RecordScanner.Result result = RecordScanner.scan(ch, journal, JournalFile.HEADER, end,
                    (entry, offset) -> starts.add(offset));
            assertEquals(end, result.validEnd());
            return new Layout(journal, starts, end);
        }
    }

    private static void flip(Path file, long offset, Random random) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            ch.read(one, offset);
            byte mask = (byte) (1 + random.nextInt(255));
            ch.write(ByteBuffer.wrap(new byte[] {(byte) (one.get(0) ^ mask)}), offset);
        }
    }

    private static NewJob job(String id, byte[] payload) {
        return new NewJob(id, payload, 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }
}
