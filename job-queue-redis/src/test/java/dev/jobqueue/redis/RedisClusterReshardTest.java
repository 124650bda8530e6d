package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.Queue;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

            int from = cluster.portOfSlot(slot);
            int to = cluster.otherMasterThan(from);
            cluster.moveSlot(slot, to);
            assertNotEquals(from, cluster.portOfSlot(slot));

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

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }
}
