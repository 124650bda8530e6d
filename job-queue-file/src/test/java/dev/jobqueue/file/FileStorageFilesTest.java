package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What FileStorage does to the file system: permissions, names, disk use. */
class FileStorageFilesTest {
    private Path root;

    @BeforeEach
    void createRoot() {
        root = TempDirs.create("files");
    }

    @AfterEach
    void deleteRoot() {
        TempDirs.delete(root);
    }

    @Test
    void directoryAndFilesAreOwnerOnly() throws Exception {
        Path dir = root.resolve("nested").resolve("jobs");
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue("q", job("a", 10));
            storage.compact();
            storage.enqueue("q", job("b", 10));
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        List<Path> files = list(dir);
        assertTrue(files.stream().anyMatch(p -> p.getFileName().toString().startsWith("snapshot-")), files.toString());
        for (Path file : files) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
        }
    }

    @Test
    void oddIdsWorkAndNeverBecomeFileNames() throws Exception {
        Path dir = root.resolve("jobs");
        List<String> ids = List.of("../../etc/passwd", "a/b", "..", ".", "/abs", "a\\b", "lock", "journal-0000000000000002.log",
                "ünïcødé-日本-😀", "line\nbreak", "x".repeat(10 * 1024));
        Set<String> rootBefore = names(root);
        try (FileStorage storage = FileStorage.open(dir)) {
            for (String id : ids) {
                assertTrue(storage.enqueue("../q/" + id, job(id, 5)).created(), id);
            }
            storage.compact();
            for (String id : ids) {
                ClaimedJob claimed = storage.claim("../q/" + id, "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
                assertEquals(id, claimed.id());
                storage.complete("../q/" + id, new LeaseRef(id, claimed.fencingToken()), id.getBytes(StandardCharsets.UTF_8), null);
            }
        }
        try (FileStorage reopened = FileStorage.open(dir)) {
            for (String id : ids) {
                assertEquals(id, new String(reopened.status("../q/" + id, id).orElseThrow().result(), StandardCharsets.UTF_8));
            }
        }
        assertEquals(Set.of("jobs"), difference(names(root), rootBefore));
        for (Path file : list(dir)) {
            assertTrue(file.getFileName().toString().matches("lock|journal-\\d{16}\\.log|snapshot-\\d{16}\\.dat"), file.toString());
        }
    }

    @Test
    void twoHundredThousandFinishedJobsLeaveAFewMegabytesAfterCompaction() throws Exception {
        Path dir = root.resolve("jobs");
        ManualClock clock = new ManualClock();
        Duration ttl = Duration.ofMinutes(10);
        long largestDirectory = 0;
        FileStorageOptions options = FileStorageOptions.builder().clock(clock).durability(Durability.FSYNC_BATCHED)
                .compactionThresholdBytes(4L << 20).build();
        try (FileStorage storage = FileStorage.open(dir, options)) {
            for (int batch = 0; batch < 200; batch++) {
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 1_000; i++) {
                    jobs.add(job("job-" + batch + "-" + i, 100));
                }
                storage.enqueueBatch("q", jobs);
                List<ClaimedJob> claimed = storage.claim("q", "w", 1_000, Duration.ofMinutes(1), Duration.ZERO);
                assertEquals(1_000, claimed.size());
                for (ClaimedJob c : claimed) {
                    storage.complete("q", new LeaseRef(c.id(), c.fencingToken()), new byte[20], ttl);
                }
                clock.advance(Duration.ofMinutes(1)); // results of 10 batches are live at any time
                largestDirectory = Math.max(largestDirectory, size(dir));
            }
            clock.advance(ttl);
            storage.compact();
        }
        long after = size(dir);
        System.out.printf("disk bound: largest directory %.1f MB during the run, %d bytes after expiry and compaction%n",
                largestDirectory / 1e6, after);
        assertTrue(after < 1_000_000, "directory holds " + after + " bytes after everything expired");
        assertTrue(largestDirectory < 32_000_000, "directory grew to " + largestDirectory + " bytes");
        try (FileStorage reopened = FileStorage.open(dir, options)) {
            assertEquals(0L, reopened.counts("q").values().stream().mapToLong(Long::longValue).sum());
            assertTrue(reopened.enqueue("q", job("job-0-0", 10)).created(), "an expired id can be used again");
        }
    }

    @Test
    void journalsOfOlderFormatsAreReadAndUpgradedAndUnknownFormatsRefused() throws Exception {
        Path dir = root.resolve("jobs");
        try (FileStorage storage = FileStorage.open(dir)) {
            storage.enqueue("q", job("old", 10));
        }
        // A header of format 1 (the golden directories hold real older files; see GoldenFilesTest).
        writeFormat(dir.resolve("journal-0000000000000001.log"), 1);
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(JobState.QUEUED, storage.status("q", "old").orElseThrow().state());
        }
        Path upgraded = dir.resolve("journal-0000000000000002.log");
        assertTrue(Files.exists(dir.resolve("snapshot-0000000000000002.dat")), "compacted into the current formats on open");
        writeFormat(upgraded, JournalFile.FILE_FORMAT + 1);
        CorruptJournalException e = assertThrows(CorruptJournalException.class, () -> FileStorage.open(dir).close());
        assertTrue(e.getMessage().contains("unsupported journal format " + (JournalFile.FILE_FORMAT + 1)), e.getMessage());
    }

    private static void writeFormat(Path journal, int format) throws IOException {
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(4).putInt(0, format), 4);
        }
    }

    private static NewJob job(String id, int payloadBytes) {
        return new NewJob(id, new byte[payloadBytes], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.collect(Collectors.toList());
        }
    }

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> !p.startsWith(dir.resolve("jobs")) || p.equals(dir.resolve("jobs")))
                    .map(p -> dir.relativize(p).toString()).collect(Collectors.toSet());
        }
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).collect(Collectors.toSet());
    }

    private static long size(Path dir) throws IOException {
        long total = 0;
        for (Path file : list(dir)) {
            try {
                total += Files.size(file);
            } catch (NoSuchFileException e) {
                // deleted since the listing: the loop removes replaced generations while we look
            }
        }
        return total;
    }
}
