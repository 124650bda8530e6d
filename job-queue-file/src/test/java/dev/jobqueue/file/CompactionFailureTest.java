package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.spi.NewJob;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A compaction that cannot start the next generation (a full disk, something in the way) leaves
 * the journal as it was: the running storage goes on, compacts once the cause is gone, and the
 * directory reopens with every acknowledged job. The full-disk test uses a real, small tmpfs and
 * runs only where this process may mount one (as root); the other case runs everywhere.
 */
class CompactionFailureTest {
    private Path root;

    @BeforeEach
    void createRoot() {
        root = TempDirs.create("compaction-failure");
    }

    @AfterEach
    void deleteRoot() throws Exception {
        Path fs = root.resolve("fs");
        if (Files.isDirectory(fs) && run("umount", fs.toString()) != 0) {
            run("umount", "-l", fs.toString()); // busy (a failed test left a file open): detach it anyway
        }
        TempDirs.delete(root);
    }

    @Test
    void aNextJournalThatCannotBeCreatedFailsTheCompactionOnlyAndALaterOneSucceeds() throws Exception {
        Path dir = root.resolve("jobs");
        Path obstacle;
        try (FileStorage storage = FileStorage.open(dir)) {
            enqueue(storage, "before", 100);
            obstacle = Files.createDirectories(dir.resolve("journal-0000000000000002.log").resolve("x"));
            UncheckedIOException e = assertThrows(UncheckedIOException.class, storage::compact);
            assertTrue(e.getMessage().contains("compaction"), e.getMessage());
            enqueue(storage, "during", 100); // appended to journal 1, which the failed compaction left as it was
            assertEquals(200L, storage.counts("q").get(JobState.QUEUED));
            Files.delete(obstacle);
            Files.delete(obstacle.getParent());
            storage.compact();
            enqueue(storage, "after", 100);
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertEquals(300L, storage.counts("q").get(JobState.QUEUED));
        }
        assertEquals(List.of("journal-0000000000000002.log", "lock", "snapshot-0000000000000002.dat"), list(dir));
    }

    @Test
    void aFullDiskDuringCompactionLosesNothingAndTheStorageRecoversOnceSpaceReturns() throws Exception {
        Path fs = Files.createDirectories(root.resolve("fs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", fs.toString()) == 0,
                "needs permission to mount a small tmpfs (run as root)");
        Path dir = fs.resolve("jobs");
        Path filler = fs.resolve("filler");
        List<String> acknowledged = new ArrayList<>();
        try (FileStorage storage = FileStorage.open(dir)) {
            acknowledged.addAll(enqueue(storage, "before", 300));
            fill(filler);
            // Journal 2 cannot get its header (no free page left): the compaction fails, nothing else.
            UncheckedIOException e = assertThrows(UncheckedIOException.class, storage::compact);
            assertTrue(String.valueOf(e.getCause()).contains("No space left on device"), String.valueOf(e.getCause()));
            assertEquals(300L, storage.counts("q").get(JobState.QUEUED));
            for (int i = 0; i < 50; i++) { // some fit in the journal's last page, the others fail
                try {
                    acknowledged.addAll(enqueue(storage, "full-" + i, 1));
                } catch (UncheckedIOException expected) {
                    // not acknowledged: need not survive
                }
            }
            Files.delete(filler);
            acknowledged.addAll(enqueue(storage, "after", 100));
            storage.compact();
            acknowledged.addAll(enqueue(storage, "last", 10));
            assertAllQueued(storage, acknowledged);
        }
        try (FileStorage storage = FileStorage.open(dir)) {
            assertAllQueued(storage, acknowledged);
            fill(filler);
        }
        // Reopening on a full disk reads what is there; writes wait for space.
        try (FileStorage storage = FileStorage.open(dir)) {
            assertAllQueued(storage, acknowledged);
            Files.delete(filler);
            storage.enqueue("q", job("again"));
        }
    }

    private static void assertAllQueued(FileStorage storage, List<String> ids) {
        assertEquals((long) ids.size(), storage.counts("q").get(JobState.QUEUED));
        for (String id : ids) {
            assertEquals(JobState.QUEUED, storage.status("q", id).orElseThrow().state(), id);
        }
    }

    private static List<String> enqueue(FileStorage storage, String prefix, int count) {
        List<NewJob> jobs = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + "-" + i);
            jobs.add(job(prefix + "-" + i));
        }
        storage.enqueueBatch("q", jobs);
        return ids;
    }

    /** Writes until the file system is full. */
    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left"), full.toString());
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static NewJob job(String id) {
        return new NewJob(id, id.getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 1,
                Duration.ofHours(1), false);
    }
}
