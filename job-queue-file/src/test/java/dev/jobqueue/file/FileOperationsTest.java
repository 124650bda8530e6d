package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations of issue 11 on FileStorage, one behaviour per test, with a manual clock: what
 * each returns, what it changes, and that nothing else changes. The shared contract suite checks
 * the same semantics for every storage; these pin the file storage's own choices (cursors, FIFO
 * sequence, timing of records) and run before that suite exists.
 */
class FileOperationsTest {
    private static final String Q = "ops";
    private static final Map<String, String> META = Map.of("tenant", "acme", "trace", "00-abc-01");
    private final ManualClock clock = new ManualClock();
    private Path dir;
    private FileStorage storage;

    @BeforeEach
    void open() {
        dir = TempDirs.create("ops");
        storage = FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
    }

    @AfterEach
    void close() {
        storage.close();
        TempDirs.delete(dir);
    }

    static NewJob job(String id, int priority, Duration delay, Map<String, String> metadata) {
        return new NewJob(id, ("p-" + id).getBytes(StandardCharsets.UTF_8), priority, delay, null, 2, 1,
                Duration.ofHours(1), false, metadata);
    }

    private ClaimedJob claimOne() throws InterruptedException {
        List<ClaimedJob> claimed = storage.claim(Q, "w", 1, Duration.ofMinutes(1), Duration.ZERO);
        assertEquals(1, claimed.size(), "one job claimed");
        return claimed.get(0);
    }

    private void failed(String id) throws InterruptedException {
        storage.enqueue(Q, job(id, 0, Duration.ZERO, META));
        ClaimedJob c = claimOne();
        assertEquals(id, c.id());
        storage.fail(Q, new LeaseRef(c.id(), c.fencingToken()), new JobError("E", "boom", null, null, 1, clock.instant()), null);
    }

    private JobSnapshot status(String id) {
        return storage.status(Q, id).orElseThrow(() -> new AssertionError(id + " not found"));
    }

    @Test
    void metadataAndTimingTravelWithTheJob() throws Exception {
        Instant enqueued = clock.instant();
        storage.enqueue(Q, job("a", 0, Duration.ZERO, META));
        assertEquals(META, status("a").metadata());
        assertArrayEquals("p-a".getBytes(StandardCharsets.UTF_8), status("a").payload());
        assertNull(status("a").startedAt());
        clock.advance(Duration.ofSeconds(3));
        ClaimedJob c = claimOne();
        assertEquals(META, c.metadata());
        assertEquals(enqueued, c.readyAt());
        assertEquals(clock.instant(), c.claimedAt());
        assertEquals(clock.instant(), status("a").startedAt());
        clock.advance(Duration.ofSeconds(2));
        storage.complete(Q, new LeaseRef("a", c.fencingToken()), new byte[] {1}, null);
        JobSnapshot done = status("a");
        assertEquals(enqueued.plusSeconds(3), done.startedAt(), "kept after the job finished");
        assertEquals(clock.instant(), done.finishedAt());
        assertEquals(META, done.metadata());
    }

    @Test
    void readyAtOfADelayedJobIsItsDueTimeNotTheClaim() throws Exception {
        Instant due = clock.instant().plusSeconds(10);
        storage.enqueue(Q, job("d", 0, Duration.ofSeconds(10), Map.of()));
        clock.advance(Duration.ofSeconds(25));
        ClaimedJob c = claimOne();
        assertEquals(due, c.readyAt());
        assertEquals(clock.instant(), c.claimedAt());
        clock.advance(Duration.ofSeconds(1));
        storage.release(Q, new LeaseRef("d", c.fencingToken()));
        assertEquals(clock.instant(), claimOne().readyAt(), "released: ready since the release");
    }

    @Test
    void retryJobRequeuesAFailedJobAtTheEndOfItsFifoWithAFreshBudget() throws Exception {
        failed("f");
        storage.enqueue(Q, job("later", 0, Duration.ZERO, Map.of()));
        long before = status("f").attempts();
        assertEquals(1, before);
        clock.advance(Duration.ofSeconds(5));
        assertEquals(RetryResult.RETRIED, storage.retryJob(Q, "f"));
        JobSnapshot s = status("f");
        assertEquals(JobState.QUEUED, s.state());
        assertEquals(0, s.attempts());
        assertNull(s.error());
        assertNull(s.expiresAt());
        assertNull(s.startedAt());
        assertNull(s.finishedAt());
        assertEquals(META, s.metadata());
        assertEquals(List.of("later", "f"), storage.list(Q, JobState.QUEUED, 10), "behind the jobs queued before");
        assertEquals(RetryResult.NOT_RETRYABLE, storage.retryJob(Q, "f"));
        assertEquals(RetryResult.NOT_FOUND, storage.retryJob(Q, "nope"));
        ClaimedJob later = claimOne();
        ClaimedJob again = claimOne();
        assertEquals("f", again.id());
        assertTrue(again.fencingToken() > later.fencingToken());
        assertEquals(1, again.attempt());
        assertEquals(clock.instant(), again.readyAt());
        assertArrayEquals("p-f".getBytes(StandardCharsets.UTF_8), again.payload());
    }

