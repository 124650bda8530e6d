package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * Snooze, cancel of a running job, queue limits (maxRunning, rate window) and throttle on the
 * shared Redis: what each stores, that held-back claims take nothing and wait, and that the
 * fenced snooze is safe to resend after a lost reply.
 */
class RedisFlowControlTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final String prefix = RedisTestServer.uniquePrefix();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void deleteKeys() {
        RedisTestServer.deleteKeys(prefix);
    }

    private RedisStorage manualClockStorage() {
        return RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).clock(clock).build();
    }

    private RedisStorage realTimeStorage() {
        return RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(prefix).build();
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    @Test
    void snoozeDelaysARunningJobAndTakesItsAttemptBack() throws Exception {
        try (RedisStorage storage = manualClockStorage()) {
            storage.enqueue("q", TestJobs.job("a").build());
            ClaimedJob first = storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0);
            assertEquals(1, first.attempt());
            assertEquals(TransitionOutcome.APPLIED, storage.snooze("q", lease(first), Duration.ofMinutes(5)));
            JobSnapshot s = storage.status("q", "a").orElseThrow();
            assertEquals(JobState.DELAYED, s.state());
            assertEquals(0, s.attempts(), "the snoozed claim's attempt is taken back");
            assertEquals(clock.instant().plus(Duration.ofMinutes(5)), s.runAt());
            assertEquals(TransitionOutcome.LEASE_LOST, storage.complete("q", lease(first), new byte[] {1}, null));
            assertEquals(TransitionOutcome.LEASE_LOST, storage.snooze("q", lease(first), Duration.ZERO));
            assertEquals(0L, storage.counts("q").get(JobState.PROCESSING));
            assertTrue(storage.requeueExpired("q", 10).isEmpty(), "no lease left behind");

            assertTrue(storage.claim("q", "w", 1, LEASE, Duration.ZERO).isEmpty(), "not due yet");
            clock.advance(Duration.ofMinutes(5));
            ClaimedJob second = storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0);
            assertEquals("a", second.id());
            assertEquals(1, second.attempt(), "the snooze used no attempt");
            assertTrue(second.fencingToken() > first.fencingToken());
        }
    }

    @Test
    void aResentSnoozeReportsAppliedOnceAndAnotherCallWithTheSameTokenLeaseLost() throws Exception {
        try (RedisStorage storage = manualClockStorage(); RedisClient client = RedisClient.create(RedisTestServer.url())) {
            storage.enqueue("q", TestJobs.job("a").build());
            ClaimedJob c = storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0);
            KeySpace keys = new KeySpace(prefix, "q");
            LuaScript snooze = LuaScript.load("snooze", LuaScript.resource("prelude.lua"));
            ScriptExecutor executor = new ScriptExecutor(client, "test", 1, Duration.ofSeconds(5), RedisStorage.daemonThreads("test"));
            try {
                List<byte[]> head = new ScriptArgs(clock).head(keys);
                List<byte[]> items = List.of(KeySpace.hexId("a"), ScriptArgs.ascii(c.fencingToken()), ScriptArgs.ascii(60_000),
                        ScriptArgs.ascii(4242));
                Object first = executor.execute(ScriptCall.batch(snooze, keys.fixedKeys(), head, items, 1, null));
                Object resent = executor.execute(ScriptCall.batch(snooze, keys.fixedKeys(), head, items, 1, null));
                assertEquals(TransitionOutcome.APPLIED, FencedItem.outcome(first));
                assertEquals(TransitionOutcome.APPLIED, FencedItem.outcome(resent), "the same call resent");
                List<byte[]> other = List.of(KeySpace.hexId("a"), ScriptArgs.ascii(c.fencingToken()), ScriptArgs.ascii(60_000),
                        ScriptArgs.ascii(4343));
                assertEquals(TransitionOutcome.LEASE_LOST,
                        FencedItem.outcome(executor.execute(ScriptCall.batch(snooze, keys.fixedKeys(), head, other, 1, null))));
                assertEquals(0, storage.status("q", "a").orElseThrow().attempts(), "the attempt was taken back once");
            } finally {
                executor.close();
            }
        }
    }

    @Test
    void cancellingARunningJobEndsItsLeaseAndAlwaysPublishes() throws Exception {
        try (RedisStorage storage = manualClockStorage(); RedisStorage other = manualClockStorage()) {
            Map<String, JobSnapshot> heard = new ConcurrentHashMap<>();
            Subscription sub = other.subscribe("q", (id, snapshot) -> heard.put(id, snapshot));
            try {
                storage.enqueue("q", TestJobs.job("run").notifyOnTerminal(false).build());
                ClaimedJob c = storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0);
                assertEquals(CancelResult.CANCELLED, storage.cancel("q", "run"));
                Eventually.await("the CANCELLED notice reaches another instance", () -> heard.containsKey("run"));
                assertEquals(JobState.CANCELLED, heard.get("run").state());
                assertEquals(JobState.CANCELLED, storage.status("q", "run").orElseThrow().state());
                assertEquals(TransitionOutcome.LEASE_LOST, storage.complete("q", lease(c), new byte[] {1}, null));
                assertEquals(TransitionOutcome.LEASE_LOST, storage.snooze("q", lease(c), Duration.ZERO));
                assertEquals(TransitionOutcome.LEASE_LOST, storage.unclaim("q", lease(c)));
                assertEquals(List.of("run"), storage.extend("q", List.of(lease(c)), LEASE));
                clock.advance(LEASE.multipliedBy(2));
                assertTrue(storage.requeueExpired("q", 10).isEmpty(), "the reaper never sees it");
                assertEquals(CancelResult.CANCELLED, storage.cancel("q", "run"), "again (also a resend)");
                assertEquals(0L, storage.counts("q").get(JobState.PROCESSING));
                assertEquals(1L, storage.counts("q").get(JobState.CANCELLED));
                // an operator retry gives it a token above the cancelled claim's
                assertEquals(dev.jobqueue.RetryResult.RETRIED, storage.retryJob("q", "run"));
                ClaimedJob again = storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0);
                assertTrue(again.fencingToken() > c.fencingToken());
                assertEquals(TransitionOutcome.LEASE_LOST, storage.complete("q", lease(c), new byte[] {1}, null));
                assertEquals(TransitionOutcome.APPLIED, storage.complete("q", lease(again), new byte[] {1}, null));
            } finally {
                sub.close();
            }
        }
    }

    @Test
    void maxRunningCapsClaimsAcrossInstancesAndAFinishingJobWakesAHeldClaimer() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RedisStorage a = realTimeStorage(); RedisStorage b = realTimeStorage()) {
            assertEquals(QueueLimits.NONE, a.limits("q"));
            QueueLimits limits = QueueLimits.NONE.withMaxRunning(2);
            a.setLimits("q", limits);
            assertEquals(limits, b.limits("q"));
            for (int i = 0; i < 6; i++) {
                a.enqueue("q", TestJobs.job("j" + i).build());
            }
            List<ClaimedJob> first = a.claim("q", "w", 5, LEASE, Duration.ZERO);
            assertEquals(2, first.size());
            assertTrue(b.claim("q", "w", 5, LEASE, Duration.ZERO).isEmpty(), "held back in another instance too");
            Future<List<ClaimedJob>> held = pool.submit(() -> a.claim("q", "w", 5, LEASE, Duration.ofSeconds(60)));
            Eventually.await("the claimer is held back", () -> a.idleClaimers("q") == 1);
            assertEquals(TransitionOutcome.APPLIED, a.complete("q", lease(first.get(0)), new byte[] {1}, null));
            List<ClaimedJob> next = held.get(60, TimeUnit.SECONDS);
            assertEquals(1, next.size(), "one slot freed");
            assertEquals(2L, a.counts("q").get(JobState.PROCESSING));

            // a job finishing in another process: the held claimer notices on its re-check timer
            held = pool.submit(() -> a.claim("q", "w", 5, LEASE, Duration.ofSeconds(60)));
            Eventually.await("the claimer is held back again", () -> a.idleClaimers("q") == 1);
            assertEquals(CancelResult.CANCELLED, b.cancel("q", next.get(0).id()), "a cancelled running job frees its slot");
            assertEquals(1, held.get(60, TimeUnit.SECONDS).size());

            a.setLimits("q", QueueLimits.NONE);
            assertEquals(QueueLimits.NONE, b.limits("q"));
            assertEquals(2, b.claim("q", "w", 5, LEASE, Duration.ZERO).size(), "no limit: the rest");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theRateWindowSlidesOnTheStorageClock() throws Exception {
        try (RedisStorage storage = manualClockStorage()) {
            QueueLimits limits = QueueLimits.NONE.withRate(3, Duration.ofSeconds(10));
            storage.setLimits("q", limits);
            assertEquals(limits, storage.limits("q"));
            for (int i = 0; i < 10; i++) {
                storage.enqueue("q", TestJobs.job("j" + i).build());
            }
            assertEquals(2, storage.claim("q", "w", 2, LEASE, Duration.ZERO).size());
            clock.advance(Duration.ofSeconds(4));
            assertEquals(1, storage.claim("q", "w", 5, LEASE, Duration.ZERO).size(), "3 per 10 s");
            assertTrue(storage.claim("q", "w", 5, LEASE, Duration.ZERO).isEmpty());
            clock.advance(Duration.ofSeconds(6)); // the first two leave the window, the third not
            assertEquals(2, storage.claim("q", "w", 5, LEASE, Duration.ZERO).size());
            clock.advance(Duration.ofSeconds(4)); // the third leaves
            assertEquals(1, storage.claim("q", "w", 5, LEASE, Duration.ZERO).size());

            // lowered: the newest claims still count, trimmed to the new limit
            storage.setLimits("q", QueueLimits.NONE.withRate(1, Duration.ofSeconds(10)));
            assertTrue(storage.claim("q", "w", 5, LEASE, Duration.ZERO).isEmpty());
            clock.advance(Duration.ofSeconds(10));
            assertEquals(1, storage.claim("q", "w", 5, LEASE, Duration.ZERO).size());
            storage.setLimits("q", QueueLimits.NONE.withMaxRunning(100));
            assertEquals(3, storage.claim("q", "w", 5, LEASE, Duration.ZERO).size(), "the rate log went with the rate limit");

            QueueLimits subMillisecond = QueueLimits.NONE.withRate(2, Duration.ofNanos(1_500_001));
            storage.setLimits("q", subMillisecond);
            assertEquals(subMillisecond, storage.limits("q"), "the period is kept exactly");
        }
    }

    @Test
    void aRateHeldClaimWaitsForTheWindowWithinItsMaxWait() throws Exception {
        try (RedisStorage storage = realTimeStorage()) {
            storage.setLimits("q", QueueLimits.NONE.withRate(2, Duration.ofMillis(600)));
            for (int i = 0; i < 6; i++) {
                storage.enqueue("q", TestJobs.job("j" + i).build());
            }
            List<Instant> claimedAt = new ArrayList<>();
            int taken = 0;
            while (taken < 6) {
                List<ClaimedJob> got = storage.claim("q", "w", 6, LEASE, Duration.ofSeconds(30));
                assertTrue(!got.isEmpty(), "a held claim returns jobs once the window frees a slot");
                for (ClaimedJob c : got) {
                    claimedAt.add(c.claimedAt());
                }
                taken += got.size();
            }
            // the sliding window on Redis time: no 600 ms window holds more than 2 claims
            for (int i = 2; i < claimedAt.size(); i++) {
                assertTrue(Duration.between(claimedAt.get(i - 2), claimedAt.get(i)).toMillis() >= 600,
                        "claims " + (i - 2) + " and " + i + " at " + claimedAt);
            }
        }
    }

    @Test
    void aThrottleHoldsBackClaimsUntilItsEndAndTheLaterEndWins() throws Exception {
        try (RedisStorage storage = manualClockStorage()) {
            storage.enqueue("q", TestJobs.job("a").build());
            Instant end = storage.throttle("q", Duration.ofSeconds(10));
            assertEquals(clock.instant().plusSeconds(10), end);
            assertEquals(end, storage.throttle("q", Duration.ofSeconds(5)), "never shortened");
            assertTrue(storage.claim("q", "w", 1, LEASE, Duration.ZERO).isEmpty());
            clock.advance(Duration.ofSeconds(9));
            assertTrue(storage.claim("q", "w", 1, LEASE, Duration.ZERO).isEmpty());
            assertEquals(clock.instant().plusSeconds(5), storage.throttle("q", Duration.ofSeconds(5)), "extended");
            clock.advance(Duration.ofSeconds(5));
            assertEquals("a", storage.claim("q", "w", 1, LEASE, Duration.ZERO).get(0).id());
        }
        try (RedisStorage storage = realTimeStorage()) {
            storage.enqueue("r", TestJobs.job("b").build());
            storage.throttle("r", Duration.ofMillis(400));
            // nobody wakes it: the claim takes the job once the throttle ended
            List<ClaimedJob> got = storage.claim("r", "w", 1, LEASE, Duration.ofSeconds(30));
            assertEquals("b", got.get(0).id());
        }
    }

    @Test
    void removingTheLimitsRemovesTheirKeys() throws Exception {
        try (RedisStorage storage = realTimeStorage(); RedisClient client = RedisClient.create(RedisTestServer.url())) {
            storage.enqueue("q", TestJobs.job("a").build());
            storage.setLimits("q", QueueLimits.NONE.withMaxRunning(1).withRate(5, Duration.ofSeconds(1)));
            assertEquals(1, storage.claim("q", "w", 1, LEASE, Duration.ZERO).size());
            assertTrue(RedisTestServer.keys(client, prefix).stream().anyMatch(k -> k.endsWith(":rate")), "the rate log");
            storage.setLimits("q", QueueLimits.NONE);
            assertFalse(RedisTestServer.keys(client, prefix).stream().anyMatch(k -> k.endsWith(":limits") || k.endsWith(":rate")),
                    "NONE removes the limits and the rate log");
            storage.enqueue("q", TestJobs.job("b").build());
            assertEquals(1, storage.claim("q", "w", 1, LEASE, Duration.ZERO).size());
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
