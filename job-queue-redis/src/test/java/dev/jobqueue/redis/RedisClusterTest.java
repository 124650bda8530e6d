package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.contract.StorageContract;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Storage;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * RedisStorage on a real 3-master Redis Cluster the test starts itself: the whole storage
 * contract runs against it (so no script ever hits CROSSSLOT), plus two queues whose hash tags
 * live on different masters working side by side, and a pause and resume across two instances.
 */
class RedisClusterTest extends StorageContract {
    @TempDir
    static Path dir;
    private static RedisClusterProcesses cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new RedisClusterProcesses(dir);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Storage createStorage(Clock clock) {
        // the cluster is this test's own and is discarded afterwards, so no key cleanup is needed
        return RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("cl").clock(clock).build();
    }

    @Test
    void twoQueuesOnDifferentMastersWorkSideBySide() throws Exception {
        String first = queueNameOnSlotRange(0);
        String second = null;
        for (int i = 0; second == null; i++) {
            String candidate = "orders-" + i;
            if (cluster.portOfSlot(slot(candidate)) != cluster.portOfSlot(slot(first))) {
                second = candidate;
            }
        }
        assertNotEquals(cluster.portOfSlot(slot(first)), cluster.portOfSlot(slot(second)));
        try (RedisStorage real = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("side").build()) {
            Set<String> notified = ConcurrentHashMap.newKeySet();
            TerminalListener listener = (jobId, snapshot) -> notified.add(jobId);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Subscription a = real.subscribe(first, listener);
            Subscription b = real.subscribe(second, listener);
            try {
                for (String q : List.of(first, second)) {
                    Future<List<ClaimedJob>> waiting = pool.submit(() -> real.claim(q, "w", 10, Duration.ofSeconds(30), Duration.ofSeconds(30)));
                    for (int i = 0; i < 20; i++) {
                        assertTrue(real.enqueue(q, TestJobs.job(q + "-job-" + i).build()).created());
                    }
                    List<ClaimedJob> claimed = new java.util.ArrayList<>(waiting.get(30, TimeUnit.SECONDS));
                    while (claimed.size() < 20) {
                        claimed.addAll(real.claim(q, "w", 20, Duration.ofSeconds(30), Duration.ZERO));
                    }
                    for (ClaimedJob c : claimed) {
                        assertEquals(TransitionOutcome.APPLIED,
                                real.complete(q, new LeaseRef(c.id(), c.fencingToken()), new byte[] {7}, null));
                    }
                    assertEquals(20L, real.counts(q).get(JobState.COMPLETED));
                    JobSnapshot s = real.status(q, q + "-job-3").orElseThrow();
                    assertEquals(JobState.COMPLETED, s.state());
                }
                awaitCondition(() -> notified.size() == 40, () -> "40 notifications, got " + notified.size());
            } finally {
                a.close();
                b.close();
                pool.shutdownNow();
            }
        }
    }

    @Test
    void aResumeOnOneInstanceWakesAClaimerOfAnotherOnTheCluster() throws Exception {
        String q = "paused-{odd}:queue";
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RedisStorage a = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("pause").build();
             RedisStorage b = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("pause").build()) {
            assertTrue(a.setPaused(q, true));
            assertTrue(b.isPaused(q));
            b.enqueue(q, TestJobs.job("{j}:1").build());
            Future<List<ClaimedJob>> waiting = pool.submit(() -> b.claim(q, "w", 1, Duration.ofSeconds(30), Duration.ofMinutes(2)));
            awaitCondition(() -> b.idleClaimers(q) == 1, () -> "b's claimer waits out the pause");
            assertEquals(1, b.listJobs(q, JobState.QUEUED, dev.jobqueue.ListOrder.OLDEST_FIRST, null, 10).jobs().size());
            assertTrue(a.setPaused(q, false));
            assertEquals("{j}:1", waiting.get(60, TimeUnit.SECONDS).get(0).id());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void limitsThrottleSnoozeCancelAndSchedulesRunInTheQueuesSlot() throws Exception {
        String q = "limits-{odd}:queue";
        KeySpace keys = new KeySpace("flow", q);
        int slot = JedisClusterCRC16.getSlot(keys.key("ready"));
        for (List<byte[]> declared : List.of(keys.claimKeys(), keys.limitsKeys(), keys.throttleKeys(), keys.scheduleKeys())) {
            for (byte[] key : declared) {
                assertEquals(slot, JedisClusterCRC16.getSlot(key), new String(key, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        try (RedisStorage a = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("flow").build();
             RedisStorage b = RedisStorage.builder().cluster(cluster.seeds()).keyPrefix("flow").build()) {
            dev.jobqueue.QueueLimits limits = dev.jobqueue.QueueLimits.NONE.withMaxRunning(2).withRate(100, Duration.ofMinutes(1));
            a.setLimits(q, limits);
            assertEquals(limits, b.limits(q));
            for (int i = 0; i < 4; i++) {
                a.enqueue(q, TestJobs.job("{j}:" + i).build());
            }
            List<ClaimedJob> running = b.claim(q, "w", 4, Duration.ofSeconds(30), Duration.ZERO);
            assertEquals(2, running.size(), "maxRunning across instances");
            assertTrue(a.claim(q, "w", 4, Duration.ofSeconds(30), Duration.ZERO).isEmpty());
            assertEquals(TransitionOutcome.APPLIED,
                    b.snooze(q, new LeaseRef(running.get(0).id(), running.get(0).fencingToken()), Duration.ofHours(1)));
            assertEquals(dev.jobqueue.CancelResult.CANCELLED, a.cancel(q, running.get(1).id()));
            assertEquals(TransitionOutcome.LEASE_LOST,
                    b.complete(q, new LeaseRef(running.get(1).id(), running.get(1).fencingToken()), new byte[] {1}, null));
            assertEquals(2, a.claim(q, "w", 4, Duration.ofSeconds(30), Duration.ZERO).size(), "two slots freed");
            a.throttle(q, Duration.ofMinutes(1));
            b.setLimits(q, dev.jobqueue.QueueLimits.NONE);
            assertTrue(b.claim(q, "w", 4, Duration.ofSeconds(30), Duration.ZERO).isEmpty(), "throttled");

            java.time.Instant now = java.time.Instant.now();
            a.upsertSchedule(q, "{s}:nightly", new byte[] {1}, now.minusSeconds(1));
            a.upsertSchedule(q, "later", new byte[] {2}, now.plusSeconds(3600));
            List<dev.jobqueue.spi.ScheduleRecord> due = b.dueSchedules(q, 10);
            assertEquals(List.of("{s}:nightly"), due.stream().map(dev.jobqueue.spi.ScheduleRecord::id).toList());
            assertTrue(b.advanceSchedule(q, "{s}:nightly", due.get(0).version(), now.plusSeconds(86_400)));
            assertEquals(2, a.listSchedules(q).size());
            assertTrue(a.removeSchedule(q, "later"));
            assertEquals(1, b.listSchedules(q).size());
        }
    }

    private static String queueNameOnSlotRange(int i) {
        return "emails-" + i;
    }

    /** The slot of the queue's hash tag, exactly as the storage builds it. */
    private static int slot(String queue) {
        return JedisClusterCRC16.getSlot("{" + KeySpace.encodeQueueName(queue) + "}");
    }
}
