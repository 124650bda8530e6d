package dev.jobqueue.redis;

import static dev.jobqueue.redis.RedisConnectionDropTest.awaitCondition;
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
import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.SnapshotPage;
import dev.jobqueue.spi.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The operations API on a real Redis, beyond the contract suite: metadata and timing fields as
 * stored, keyset paging through many jobs of one score (the ready set), cursor checks, retry and
 * delete details, odd ids, and a pause seen by a second storage instance (another process).
 */
class RedisOperationsTest {
    private static final String Q = "ops";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final RedisTestStorages storages = new RedisTestStorages();
    private final ManualClock clock = new ManualClock();

    @AfterEach
    void deleteKeys() {
        storages.deleteAll();
    }

    private static NewJob job(String id, Map<String, String> metadata) {
        return new NewJob(id, ("payload of " + id).getBytes(StandardCharsets.UTF_8), 0, Duration.ZERO, null, 3, 3,
                Duration.ofHours(1), false, metadata);
    }

    @Test
    void metadataAndTimingAreStoredWithTheJob() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            Map<String, String> md = new LinkedHashMap<>();
            md.put("tenant", "acme");
            md.put("trace|id", "a:b:c 12\u00e9\ud83d\ude00");
            md.put("empty", "");
            Instant enqueued = clock.instant();
            assertTrue(s.enqueue(Q, job("j1", md)).created());
            clock.advance(Duration.ofSeconds(5));
            ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
            assertEquals(md, c.metadata());
            assertEquals(List.copyOf(md.keySet()), List.copyOf(c.metadata().keySet()), "iteration order kept");
            assertEquals(enqueued, c.readyAt());
            assertEquals(clock.instant(), c.claimedAt());
            JobSnapshot running = s.status(Q, "j1").orElseThrow();
            assertEquals(md, running.metadata());
            assertArrayEquals("payload of j1".getBytes(StandardCharsets.UTF_8), running.payload());
            assertEquals(clock.instant(), running.startedAt());
            assertNull(running.finishedAt());
            Instant claimedAt = clock.instant();
            clock.advance(Duration.ofSeconds(2));
            s.complete(Q, new LeaseRef("j1", c.fencingToken()), new byte[] {1}, null);
            JobSnapshot done = s.status(Q, "j1").orElseThrow();
            assertEquals(claimedAt, done.startedAt());
            assertEquals(clock.instant(), done.finishedAt());
            assertEquals(md, done.metadata());
        }
    }

    @Test
    void readyAtIsTheDueTimeOrTheTimeOfRequeue() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            Instant due = clock.instant().plusSeconds(10);
            s.enqueue(Q, TestJobs.job("d").delay(Duration.ofSeconds(10)).build());
            clock.advance(Duration.ofSeconds(30));
            ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
            assertEquals(due, c.readyAt(), "the due time, not when the claim promoted it");
            clock.advance(Duration.ofSeconds(1));
            Instant released = clock.instant();
            s.release(Q, new LeaseRef("d", c.fencingToken()));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(released, s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0).readyAt());
        }
    }

    @Test
    void listJobsPagesThroughManyJobsOfOneScoreInBothDirections() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            List<NewJob> jobs = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                jobs.add(TestJobs.job(String.format("j%03d", i)).priority(i % 50 == 0 ? 5 : 0).build());
            }
            s.enqueueBatch(Q, jobs);
            List<String> expected = new ArrayList<>(s.list(Q, JobState.QUEUED, 1000));
            assertEquals(250, expected.size());
            assertEquals("j000", expected.get(0));
            assertEquals("j050", expected.get(1), "higher priority first");
            assertEquals(expected, pageThrough(s, JobState.QUEUED, ListOrder.OLDEST_FIRST, 7));
            List<String> reversed = new ArrayList<>(expected);
            java.util.Collections.reverse(reversed);
            assertEquals(reversed, pageThrough(s, JobState.QUEUED, ListOrder.NEWEST_FIRST, 9));
            assertEquals(expected, pageThrough(s, JobState.QUEUED, ListOrder.OLDEST_FIRST, 2000));
        }
    }

    @Test
    void aCursorStillWorksWhenItsJobLeftTheState() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            for (int i = 0; i < 10; i++) {
                s.enqueue(Q, TestJobs.job("j" + i).build());
            }
            SnapshotPage first = s.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 3);
            assertEquals(List.of("j0", "j1", "j2"), ids(first));
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "j2"));
            assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "j1"));
            SnapshotPage next = s.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, first.nextCursor(), 3);
            assertEquals(List.of("j3", "j4", "j5"), ids(next));
            SnapshotPage back = s.listJobs(Q, JobState.QUEUED, ListOrder.NEWEST_FIRST, null, 7);
            assertEquals(List.of("j9", "j8", "j7", "j6", "j5", "j4", "j3"), ids(back));
            s.deleteJob(Q, "j3");
            assertEquals(List.of("j0"), ids(s.listJobs(Q, JobState.QUEUED, ListOrder.NEWEST_FIRST, back.nextCursor(), 7)));
            assertNull(s.listJobs(Q, JobState.QUEUED, ListOrder.NEWEST_FIRST, back.nextCursor(), 7).nextCursor());
            assertEquals(7L, s.counts(Q).get(JobState.QUEUED), "the probe member is gone again");
        }
    }

    @Test
    void terminalListingsSkipExpiredRecordsAndTheLastPageHasNoCursor() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            s.enqueue(Q, TestJobs.job("short").resultTtl(Duration.ofSeconds(10)).build());
            s.enqueue(Q, TestJobs.job("long").build());
            s.cancel(Q, "short");
            s.cancel(Q, "long");
            assertEquals(List.of("short", "long"), ids(s.listJobs(Q, JobState.CANCELLED, ListOrder.OLDEST_FIRST, null, 5)));
            clock.advance(Duration.ofSeconds(11));
            SnapshotPage page = s.listJobs(Q, JobState.CANCELLED, ListOrder.OLDEST_FIRST, null, 1);
            assertEquals(List.of("long"), ids(page));
            assertNull(page.nextCursor());
            assertEquals(List.of("long"), ids(s.listJobs(Q, JobState.CANCELLED, ListOrder.NEWEST_FIRST, null, 5)));
        }
    }

    @Test
    void malformedOrForeignCursorsAreRejected() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            for (int i = 0; i < 3; i++) {
                s.enqueue(Q, TestJobs.job("j" + i).delay(Duration.ofSeconds(i + 1)).build());
            }
            String cursor = s.listJobs(Q, JobState.DELAYED, ListOrder.OLDEST_FIRST, null, 1).nextCursor();
            assertNotNull(cursor);
            for (String bad : List.of("x", "!!!", "REVMQVlFRHxPfDF8eno", cursor + "A")) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> s.listJobs(Q, JobState.DELAYED, ListOrder.OLDEST_FIRST, bad, 1), bad);
                assertTrue(e.getMessage().contains("cursor"), e.getMessage());
            }
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> s.listJobs(Q, JobState.FAILING, ListOrder.OLDEST_FIRST, cursor, 1)).getMessage().contains("cursor"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> s.listJobs(Q, JobState.DELAYED, ListOrder.NEWEST_FIRST, cursor, 1)).getMessage().contains("cursor"));
        }
    }

    @Test
    void retryJobResetsTheJobAndQueuesItLastWithAHigherToken() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            Map<String, String> md = Map.of("k", "v");
            s.enqueue(Q, job("f", md));
            ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
            s.fail(Q, new LeaseRef("f", c.fencingToken()), new JobError("T", "boom", null, null, 1, clock.instant()), null);
            s.enqueue(Q, TestJobs.job("other").build());
            assertEquals(RetryResult.NOT_RETRYABLE, s.retryJob(Q, "other"));
            assertEquals(RetryResult.NOT_FOUND, s.retryJob(Q, "nobody"));
            clock.advance(Duration.ofSeconds(3));
            assertEquals(RetryResult.RETRIED, s.retryJob(Q, "f"));
            JobSnapshot q = s.status(Q, "f").orElseThrow();
            assertEquals(JobState.QUEUED, q.state());
            assertEquals(0, q.attempts());
            assertNull(q.error());
            assertNull(q.expiresAt());
            assertNull(q.startedAt());
            assertNull(q.finishedAt());
            assertEquals(md, q.metadata());
            assertEquals(List.of("other", "f"), s.list(Q, JobState.QUEUED, 10), "last of its priority");
            assertEquals(RetryResult.NOT_RETRYABLE, s.retryJob(Q, "f"));
            List<ClaimedJob> again = s.claim(Q, "w", 2, LEASE, Duration.ZERO);
            ClaimedJob f = again.get(1);
            assertEquals("f", f.id());
            assertEquals(1, f.attempt());
            assertTrue(f.fencingToken() > c.fencingToken());
            assertEquals(clock.instant(), f.readyAt());
            assertEquals(md, f.metadata());
        }
    }

    @Test
    void retryAllAndPurgeTouchAtMostTheLimitOldestFirst() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            for (int i = 0; i < 7; i++) {
                s.enqueue(Q, TestJobs.job("c" + i).build());
                s.cancel(Q, "c" + i);
                clock.advance(Duration.ofMillis(10));
            }
            assertEquals(3, s.retryAll(Q, JobState.CANCELLED, 3));
            assertEquals(List.of("c0", "c1", "c2"), s.list(Q, JobState.QUEUED, 10));
            assertEquals(4, s.retryAll(Q, JobState.CANCELLED, 100));
            assertEquals(0, s.retryAll(Q, JobState.CANCELLED, 100));
            assertEquals(2, s.purge(Q, JobState.QUEUED, 2));
            assertEquals(List.of("c2", "c3", "c4", "c5", "c6"), s.list(Q, JobState.QUEUED, 10));
            assertEquals(5, s.purge(Q, JobState.QUEUED, 100));
            assertEquals(0, s.purge(Q, JobState.QUEUED, 100));
            assertTrue(s.enqueue(Q, TestJobs.job("c0").build()).created(), "a purged id is free again");
        }
    }

    @Test
    void deletingAWaitingJobTellsItsWaitersItWasCancelled() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            Map<String, JobSnapshot> heard = new ConcurrentHashMap<>();
            try (Subscription sub = s.subscribe(Q, heard::put)) {
                s.enqueue(Q, TestJobs.job("waited").notifyOnTerminal(true).delay(Duration.ofMinutes(1)).build());
                s.enqueue(Q, TestJobs.job("unwaited").build());
                s.enqueue(Q, TestJobs.job("running").notifyOnTerminal(false).build());
                s.claim(Q, "w", 1, LEASE, Duration.ZERO); // takes "unwaited" (first in)
                assertEquals(DeleteResult.PROCESSING, s.deleteJob(Q, "unwaited"));
                assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "waited"));
                assertEquals(DeleteResult.DELETED, s.deleteJob(Q, "running"));
                assertEquals(DeleteResult.NOT_FOUND, s.deleteJob(Q, "waited"));
                awaitCondition(() -> heard.containsKey("waited"), "the deleted job's CANCELLED notification");
                assertEquals(JobState.CANCELLED, heard.get("waited").state());
                assertEquals(clock.instant(), heard.get("waited").finishedAt());
                assertFalse(heard.containsKey("running"), "nobody waited for it");
                assertTrue(s.status(Q, "waited").isEmpty());
            }
        }
    }

    @Test
    void promoteQueuesADelayedOrFailingJobNow() throws Exception {
        try (RedisStorage s = storages.create(clock)) {
            s.enqueue(Q, TestJobs.job("first").build());
            s.enqueue(Q, TestJobs.job("later").delay(Duration.ofHours(1)).build());
            assertEquals(PromoteResult.NOT_DELAYED, s.promote(Q, "first"));
            assertEquals(PromoteResult.NOT_FOUND, s.promote(Q, "none"));
            clock.advance(Duration.ofSeconds(1));
            assertEquals(PromoteResult.PROMOTED, s.promote(Q, "later"));
            assertEquals(List.of("first", "later"), s.list(Q, JobState.QUEUED, 10));
            List<ClaimedJob> claimed = s.claim(Q, "w", 2, LEASE, Duration.ZERO);
            assertEquals(clock.instant(), claimed.get(1).readyAt());
            s.retry(Q, new LeaseRef("later", claimed.get(1).fencingToken()), Duration.ofHours(1),
                    new JobError("T", "m", null, null, 1, clock.instant()));
            assertEquals(PromoteResult.PROMOTED, s.promote(Q, "later"));
            assertEquals(JobState.QUEUED, s.status(Q, "later").orElseThrow().state());
        }
    }

    @Test
    void oddIdsWorkInEveryOperationAndTouchNoOtherKey() throws Exception {
        List<String> ids = List.of("a:b", "{q}", "x}{y", "../..", "sl/ash", "\u00e9\u4e2d\ud83d\ude00", "j:0",
                "*", "[a]", "x".repeat(1024));
        try (RedisStorage s = storages.create(clock); JedisPooled jedis = new JedisPooled(RedisTestServer.url())) {
            for (String id : ids) {
                s.enqueue(Q, job(id, Map.of("id", id)));
            }
            List<JobSnapshot> listed = s.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 100).jobs();
            assertEquals(ids, listed.stream().map(JobSnapshot::id).toList());
            for (JobSnapshot j : listed) {
                assertEquals(Map.of("id", j.id()), j.metadata());
            }
            String cursor = s.listJobs(Q, JobState.QUEUED, ListOrder.NEWEST_FIRST, null, 1).nextCursor();
            List<String> newestFirst = new ArrayList<>(ids.subList(0, ids.size() - 1));
            java.util.Collections.reverse(newestFirst);
            assertEquals(newestFirst, ids(s.listJobs(Q, JobState.QUEUED, ListOrder.NEWEST_FIRST, cursor, 100)));
            for (String id : ids) {
                s.cancel(Q, id);
                assertEquals(RetryResult.RETRIED, s.retryJob(Q, id), id);
            }
            for (String id : ids) {
                assertEquals(DeleteResult.DELETED, s.deleteJob(Q, id), id);
            }
            assertEquals(List.of(), RedisTestServer.keys(jedis, s.keyPrefix()).stream()
                    .filter(k -> k.contains(":j:")).toList(), "no job hash left behind");
        }
    }

    @Test
    void aPauseIsSeenByAnotherInstanceAndAResumeWakesItsIdleClaimer() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (RedisStorage a = storages.create(null);
             RedisStorage b = RedisStorage.builder().uri(RedisTestServer.url()).keyPrefix(a.keyPrefix()).build()) {
            assertFalse(b.isPaused(Q));
            assertTrue(a.setPaused(Q, true));
            assertFalse(a.setPaused(Q, true), "already paused");
            assertTrue(b.isPaused(Q));
            b.enqueue(Q, TestJobs.job("p1").build());
            assertEquals(List.of(), b.claim(Q, "w", 1, LEASE, Duration.ofMillis(300)), "nothing claimed while paused");
            Future<List<ClaimedJob>> waiting = pool.submit(() -> b.claim(Q, "w", 1, LEASE, Duration.ofMinutes(2)));
            awaitCondition(() -> b.idleClaimers(Q) == 1, "b's claimer waits out the pause");
            b.enqueue(Q, TestJobs.job("p2").build());
            assertEquals(JobState.QUEUED, b.status(Q, "p2").orElseThrow().state(), "an enqueue does not take the pause off");
            assertTrue(a.setPaused(Q, false));
            assertFalse(a.setPaused(Q, false), "already running");
            // well within the claim's two minutes: the resume token woke b's claimer
            assertEquals("p1", waiting.get(60, TimeUnit.SECONDS).get(0).id());
            assertFalse(b.isPaused(Q));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anOperatorCallResentAfterALostReplyGetsTheFirstReplyAndActsOnce() throws Exception {
        try (RedisStorage s = storages.create(clock); JedisPooled jedis = new JedisPooled(RedisTestServer.url())) {
            for (int i = 0; i < 5; i++) {
                s.enqueue(Q, TestJobs.job("j" + i).build());
            }
            KeySpace keys = new KeySpace(s.keyPrefix(), Q);
            Scripts scripts = new Scripts(new ScriptArgs(clock), ScriptArgs.utf8("test"));
            ScriptCall purge = scripts.delete.oldest(keys, JobState.QUEUED, 2);
            ScriptCall delete = scripts.delete.one(keys, "j4");
            for (int send = 0; send < 2; send++) { // the executor resends the very same call after a lost reply
                assertEquals(2L, Replies.number(jedis.eval(purge.script.source(), purge.keys, purge.head)), "send " + send);
                assertEquals("DELETED", Replies.text(jedis.eval(delete.script.source(), delete.keys, delete.head)));
            }
            assertEquals(List.of("j2", "j3"), s.list(Q, JobState.QUEUED, 10));
        }
    }

    private static List<String> pageThrough(RedisStorage s, JobState state, ListOrder order, int limit) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            SnapshotPage page = s.listJobs(Q, state, order, cursor, limit);
            assertTrue(page.jobs().size() <= limit);
            all.addAll(ids(page));
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    private static List<String> ids(SnapshotPage page) {
        return page.jobs().stream().map(JobSnapshot::id).toList();
    }
}
