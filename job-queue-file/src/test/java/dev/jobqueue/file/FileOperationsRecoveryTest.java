package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.SnapshotPage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operations' records on disk: what a reopen (from the journal, or from a snapshot after
 * compaction) gives back, that deleted jobs leave no bytes behind after compaction, that odd ids
 * touch only their own job, and that the pause flag is shared by every instance on a directory.
 */
class FileOperationsRecoveryTest {
    private static final String Q = "ops-recovery";
    private static final Map<String, String> META = Map.of("tenant", "acme", "ünï", "😀");
    private static final List<String> ODD_IDS = List.of("with:colons", "{braces}", "a/b/c", "..", "../../etc/passwd",
            "ünïcødé-😀", "nul-\u0000-x", "lock", "journal-0000000000000001.log", "a".repeat(1024), "😀".repeat(512));
    private final ManualClock clock = new ManualClock();
    private Path dir;

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("ops-recovery");
    }

    @AfterEach
    void deleteDir() {
        TempDirs.delete(dir);
    }

    private FileStorage open() {
        return FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
    }

    private static NewJob job(String id, Duration delay, int maxAttempts) {
        return new NewJob(id, ("p-" + id).getBytes(StandardCharsets.UTF_8), 0, delay, null, maxAttempts, 1,
                Duration.ofHours(1), false, META);
    }

    @ParameterizedTest(name = "compact before reopening: {0}")
    @ValueSource(booleans = {false, true})
    void reopenKeepsMetadataTimingPauseAndEveryOperationsResult(boolean compact) throws Exception {
        Instant t0 = clock.instant();
        try (FileStorage s = open()) {
            s.enqueue(Q, job("retried", Duration.ZERO, 1));
            s.enqueue(Q, job("delayed", Duration.ofHours(1), 3));
            s.enqueue(Q, job("deleted", Duration.ZERO, 3));
            s.enqueue(Q, job("done", Duration.ZERO, 3));
            clock.advance(Duration.ofSeconds(1));
            List<ClaimedJob> claimed = s.claim(Q, "w", 4, Duration.ofMinutes(1), Duration.ZERO);
            assertEquals(List.of("retried", "deleted", "done"), claimed.stream().map(ClaimedJob::id).toList());
            clock.advance(Duration.ofSeconds(1));
            s.fail(Q, lease(claimed.get(0)), new JobError("E", "boom", null, null, 1, clock.instant()), null);
            s.release(Q, lease(claimed.get(1)));
            s.complete(Q, lease(claimed.get(2)), new byte[] {7}, null);
            clock.advance(Duration.ofSeconds(1));
            assertEquals(RetryResult.RETRIED, s.retryJob(Q, "retried"));
            assertEquals(PromoteResult.PROMOTED, s.promote(Q, "delayed"));
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "deleted"));
            assertTrue(s.setPaused(Q, true));
            assertTrue(s.setPaused("other", true));
            assertTrue(s.setPaused("other", false));
            if (compact) {
                s.compact();
            }
        }
        try (FileStorage s = open()) {
            assertTrue(s.isPaused(Q));
            assertFalse(s.isPaused("other"));
            assertTrue(s.status(Q, "deleted").isEmpty());
            JobSnapshot done = s.status(Q, "done").orElseThrow();
            assertEquals(t0.plusSeconds(1), done.startedAt());
            assertEquals(t0.plusSeconds(2), done.finishedAt());
            assertEquals(META, done.metadata());
            assertArrayEquals("p-done".getBytes(StandardCharsets.UTF_8), done.payload());
            JobSnapshot retried = s.status(Q, "retried").orElseThrow();
            assertEquals(JobState.QUEUED, retried.state());
            assertEquals(0, retried.attempts());
            assertNull(retried.startedAt());
            assertEquals(List.of("retried", "delayed"), s.list(Q, JobState.QUEUED, 10), "FIFO after the operator's moves");
            assertEquals(List.of(), s.claim(Q, "w", 2, Duration.ofMinutes(1), Duration.ZERO), "still paused");
            assertTrue(s.setPaused(Q, false));
            List<ClaimedJob> claimed = s.claim(Q, "w", 2, Duration.ofMinutes(1), Duration.ZERO);
            assertEquals(List.of(t0.plusSeconds(3), t0.plusSeconds(3)), claimed.stream().map(ClaimedJob::readyAt).toList());
            assertTrue(claimed.get(0).fencingToken() > 3, "tokens go on after every earlier one");
            assertEquals(META, claimed.get(1).metadata());
        }
    }

    @Test
    void compactionAfterDeletesDropsTheDeletedJobsBytes() throws Exception {
        byte[] big = new byte[64 * 1024];
        try (FileStorage s = open()) {
            for (int i = 0; i < 64; i++) {
                s.enqueue(Q, new NewJob("big-" + i, big, 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false));
            }
            s.enqueue(Q, job("kept", Duration.ZERO, 3));
            assertTrue(directorySize() > 64L * big.length, "the payloads are on disk");
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "big-0"));
            int purged = 0;
            while (purged < 63) {
                purged += s.purge(Q, JobState.QUEUED, Math.min(10, 63 - purged)); // oldest first: big-1..big-63
            }
            s.compact();
            assertTrue(directorySize() < 4096, "only the kept job's record is left: " + directorySize() + " bytes");
        }
        try (FileStorage s = open()) {
            assertEquals(List.of("kept"), s.list(Q, JobState.QUEUED, 100));
            assertArrayEquals("p-kept".getBytes(StandardCharsets.UTF_8), s.status(Q, "kept").orElseThrow().payload());
        }
    }

    @Test
    void updatesOfAJobDoNotRepeatItsMetadataInTheJournal() throws Exception {
        Map<String, String> large = Map.of("blob", "m".repeat(8_000));
        try (FileStorage s = open()) {
            s.enqueue(Q, new NewJob("big-meta", new byte[1], 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false,
                    large));
            long afterEnqueue = directorySize();
            ClaimedJob c = s.claim(Q, "w", 1, Duration.ofMinutes(1), Duration.ZERO).get(0);
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of(), s.extend(Q, List.of(lease(c)), Duration.ofMinutes(1)));
            }
            s.complete(Q, lease(c), new byte[1], null);
            assertTrue(directorySize() - afterEnqueue < 8_000, "22 updates took " + (directorySize() - afterEnqueue) + " bytes");
        }
        try (FileStorage s = open()) {
            assertEquals(large, s.status(Q, "big-meta").orElseThrow().metadata(), "replay puts the metadata back");
        }
    }

    @Test
    void oddIdsTouchOnlyTheirOwnJobThroughEveryOperationAndAReopen() throws Exception {
        try (FileStorage s = open()) {
            for (String id : ODD_IDS) {
                s.enqueue(Q, job(id, Duration.ofHours(1), 3));
            }
            for (int i = 0; i < ODD_IDS.size(); i += 2) {
                assertEquals(PromoteResult.PROMOTED, s.promote(Q, ODD_IDS.get(i)));
            }
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, ODD_IDS.get(1)));
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, ODD_IDS.get(4)));
            assertEquals(DeleteResult.NOT_FOUND, s.deleteJob(Q, "../../etc"));
            assertEquals(DeleteResult.NOT_FOUND, s.deleteJob(Q, "a".repeat(1023)));
            assertEquals(pageAll(s, JobState.QUEUED, ListOrder.OLDEST_FIRST, 1), s.list(Q, JobState.QUEUED, 100));
            assertEquals(pageAll(s, JobState.DELAYED, ListOrder.OLDEST_FIRST, 1), s.list(Q, JobState.DELAYED, 100));
        }
        try (FileStorage s = open()) {
            List<String> expectedQueued = new ArrayList<>();
            List<String> expectedDelayed = new ArrayList<>();
            for (int i = 0; i < ODD_IDS.size(); i++) {
                String id = ODD_IDS.get(i);
                if (i == 1 || i == 4) {
                    assertTrue(s.status(Q, id).isEmpty(), id);
                } else {
                    (i % 2 == 0 ? expectedQueued : expectedDelayed).add(id);
                    JobSnapshot status = s.status(Q, id).orElseThrow();
                    assertArrayEquals(("p-" + id).getBytes(StandardCharsets.UTF_8), status.payload(), id);
                    assertEquals(META, status.metadata());
                }
            }
            assertEquals(expectedQueued, pageAll(s, JobState.QUEUED, ListOrder.OLDEST_FIRST, 2));
            assertEquals(expectedDelayed, pageAll(s, JobState.DELAYED, ListOrder.OLDEST_FIRST, 3));
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.allMatch(f -> f.getFileName().toString().matches("lock|journal-\\d{16}\\.log|snapshot-\\d{16}\\.dat")),
                    "no id became a file name");
        }
    }

    @Test
    void pauseIsSharedByEveryInstanceOnTheDirectoryAndAResumeThereWakesClaimersHere() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (FileStorage here = FileStorage.open(dir); FileStorage there = FileStorage.open(dir)) {
            assertTrue(there.setPaused(Q, true));
            assertTrue(here.isPaused(Q));
            assertFalse(here.setPaused(Q, true), "already paused by the other instance");
            here.enqueue(Q, job("a", Duration.ZERO, 3));
            Future<List<ClaimedJob>> waiting = pool.submit(() -> here.claim(Q, "w", 1, Duration.ofMinutes(1),
                    Duration.ofMinutes(2)));
            Thread.sleep(300);
            assertFalse(waiting.isDone(), "a paused queue gives nothing");
            assertTrue(there.setPaused(Q, false));
            assertEquals("a", waiting.get(60, TimeUnit.SECONDS).get(0).id());
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<String> pageAll(FileStorage s, JobState state, ListOrder order, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            SnapshotPage page = s.listJobs(Q, state, order, cursor, limit);
            page.jobs().forEach(j -> ids.add(j.id()));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    private static LeaseRef lease(ClaimedJob job) {
        return new LeaseRef(job.id(), job.fencingToken());
    }

    private long directorySize() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.toList()) {
                total += Files.size(f);
            }
            return total;
        }
    }
}
