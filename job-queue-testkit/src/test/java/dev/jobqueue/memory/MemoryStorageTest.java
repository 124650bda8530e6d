package dev.jobqueue.memory;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What MemoryStorage promises beyond the storage contract. */
class MemoryStorageTest {
    private final ManualClock clock = new ManualClock();
    private final MemoryStorage storage = new MemoryStorage(clock);

    @Test
    void callersCannotChangeStoredPayloadsOrResults() throws Exception {
        byte[] payload = {1, 2, 3};
        storage.enqueue("q", job("a").payload(payload).build());
        payload[0] = 99;
        ClaimedJob first = storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ZERO).get(0);
        assertArrayEquals(new byte[] {1, 2, 3}, first.payload());
        first.payload()[1] = 99;
        storage.release("q", new LeaseRef("a", first.fencingToken()));
        ClaimedJob second = storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ZERO).get(0);
        assertArrayEquals(new byte[] {1, 2, 3}, second.payload());

        byte[] result = {7, 8};
        storage.complete("q", new LeaseRef("a", second.fencingToken()), result, null);
        result[0] = 0;
        storage.status("q", "a").orElseThrow().result()[1] = 0;
        assertArrayEquals(new byte[] {7, 8}, storage.status("q", "a").orElseThrow().result());
    }

    @Test
    void closeEndsWaitingClaimsAndRejectsLaterCalls() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            AtomicReference<Thread> claimer = new AtomicReference<>();
            Future<List<ClaimedJob>> waiting = pool.submit(() -> {
                claimer.set(Thread.currentThread());
                return storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ofMinutes(10));
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (claimer.get() == null || claimer.get().getState() != Thread.State.TIMED_WAITING) {
                assertTrue(System.nanoTime() < deadline, "claimer never started waiting");
                Thread.sleep(1);
            }
            storage.close();
            assertTrue(waiting.get(30, TimeUnit.SECONDS).isEmpty());
            assertThrows(IllegalStateException.class, () -> storage.enqueue("q", job("a").build()));
            storage.close();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void waitingClaimWakesWhenADelayedJobEnqueuedLaterBecomesDue() throws Exception {
        // Real clock: the waiter must compute the due time of a job that arrived after it started waiting.
        MemoryStorage real = new MemoryStorage();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<ClaimedJob>> waiting = pool.submit(
                    () -> real.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ofMinutes(10)));
            real.enqueue("q", job("soon").delay(Duration.ofMillis(50)).build());
            List<ClaimedJob> got = waiting.get(30, TimeUnit.SECONDS);
            assertEquals(1, got.size());
            assertEquals("soon", got.get(0).id());
        } finally {
            pool.shutdownNow();
            real.close();
        }
    }

    @Test
    void memoryStaysBoundedUnderSteadyTraffic() throws Exception {
        int jobs = 20_000;
        for (int i = 0; i < jobs; i++) {
            storage.enqueue("q", job("done-" + i).resultTtl(Duration.ofSeconds(1)).build());
            ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ZERO).get(0);
            storage.complete("q", new LeaseRef(c.id(), c.fencingToken()), new byte[] {1}, null);
            storage.enqueue("q", job("cancelled-" + i).resultTtl(Duration.ofSeconds(1)).build());
            storage.cancel("q", "cancelled-" + i);
            if (i % 1_000 == 999) {
                clock.advance(Duration.ofSeconds(1));
            }
        }
        int[] footprint = storage.footprint("q");
        // Only the last second's records are alive; the indexes hold at most a compaction's worth more.
        assertTrue(footprint[0] <= 2_000, "records held: " + footprint[0]);
        assertTrue(footprint[1] <= 2_000 + 3 * 4_096, "index entries held: " + footprint[1]);
        clock.advance(Duration.ofSeconds(1));
        storage.enqueue("q", job("last").build());
        footprint = storage.footprint("q");
        assertEquals(1, footprint[0]);
    }

    @Test
    void listedPayloadsAreCopies() throws Exception {
        storage.enqueue("q", job("a").payload(new byte[] {1, 2}).build());
        storage.listJobs("q", JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 10).jobs().get(0).payload()[0] = 9;
        storage.status("q", "a").orElseThrow().payload()[1] = 9;
        ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ZERO).get(0);
        assertArrayEquals(new byte[] {1, 2}, c.payload());
        storage.fail("q", new LeaseRef("a", c.fencingToken()), new dev.jobqueue.JobError("T", "m", null, null, 1,
                clock.instant()), null);
        storage.listJobs("q", JobState.FAILED, ListOrder.NEWEST_FIRST, null, 10).jobs().get(0).payload()[0] = 9;
        storage.retryJob("q", "a");
        assertArrayEquals(new byte[] {1, 2}, storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ZERO).get(0).payload(),
                "the retried job runs with the payload it was enqueued with");
    }

    @Test
    void deletedAndRetriedRecordsLeaveNothingBehind() throws Exception {
        int jobs = 10_000;
        for (int i = 0; i < jobs; i++) {
            storage.enqueue("q", job("j" + i).priority(i % 3).delay(i % 2 == 0 ? Duration.ZERO : Duration.ofMinutes(1)).build());
        }
        for (int i = 0; i < jobs; i += 4) {
            storage.promote("q", "j" + (i + 1)); // DELAYED ones: a successor record each
        }
        List<ClaimedJob> claimed = storage.claim("q", "w", jobs, Duration.ofSeconds(30), Duration.ZERO);
        for (ClaimedJob c : claimed) {
            storage.fail("q", new LeaseRef(c.id(), c.fencingToken()), new dev.jobqueue.JobError("T", "m", null, null, 1,
                    clock.instant()), null);
        }
        while (storage.retryAll("q", JobState.FAILED, 500) > 0) {
            // every failed job back to QUEUED, in pages
        }
        for (JobState state : JobState.values()) {
            if (state != JobState.PROCESSING) {
                while (storage.purge("q", state, 700) > 0) {
                    // every job deleted, in pages
                }
            }
        }
        assertEquals(0, storage.footprint("q")[0], "records held");
        // Stale index entries leave when the housekeeping of claims, the reaper and expiry reaches
        // them (their times passed), or by a compaction; the ready queue keeps at most a compaction's worth.
        clock.advance(Duration.ofHours(2));
        storage.claim("q", "w", 1, Duration.ofSeconds(30), Duration.ZERO);
        storage.requeueExpired("q", 10);
        storage.enqueue("q", job("last").build());
        assertEquals(1, storage.footprint("q")[0]);
        assertTrue(storage.footprint("q")[1] <= 1 + 1_024, "index entries held: " + storage.footprint("q")[1]);
    }

    @Test
    void aJobBackInAnIndexWithTheSameDeadlineIsListedAndReapedOnce() throws Exception {
        // Index entries are hints: release and reclaim in the same millisecond leave two entries
        // that both match the record; it must still count as one job.
        storage.enqueue("q", job("a").build());
        for (int i = 0; i < 3; i++) {
            ClaimedJob c = storage.claim("q", "w", 1, Duration.ofSeconds(5), Duration.ZERO).get(0);
            storage.extend("q", List.of(new LeaseRef("a", c.fencingToken())), Duration.ofSeconds(5));
            if (i < 2) {
                storage.release("q", new LeaseRef("a", c.fencingToken()));
            }
        }
        assertEquals(List.of("a"), storage.list("q", dev.jobqueue.JobState.PROCESSING, 10));
        clock.advance(Duration.ofSeconds(5));
        List<dev.jobqueue.spi.StalledJob> stalled = storage.requeueExpired("q", 10);
        assertEquals(1, stalled.size());
        assertEquals(1, stalled.get(0).stalls());
        assertEquals(1L, storage.counts("q").get(dev.jobqueue.JobState.QUEUED));
        assertEquals(0L, storage.counts("q").get(dev.jobqueue.JobState.PROCESSING));
    }

    @Test
    void whoeverSeesAJobInAStateSeesItCountedAndListedThere() throws Exception {
        // The memory storage takes no storage-wide lock, so a batch of claims or completions is
        // not one atomic step; each job in it must still be counted and indexed when it changes
        // state, not after the batch. One thread claims and completes batches of 256 while this
        // one watches the first job of each batch.
        MemoryStorage real = new MemoryStorage();
        int batches = 200;
        int size = 256;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            java.util.concurrent.CountDownLatch watching = new java.util.concurrent.CountDownLatch(1);
            Future<?> writer = pool.submit(() -> {
                watching.await();
                for (int b = 0; b < batches; b++) {
                    for (int i = 0; i < size; i++) {
                        real.enqueue("q", job(b + "-" + i).build());
                    }
                    List<ClaimedJob> claimed = real.claim("q", "w", size, Duration.ofMinutes(5), Duration.ZERO);
                    List<dev.jobqueue.spi.Completion> done = new java.util.ArrayList<>();
                    for (ClaimedJob c : claimed) {
                        done.add(new dev.jobqueue.spi.Completion(new LeaseRef(c.id(), c.fencingToken()), new byte[0], null));
                    }
                    real.completeAll("q", done);
                }
                return null;
            });
            watching.countDown();
            int checked = 0;
            for (int b = 0; b < batches; b++) {
                String id = b + "-0";
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                boolean sawProcessing = false;
                while (true) {
                    assertTrue(System.nanoTime() < deadline, "job " + id + " never completed");
                    var status = real.status("q", id);
                    if (status.isEmpty()) {
                        continue;
                    }
                    dev.jobqueue.JobState state = status.get().state();
                    if (state == dev.jobqueue.JobState.PROCESSING && !sawProcessing) {
                        // It may complete while we look; a job only moves forward here, so if it
                        // is still PROCESSING after the look, it was PROCESSING throughout.
                        boolean counted = real.counts("q").get(state) >= 1;
                        boolean listed = real.list("q", state, 1_000).contains(id);
                        if (real.status("q", id).orElseThrow().state() == state) {
                            assertTrue(counted, id + " is PROCESSING but not counted");
                            assertTrue(listed, id + " is PROCESSING but not listed");
                            sawProcessing = true;
                            checked++;
                        }
                    }
                    if (state == dev.jobqueue.JobState.COMPLETED) {
                        assertTrue(real.counts("q").get(state) >= (long) b * size + 1,
                                id + " is COMPLETED but not counted");
                        assertTrue(real.list("q", state, Integer.MAX_VALUE).contains(id), id + " is COMPLETED but not listed");
                        checked++;
                        break;
                    }
                }
            }
            writer.get(60, TimeUnit.SECONDS);
            assertTrue(checked >= batches, "checked " + checked);
        } finally {
            pool.shutdownNow();
            real.close();
        }
    }

    @Test
    void readingUnknownQueuesLeavesNothingBehind() {
        for (int i = 0; i < 100; i++) {
            String name = "never-written-" + i;
            assertTrue(storage.status(name, "a").isEmpty());
            assertEquals(0L, storage.counts(name).get(dev.jobqueue.JobState.QUEUED));
            assertTrue(storage.list(name, dev.jobqueue.JobState.QUEUED, 10).isEmpty());
            assertEquals(dev.jobqueue.CancelResult.NOT_FOUND, storage.cancel(name, "a"));
            assertEquals(dev.jobqueue.spi.TransitionOutcome.LEASE_LOST,
                    storage.complete(name, new LeaseRef("a", 1), new byte[0], null));
            assertTrue(storage.requeueExpired(name, 10).isEmpty());
            assertTrue(storage.listJobs(name, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 10).jobs().isEmpty());
            assertEquals(RetryResult.NOT_FOUND, storage.retryJob(name, "a"));
            assertEquals(0, storage.retryAll(name, JobState.FAILED, 10));
            assertEquals(DeleteResult.NOT_FOUND, storage.deleteJob(name, "a"));
            assertEquals(0, storage.purge(name, JobState.COMPLETED, 10));
            assertEquals(PromoteResult.NOT_FOUND, storage.promote(name, "a"));
            assertFalse(storage.isPaused(name));
        }
        assertEquals(0, storage.queueCount());
        storage.enqueue("written", job("a").build());
        assertEquals(1, storage.queueCount());
    }
}
