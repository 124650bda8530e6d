package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * A queue whose slot an operator reshards to another master while the storage is idle keeps
 * working with the same storage instance: the first call after the move gets MOVED, refreshes
 * the slot routing and is retried, and everything stored before the move (queued jobs, a held
 * lease, results) is still there. (Resharding a slot while calls on it are running is not
 * supported: see job-queue-redis/README.md.)
 */
class RedisClusterReshardTest {
    private static final Duration LEASE = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    @Test
    void aQueueKeepsWorkingAfterItsSlotMovesToAnotherMaster() throws Exception {
        try (RedisClusterProcesses cluster = new RedisClusterProcesses(dir);
                RedisStorage storage = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("rs").build()) {
            String queue = "reshard";
            int slot = JedisClusterCRC16.getSlot("{" + KeySpace.encodeQueueName(queue) + "}");

            for (int i = 0; i < 40; i++) {
                assertTrue(storage.enqueue(queue, TestJobs.job("before-" + i).build()).created());
            }
            List<ClaimedJob> first = storage.claim(queue, "w", 20, LEASE, Duration.ZERO);
            assertEquals(20, first.size());
            ClaimedJob held = first.remove(0);
            for (ClaimedJob c : first) {
                assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), new byte[] {1}, null));
            }

            assertTrue(storage.setPaused(queue, true));
            int from = cluster.portOfSlot(slot);
            int to = cluster.otherMasterThan(from);
            cluster.moveSlot(slot, to);
            assertNotEquals(from, cluster.portOfSlot(slot));
            assertTrue(storage.isPaused(queue), "the pause flag moved with the queue's slot");
            assertEquals(19, storage.listJobs(queue, JobState.COMPLETED, dev.jobqueue.ListOrder.OLDEST_FIRST, null, 100)
                    .jobs().size());
            assertTrue(storage.setPaused(queue, false));

            // The same storage instance, whose routing still points at the old master.
            assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(held), new byte[] {2}, null),
                    "the lease taken before the move is still valid after it");
            assertArrayEquals(new byte[] {1}, storage.status(queue, first.get(0).id()).orElseThrow().result());
            List<ClaimedJob> rest = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (rest.size() < 20) {
                assertTrue(System.nanoTime() < deadline, "only " + rest.size() + " of the 20 queued jobs claimed");
                rest.addAll(storage.claim(queue, "w", 20 - rest.size(), LEASE, Duration.ofSeconds(1)));
            }
            for (ClaimedJob c : rest) {
                assertEquals(TransitionOutcome.APPLIED, storage.complete(queue, lease(c), new byte[] {3}, null));
            }
            assertEquals(40L, storage.counts(queue).get(JobState.COMPLETED));

            // And the whole Queue runtime on top: claims, completions, pub/sub waiters.
            try (Queue<String, String> q = Queue.builder(storage, String.class, String.class)
                    .name(queue).concurrency(4).handler(job -> job.payload().toUpperCase()).build()) {
                q.start();
                for (int i = 0; i < 20; i++) {
                    assertEquals("AFTER-" + i, q.enqueueAndWait("after-" + i, "after-" + i, Duration.ofSeconds(60)));
                }
            }
            assertEquals(60L, storage.counts(queue).get(JobState.COMPLETED));
        }
    }

    @Test
    void noScriptRunsOnAHalfMovedSlotSoABatchNeverHalfApplies() throws Exception {
        String queue = "guarded";
        KeySpace keys = new KeySpace("gd", queue);
        int slot = JedisClusterCRC16.getSlot("{" + KeySpace.encodeQueueName(queue) + "}");
        try (RedisClusterProcesses cluster = new RedisClusterProcesses(dir);
                RedisStorage storage = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("gd")
                        .retryWindow(Duration.ofSeconds(2)).build()) {
            // Every index key of the queue exists, so only the slot guard is missing on the
            // source once the move begins: without it the script below would run.
            storage.enqueue(queue, TestJobs.job("c").build());
            storage.complete(queue, lease(claimOne(storage, queue)), new byte[] {1}, null);
            storage.enqueue(queue, TestJobs.job("x").build());
            storage.fail(queue, lease(claimOne(storage, queue)), failure(), null);
            storage.enqueue(queue, TestJobs.job("f").build());
            storage.retry(queue, lease(claimOne(storage, queue)), Duration.ofHours(1), failure());
            storage.enqueue(queue, TestJobs.job("y").build());
            storage.cancel(queue, "y");
            storage.enqueue(queue, TestJobs.job("d").delay(Duration.ofHours(1)).build());
            storage.enqueue(queue, TestJobs.job("a").build());
            storage.enqueue(queue, TestJobs.job("b").build());
            List<ClaimedJob> ab = storage.claim(queue, "w", 2, LEASE, Duration.ZERO);
            assertEquals(2, ab.size());
            storage.enqueue(queue, TestJobs.job("r").build());

            int from = cluster.portOfSlot(slot);
            try (RedisClusterProcesses.SlotMove move = cluster.beginMove(slot, cluster.otherMasterThan(from))) {
                List<String> present = move.keysLeft(Integer.MAX_VALUE).stream()
                        .map(k -> new String(k, StandardCharsets.UTF_8)).toList();
                for (String suffix : KeySpace.FIXED_SUFFIXES) {
                    assertEquals(!suffix.equals(KeySpace.SLOT_GUARD), present.contains(keys.key(suffix)),
                            "key " + suffix + " exists");
                }
                // b's record leaves first; a's and every index stay on the source for now.
                move.migrate(List.of(keys.jobKey("b").getBytes(StandardCharsets.UTF_8)));

                assertThrows(RedisStorageException.class, () -> storage.completeAll(queue, List.of(
                        new Completion(lease(ab.get(0)), new byte[] {2}, null),
                        new Completion(lease(ab.get(1)), new byte[] {3}, null))),
                        "refused (and retried) for the whole retry window while the slot is half moved");
                assertEquals("PROCESSING", move.source().hget(keys.jobKey("a"), "st"),
                        "nothing of the refused batch was applied");
                assertNotNull(move.source().zscore(keys.fixedKeys().get(3), KeySpace.hexId("a")),
                        "a is still in the leases index");

                move.finish();
            }
            assertEquals(List.of(TransitionOutcome.APPLIED, TransitionOutcome.APPLIED), storage.completeAll(queue, List.of(
                    new Completion(lease(ab.get(0)), new byte[] {2}, null),
                    new Completion(lease(ab.get(1)), new byte[] {3}, null))));
            var counts = storage.counts(queue);
            assertEquals(3L, counts.get(JobState.COMPLETED), counts.toString());
            assertEquals(0L, counts.get(JobState.PROCESSING), counts.toString());
            assertEquals(1L, counts.get(JobState.QUEUED), counts.toString());
            assertArrayEquals(new byte[] {3}, storage.status(queue, ab.get(1).id()).orElseThrow().result());
        }
    }

    @Test
    void jobsEnqueuedAndWorkedWhileTheirSlotMovesAreAllCompleted() throws Exception {
        reshardUnderLoad(key -> false);
    }

    @Test
    void jobsEnqueuedAndWorkedWhileTheirSlotMovesJobRecordsFirstAreAllCompleted() throws Exception {
        // Job records leave before the queue's indexes: scripts then find the indexes (their
        // declared KEYS) here and some job records gone, and must fail before writing anything.
        reshardUnderLoad(key -> key.contains(":j:"));
    }

    private void reshardUnderLoad(Predicate<String> migrateFirst) throws Exception {
        int jobs = 3_000;
        try (RedisClusterProcesses cluster = new RedisClusterProcesses(dir);
                RedisStorage storage = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("live").build()) {
            String queue = "live-reshard";
            int slot = JedisClusterCRC16.getSlot("{" + KeySpace.encodeQueueName(queue) + "}");
            List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
            try (Queue<String, String> q = Queue.builder(storage, String.class, String.class)
                            .name(queue).concurrency(8).visibilityTimeout(Duration.ofSeconds(5))
                            .handler(job -> job.payload().toUpperCase())
                            .listener(new dev.jobqueue.QueueListener() {
                                @Override
                                public void error(Throwable error) {
                                    errors.add(error);
                                }

                                @Override
                                public void failed(String jobId, dev.jobqueue.JobError error) {
                                    errors.add(new AssertionError(jobId + " failed: " + error.message()));
                                }
                            })
                            .build();
                    dev.jobqueue.Reaper reaper = dev.jobqueue.Reaper.builder(storage).name(queue)
                            .scanInterval(Duration.ofMillis(500)).build()) {
                q.start();
                reaper.start();
                List<java.util.concurrent.CompletableFuture<dev.jobqueue.EnqueueResult<String>>> enqueued = new ArrayList<>();
                Thread producer = new Thread(() -> {
                    for (int i = 0; i < jobs; i++) {
                        enqueued.add(q.enqueueAsync("job-" + i, "p" + i));
                        if (i % 20 == 0) {
                            try {
                                Thread.sleep(2); // spread the jobs over the reshard
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                });
                producer.start();
                Thread.sleep(300);
                int from = cluster.portOfSlot(slot);
                cluster.moveSlot(slot, cluster.otherMasterThan(from), 5, 2, migrateFirst);
                producer.join(120_000);
                for (var f : enqueued) {
                    f.get(120, java.util.concurrent.TimeUnit.SECONDS);
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                while (storage.counts(queue).get(JobState.COMPLETED) < jobs) {
                    assertTrue(System.nanoTime() < deadline, "completed " + storage.counts(queue) + ", errors " + errors);
                    Thread.sleep(100); // polling for completion with a generous deadline
                }
            }
            for (int i = 0; i < jobs; i++) {
                var s = storage.status(queue, "job-" + i).orElseThrow();
                assertEquals(JobState.COMPLETED, s.state(), "job-" + i);
            }
            var counts = storage.counts(queue);
            assertEquals((long) jobs, counts.get(JobState.COMPLETED), counts.toString());
            assertEquals(0L, counts.get(JobState.QUEUED) + counts.get(JobState.PROCESSING), counts.toString());
            assertEquals(List.of(), errors, "every call met by the move was retried, none failed");
        }
    }

    private static ClaimedJob claimOne(RedisStorage storage, String queue) throws InterruptedException {
        List<ClaimedJob> claimed = storage.claim(queue, "w", 1, LEASE, Duration.ZERO);
        assertEquals(1, claimed.size());
        return claimed.get(0);
    }

    private static dev.jobqueue.JobError failure() {
        return dev.jobqueue.JobError.of(new IllegalStateException("boom"), 1, java.time.Instant.now());
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }
}
