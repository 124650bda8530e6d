package dev.jobqueue.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.RetryResult;
import dev.jobqueue.spi.SnapshotPage;
import java.time.Instant;

import dev.jobqueue.contract.TestJobs;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the Redis commands that storage calls cost, on the test's own redis-server (INFO
 * commandstats): the hot path (enqueue, claim, complete) per job, one at a time and in batches of
 * 100, and each operation of the operations API per call. It prints them (the README quotes them)
 * and checks the bounds that matter: one round trip per operation, and a listing page whose work
 * does not grow with the number of jobs sharing one score.
 */
class RedisCommandCostTest {
    private static final int JOBS = 1000;
    private static final String Q = "ops";
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Test
    void hotPathCommandsPerJob(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            storage.counts("warm-up"); // loads nothing but opens connections
            costs.take();
            for (int i = 0; i < JOBS; i++) {
                storage.enqueue("single", TestJobs.job("s-" + i).build());
                List<ClaimedJob> claimed = storage.claim("single", "w", 1, Duration.ofSeconds(30), Duration.ZERO);
                assertEquals(1, claimed.size());
                storage.complete("single", new LeaseRef(claimed.get(0).id(), claimed.get(0).fencingToken()), new byte[] {1}, null);
            }
            report("one job at a time", costs.take());
            for (int b = 0; b < JOBS / 100; b++) {
                List<NewJob> jobs = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    jobs.add(TestJobs.job("b-" + b + "-" + i).build());
                }
                storage.enqueueBatch("batch", jobs);
                List<ClaimedJob> claimed = storage.claim("batch", "w", 100, Duration.ofSeconds(30), Duration.ZERO);
                assertEquals(100, claimed.size());
                List<dev.jobqueue.spi.Completion> done = new ArrayList<>();
                for (ClaimedJob c : claimed) {
                    done.add(new dev.jobqueue.spi.Completion(new LeaseRef(c.id(), c.fencingToken()), new byte[] {1}, null));
                }
                storage.completeAll("batch", done);
            }
            report("batches of 100", costs.take());
        }
    }

    /**
     * The hot path with queue limits set (each claim then reads the lease index's size and keeps
     * the rate log), and what snooze, cancel of a running job, an idle dueSchedules poll and one
     * schedule fire (enqueue + advance) cost. Without limits the hot path is measured above: the
     * limits and the throttle ride in the claim's MGET.
     */
    @Test
    void flowControlAndScheduleCommands(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            storage.counts("warm-up");
            storage.setLimits("running", dev.jobqueue.QueueLimits.NONE.withMaxRunning(JOBS));
            storage.setLimits("rated", dev.jobqueue.QueueLimits.NONE.withMaxRunning(JOBS).withRate(1_000_000, Duration.ofDays(1)));
            for (String q : List.of("running", "rated")) {
                costs.take();
                for (int i = 0; i < JOBS; i++) {
                    storage.enqueue(q, TestJobs.job("s-" + i).build());
                    List<ClaimedJob> claimed = storage.claim(q, "w", 1, Duration.ofSeconds(30), Duration.ZERO);
                    assertEquals(1, claimed.size());
                    storage.complete(q, new LeaseRef(claimed.get(0).id(), claimed.get(0).fencingToken()), new byte[] {1}, null);
                }
                report("one job at a time, limits " + storage.limits(q), costs.take());
            }

            List<String> order = List.of("warm", "measured");
            for (String round : order) {
                storage.enqueue(Q, TestJobs.job("snooze-" + round).build());
                ClaimedJob c = storage.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
                costs.take();
                storage.snooze(Q, new LeaseRef(c.id(), c.fencingToken()), Duration.ofHours(1));
                Map<String, Long> snooze = costs.take();
                storage.enqueue(Q, TestJobs.job("cancel-" + round).notifyOnTerminal(false).build());
                c = storage.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
                costs.take();
                assertEquals(dev.jobqueue.CancelResult.CANCELLED, storage.cancel(Q, c.id()));
                Map<String, Long> cancel = costs.take();
                storage.upsertSchedule(Q, "every-minute-" + round, new byte[] {1, 2, 3}, Instant.now().plusSeconds(3600));
                costs.take();
                assertTrue(storage.dueSchedules(Q, 100).isEmpty());
                Map<String, Long> idlePoll = costs.take();
                storage.enqueue(Q, TestJobs.job("fire-" + round).build());
                assertTrue(storage.advanceSchedule(Q, "every-minute-" + round, 1, Instant.now().plusSeconds(7200)));
                Map<String, Long> fire = costs.take();
                storage.throttle(Q, Duration.ofMillis(1));
                Map<String, Long> throttle = costs.take();
                storage.setLimits(Q, dev.jobqueue.QueueLimits.NONE.withMaxRunning(5));
                Map<String, Long> setLimits = costs.take();
                storage.limits(Q);
                Map<String, Long> limits = costs.take();
                if (round.equals("measured")) {
                    report("snooze", snooze, 1);
                    report("cancel (PROCESSING: publishes CANCELLED)", cancel, 1);
                    report("dueSchedules (nothing due)", idlePoll, 1);
                    report("schedule fire (enqueue + advanceSchedule)", fire, 2);
                    report("throttle", throttle, 1);
                    report("setLimits (no rate: also drops the rate log)", setLimits, 1);
                    report("limits", limits, 1);
                }
            }
        }
    }

    @Test
    void operationsCostOneRoundTripAndWorkBoundedByTheirLimit(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage storage = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            // loads every script (EVAL after NOSCRIPT), so that what follows runs as in steady state
            storage.listJobs("warm", JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 1);
            storage.retryJob("warm", "x");
            storage.retryAll("warm", JobState.FAILED, 1);
            storage.deleteJob("warm", "x");
            storage.purge("warm", JobState.QUEUED, 1);
            storage.promote("warm", "x");
            storage.isPaused("warm");
            storage.status("warm", "x");
            int many = 100_000;
            List<NewJob> batch = new ArrayList<>();
            for (int i = 0; i < many; i++) {
                batch.add(TestJobs.job(String.format("q-%06d", i)).notifyOnTerminal(false).build());
                if (batch.size() == 5000) {
                    storage.enqueueBatch(Q, batch);
                    batch.clear();
                }
            }
            costs.take();
            SnapshotPage first = storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 100);
            Map<String, Long> firstPage = costs.take();
            SnapshotPage second = storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, first.nextCursor(), 100);
            Map<String, Long> nextPage = costs.take();
            assertEquals("q-000100", second.jobs().get(0).id());
            storage.deleteJob(Q, second.jobs().get(99).id());
            costs.take();
            SnapshotPage third = storage.listJobs(Q, JobState.QUEUED, ListOrder.OLDEST_FIRST, second.nextCursor(), 100);
            Map<String, Long> probePage = costs.take();
            assertEquals("q-000200", third.jobs().get(0).id(), "the page after the deleted cursor job");
            for (Map<String, Long> page : List.of(firstPage, nextPage, probePage)) {
                assertEquals(1, RedisCommandCosts.scriptCalls(page));
                // 100 HMGETs plus a handful of index commands, however many of the 100,000 jobs share the score
                assertTrue(RedisCommandCosts.commands(page) <= 110, page.toString());
            }
            report("listJobs page of 100 (first page; " + many + " QUEUED jobs of one score)", firstPage, 1);
            report("listJobs page of 100 (after a cursor)", nextPage, 1);
            report("listJobs page of 100 (after a cursor whose job left: probe member)", probePage, 1);

            storage.purge(Q, JobState.QUEUED, 100);
            report("purge page of 100 (QUEUED)", costs.take(), 1);
            List<String> failed = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (ClaimedJob c : storage.claim(Q, "w", 100, LEASE, Duration.ZERO)) {
                    storage.fail(Q, new LeaseRef(c.id(), c.fencingToken()), new JobError("T", "m", null, null, 1, Instant.now()), null);
                    failed.add(c.id());
                }
            }
            costs.take();
            assertEquals(RetryResult.RETRIED, storage.retryJob(Q, failed.get(0)));
            report("retryJob", costs.take(), 1);
            assertEquals(100, storage.retryAll(Q, JobState.FAILED, 100));
            report("retryAll page of 100", costs.take(), 1);
            assertEquals(100, storage.purge(Q, JobState.FAILED, 100));
            report("purge page of 100 (FAILED)", costs.take(), 1);
            assertEquals(DeleteResult.DELETED, storage.deleteJob(Q, "q-099999"));
            report("deleteJob (QUEUED)", costs.take(), 1);
            storage.enqueue(Q, TestJobs.job("waited").delay(Duration.ofHours(1)).build());
            costs.take();
            assertEquals(DeleteResult.DELETED, storage.deleteJob(Q, "waited"));
            report("deleteJob (DELAYED, notify set: publishes CANCELLED)", costs.take(), 1);
            storage.enqueue(Q, TestJobs.job("later").delay(Duration.ofHours(1)).build());
            costs.take();
            assertEquals(PromoteResult.PROMOTED, storage.promote(Q, "later"));
            report("promote", costs.take(), 1);
            assertTrue(storage.setPaused(Q, true));
            report("setPaused(true)", costs.take(), 1);
            assertTrue(storage.isPaused(Q));
            report("isPaused", costs.take(), 1);
            assertTrue(storage.setPaused(Q, false));
            report("setPaused(false) (pushes up to 256 resume tokens)", costs.take(), 1);
            costs.take();
            storage.status(Q, "q-050000");
            report("status (now with payload and metadata)", costs.take(), 1);
        }
    }

    @Test
    void anIdleClaimerOfAPausedQueueIsNotWokenByEnqueues(@TempDir Path dir) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
        try (RedisProcess redis = RedisProcess.start(dir);
             RedisStorage producer = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisStorage worker = RedisStorage.builder().uri(redis.url()).keyPrefix("cost").build();
             RedisCommandCosts costs = new RedisCommandCosts(redis.port())) {
            producer.setPaused(Q, true);
            java.util.concurrent.Future<List<ClaimedJob>> waiting =
                    pool.submit(() -> worker.claim(Q, "w", 1, LEASE, Duration.ofMinutes(2)));
            RedisConnectionDropTest.awaitCondition(() -> worker.idleClaimers(Q) == 1, "the worker's claimer waits out the pause");
            costs.take();
            for (int i = 0; i < 20; i++) {
                producer.enqueue(Q, TestJobs.job("other-" + i).build()); // wake tokens through Redis
                worker.enqueue(Q, TestJobs.job("own-" + i).build()); // and within the claimer's own process
            }
            Thread.sleep(500); // time for the wake listener to pass tokens on, if it did
            Map<String, Long> whilePaused = costs.take();
            // claim.lua is the only script that sends MGET (its memo and the pause flag)
            assertEquals(0L, whilePaused.getOrDefault("mget", 0L), "no claim ran while paused: " + whilePaused);
            producer.setPaused(Q, false);
            assertEquals("other-0", waiting.get(60, java.util.concurrent.TimeUnit.SECONDS).get(0).id());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void report(String what, Map<String, Long> delta, int calls) {
        assertEquals(calls, RedisCommandCosts.scriptCalls(delta), what + ": " + delta);
        System.out.printf("%s: %d round trip(s), %d commands in Redis; %s%n", what, RedisCommandCosts.scriptCalls(delta),
                RedisCommandCosts.commands(delta), new java.util.TreeMap<>(delta));
    }

    private static void report(String what, Map<String, Long> delta) {
        System.out.printf("hot path (%s, %d jobs): %.2f commands/job, %.3f script calls/job; %s%n", what, JOBS,
                RedisCommandCosts.commands(delta) / (double) JOBS, RedisCommandCosts.scriptCalls(delta) / (double) JOBS,
                new java.util.TreeMap<>(delta));
    }
}