    @Test
    void deleteFreesTheIdAndRefusesRunningJobs() throws Exception {
        storage.enqueue(Q, job("x", 0, Duration.ZERO, META));
        storage.enqueue(Q, job("y", 0, Duration.ZERO, META));
        ClaimedJob running = claimOne();
        assertEquals(DeleteResult.PROCESSING, storage.deleteJob(Q, running.id()));
        assertEquals(JobState.PROCESSING, status(running.id()).state());
        assertEquals(DeleteResult.DELETED, storage.deleteJob(Q, "y"));
        assertEquals(DeleteResult.NOT_FOUND, storage.deleteJob(Q, "y"));
        assertTrue(storage.status(Q, "y").isEmpty());
        assertEquals(0L, storage.counts(Q).get(JobState.QUEUED));
        assertTrue(storage.enqueue(Q, job("y", 0, Duration.ZERO, Map.of())).created(), "a new job with that id");
    }

    @Test
    void deletingAWaitingJobTellsListenersItWasCancelled() throws Exception {
        List<JobSnapshot> heard = new CopyOnWriteArrayList<>();
        storage.subscribe(Q, (id, snapshot) -> heard.add(snapshot));
        storage.enqueue(Q, job("w", 0, Duration.ofMinutes(5), Map.of()));
        assertEquals(DeleteResult.DELETED, storage.deleteJob(Q, "w"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (heard.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(1, heard.size());
        assertEquals("w", heard.get(0).id());
        assertEquals(JobState.CANCELLED, heard.get(0).state());
    }

    @Test
    void purgeAndRetryAllTakeTheOldestFirstAndStopAtTheLimit() throws Exception {
        for (int i = 0; i < 5; i++) {
            failed("f" + i);
            clock.advance(Duration.ofSeconds(1));
        }
        assertEquals(2, storage.retryAll(Q, JobState.FAILED, 2));
        assertEquals(List.of("f0", "f1"), storage.list(Q, JobState.QUEUED, 10));
        assertEquals(2, storage.purge(Q, JobState.FAILED, 2));
        assertTrue(storage.status(Q, "f2").isEmpty());
        assertTrue(storage.status(Q, "f3").isEmpty());
        assertEquals(JobState.FAILED, status("f4").state());
        assertEquals(1, storage.purge(Q, JobState.FAILED, 100));
        assertEquals(0, storage.purge(Q, JobState.FAILED, 100));
        assertEquals(2, storage.purge(Q, JobState.QUEUED, 100));
        assertThrows(IllegalArgumentException.class, () -> storage.purge(Q, JobState.PROCESSING, 1));
        assertThrows(IllegalArgumentException.class, () -> storage.retryAll(Q, JobState.COMPLETED, 1));
    }

    @Test
    void promoteQueuesADelayedJobNowBehindItsPriority() throws Exception {
        storage.enqueue(Q, job("d", 0, Duration.ofHours(1), Map.of()));
        storage.enqueue(Q, job("q", 0, Duration.ZERO, Map.of()));
        clock.advance(Duration.ofSeconds(7));
        assertEquals(PromoteResult.PROMOTED, storage.promote(Q, "d"));
        assertEquals(PromoteResult.NOT_DELAYED, storage.promote(Q, "d"));
        assertEquals(PromoteResult.NOT_FOUND, storage.promote(Q, "nope"));
        assertEquals(List.of("q", "d"), storage.list(Q, JobState.QUEUED, 10));
        claimOne();
        ClaimedJob d = claimOne();
        assertEquals("d", d.id());
        assertEquals(clock.instant(), d.readyAt());
    }

    @Test
    void listJobsPagesThroughEveryJobOnceInBothDirections() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 23; i++) {
            String id = "j" + i;
            storage.enqueue(Q, job(id, i % 3, Duration.ZERO, Map.of("n", "" + i)));
        }
        for (int p = 2; p >= 0; p--) {
            for (int i = 0; i < 23; i++) {
                if (i % 3 == p) {
                    expected.add("j" + i);
                }
            }
        }
        assertEquals(expected, pageAll(JobState.QUEUED, ListOrder.OLDEST_FIRST, 5));
        List<String> reversed = new ArrayList<>(expected);
        java.util.Collections.reverse(reversed);
        assertEquals(reversed, pageAll(JobState.QUEUED, ListOrder.NEWEST_FIRST, 4));
        SnapshotPage all = storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 23);
        assertNull(all.nextCursor(), "exact: no cursor when nothing follows");
        assertEquals(Map.of("n", "2"), all.jobs().get(0).metadata());
        assertNotNull(all.jobs().get(0).payload());
    }

    @Test
    void aJobThatStaysInTheStateIsListedOnceWhileOthersMove() throws Exception {
        for (int i = 0; i < 10; i++) {
            storage.enqueue(Q, job("j" + i, 0, Duration.ofSeconds(100 + i), Map.of()));
        }
        SnapshotPage first = storage.listJobs(Q, JobState.DELAYED, ListOrder.OLDEST_FIRST, null, 4);
        storage.deleteJob(Q, "j3"); // the last of the page leaves
        storage.promote(Q, "j6");
        storage.enqueue(Q, job("early", 0, Duration.ofSeconds(1), Map.of())); // sorts before the cursor
        List<String> ids = new ArrayList<>(ids(first));
        String cursor = first.nextCursor();
        while (cursor != null) {
            SnapshotPage page = storage.listJobs(Q, JobState.DELAYED, ListOrder.OLDEST_FIRST, cursor, 4);
            ids.addAll(ids(page));
            cursor = page.nextCursor();
        }
        assertEquals(List.of("j0", "j1", "j2", "j3", "j4", "j5", "j7", "j8", "j9"), ids);
    }

    @Test
    void aCursorIsCheckedAgainstItsStateAndOrder() throws Exception {
        for (int i = 0; i < 3; i++) {
            storage.enqueue(Q, job("j" + i, 0, Duration.ZERO, Map.of()));
        }
        String cursor = storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 1).nextCursor();
        for (String bad : List.of("%%%", "AAAA", cursor.substring(0, cursor.length() - 12), "x" + cursor)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, bad, 1), bad);
            assertTrue(e.getMessage().contains("cursor"), e.getMessage());
        }
        for (ListOrder order : ListOrder.values()) {
            for (JobState state : JobState.values()) {
                if (state != JobState.QUEUED || order != ListOrder.OLDEST_FIRST) {
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> storage.listJobs(Q, state, order, cursor, 1));
                    assertTrue(e.getMessage().contains("cursor"), e.getMessage());
                }
            }
        }
    }

    @Test
    void terminalListingsSkipExpiredRecords() throws Exception {
        failed("old");
        clock.advance(Duration.ofMinutes(30));
        failed("young");
        assertEquals(List.of("old", "young"), pageAll(JobState.FAILED, ListOrder.OLDEST_FIRST, 1));
        clock.advance(Duration.ofMinutes(45)); // "old" expired, "young" has 15 minutes left
        assertEquals(List.of("young"), pageAll(JobState.FAILED, ListOrder.OLDEST_FIRST, 1));
        assertEquals(List.of("young"), pageAll(JobState.FAILED, ListOrder.NEWEST_FIRST, 1));
        assertEquals(RetryResult.NOT_FOUND, storage.retryJob(Q, "old"));
    }

    @Test
    void pausedQueueClaimsNothingUntilResumedAndResumeWakesAWaitingClaimer() throws Exception {
        assertFalse(storage.isPaused(Q));
        assertTrue(storage.setPaused(Q, true));
        assertFalse(storage.setPaused(Q, true));
        assertTrue(storage.isPaused(Q));
        assertFalse(storage.isPaused("other"));
        storage.enqueue(Q, job("a", 0, Duration.ZERO, Map.of()));
        storage.enqueue(Q, job("due", 0, Duration.ofSeconds(1), Map.of()));
        clock.advance(Duration.ofSeconds(2));
        assertEquals(List.of(), storage.claim(Q, "w", 5, Duration.ofMinutes(1), Duration.ofMillis(50)));
        assertEquals(JobState.DELAYED, status("due").state(), "a paused claim promotes nothing");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<ClaimedJob>> waiting = pool.submit(() -> storage.claim(Q, "w", 1, Duration.ofMinutes(1),
                    Duration.ofMinutes(2)));
            Thread.sleep(300); // let it wait (any length works: the claim must not return before the resume)
            assertFalse(waiting.isDone());
            long resumedAt = System.nanoTime();
            assertTrue(storage.setPaused(Q, false));
            List<ClaimedJob> claimed = waiting.get(60, TimeUnit.SECONDS);
            assertEquals(1, claimed.size());
            assertTrue(System.nanoTime() - resumedAt < TimeUnit.SECONDS.toNanos(30), "woken by the resume");
        } finally {
            pool.shutdownNow();
        }
    }

    private List<String> pageAll(JobState state, ListOrder order, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        do {
            SnapshotPage page = storage.listJobs(Q, state, order, cursor, limit);
            assertTrue(page.jobs().size() <= limit);
            ids.addAll(ids(page));
            cursor = page.nextCursor();
        } while (cursor != null);
        return ids;
    }

    private static List<String> ids(SnapshotPage page) {
        return page.jobs().stream().map(JobSnapshot::id).toList();
    }
}
