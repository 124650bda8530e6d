package dev.jobqueue.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.Subscription;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Flow control, snooze and cancel of running jobs with two storages on one schema, each with its
 * own pool, as two hosts would have: limits set through one hold for the claims of both, in
 * database time; a cancel through one reaches the subscriber of the other.
 */
class PostgresFlowControlTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private final PostgresTestDatabase database = new PostgresTestDatabase();
    private PostgresStorage hostA;
    private PostgresStorage hostB;

    @BeforeEach
    void open() {
        String schema = database.newSchema();
        hostA = database.builder(null).schema(schema).build();
        hostB = database.builder(null).schema(schema).build();
    }

    @AfterEach
    void close() {
        hostA.close();
        hostB.close();
        database.dropAll();
    }

    @Test
    void twoHostsTogetherNeverRunMoreThanMaxRunning() throws Exception {
        String queue = "limited";
        hostA.setLimits(queue, QueueLimits.NONE.withMaxRunning(3));
        assertEquals(QueueLimits.NONE.withMaxRunning(3), hostB.limits(queue));
        int jobs = 40;
        for (int i = 0; i < jobs; i++) {
            hostA.enqueue(queue, job("j" + i));
        }
        AtomicInteger running = new AtomicInteger(); // <= the database's count at every moment
        AtomicInteger maxSeen = new AtomicInteger();
        AtomicInteger maxCounted = new AtomicInteger();
        Set<String> done = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                PostgresStorage host = t % 2 == 0 ? hostA : hostB;
                String worker = "w" + t;
                workers.add(pool.submit(() -> {
                    while (done.size() < jobs) {
                        for (ClaimedJob c : host.claim(queue, worker, 2, LEASE, Duration.ofMillis(300))) {
                            maxSeen.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.sleep(10);
                            running.decrementAndGet();
                            assertEquals(TransitionOutcome.APPLIED, host.complete(queue, lease(c), new byte[0], null));
                            done.add(c.id());
                        }
                    }
                    return null;
                }));
            }
            pool.submit(() -> {
                while (!stop.get()) {
                    long n = hostB.counts(queue).get(JobState.PROCESSING);
                    maxCounted.accumulateAndGet((int) n, Math::max);
                }
                return null;
            });
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            stop.set(true);
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        }
        assertEquals(jobs, done.size());
        assertEquals(jobs, hostA.counts(queue).get(JobState.COMPLETED));
        assertTrue(maxSeen.get() <= 3, "at most 3 handlers at once, saw " + maxSeen.get());
        assertTrue(maxCounted.get() <= 3, "at most 3 PROCESSING at once, counted " + maxCounted.get());
        assertTrue(maxSeen.get() >= 2, "the limit let several run at once, saw " + maxSeen.get());
    }

    @Test
    void aHeldClaimTakesAJobWhenARunningOneCompletesOnTheOtherHost() throws Exception {
        String queue = "held";
        hostA.setLimits(queue, QueueLimits.NONE.withMaxRunning(1));
        hostA.enqueue(queue, job("first"));
        hostA.enqueue(queue, job("second"));
        ClaimedJob first = hostA.claim(queue, "a", 5, LEASE, Duration.ZERO).get(0);
        assertTrue(hostB.claim(queue, "b", 5, LEASE, Duration.ZERO).isEmpty(), "held back by maxRunning");
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<List<ClaimedJob>> held = pool.submit(() -> hostB.claim(queue, "b", 5, LEASE, Duration.ofSeconds(20)));
            Thread.sleep(300); // the claim is waiting (it may also start after the completion: either way it must get the job)
            assertEquals(TransitionOutcome.APPLIED, hostA.complete(queue, lease(first), new byte[0], null));
            List<ClaimedJob> got = held.get(30, TimeUnit.SECONDS);
            assertEquals(List.of("second"), got.stream().map(ClaimedJob::id).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aHostThatNeverWaitsFindsLimitsSetByAnotherHost() throws Exception {
        String queue = "no-wait";
        hostA.enqueue(queue, job("x1"));
        hostA.enqueue(queue, job("x2"));
        assertTrue(hostB.claim("no-wait-warm", "b", 1, LEASE, Duration.ZERO).isEmpty());
        hostA.setLimits(queue, QueueLimits.NONE.withMaxRunning(1)); // hostB has not seen this queue with limits
        List<ClaimedJob> first = hostB.claim(queue, "b", 5, LEASE, Duration.ZERO);
        assertEquals(List.of("x1"), first.stream().map(ClaimedJob::id).toList(), "one job, under the limit set elsewhere");
        assertTrue(hostB.claim(queue, "b", 5, LEASE, Duration.ZERO).isEmpty(), "held back by maxRunning");
        hostA.setLimits(queue, QueueLimits.NONE);
        assertEquals(List.of("x2"), hostB.claim(queue, "b", 5, LEASE, Duration.ZERO).stream().map(ClaimedJob::id).toList(),
                "limits removed elsewhere: the locked path sends the claim back to the unlimited one");
    }

    @Test
    void rateLimitHoldsForEverySlidingWindowAcrossHostsByTheClaimsOwnTimes() throws Exception {
        String queue = "rated";
        hostB.setLimits(queue, QueueLimits.NONE.withRate(5, Duration.ofMillis(700)));
        for (int i = 0; i < 40; i++) {
            hostA.enqueue(queue, job("r" + i));
        }
        List<Instant> claimedAt = new CopyOnWriteArrayList<>();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2500);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                PostgresStorage host = t % 2 == 0 ? hostA : hostB;
                String worker = "w" + t;
                workers.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        for (ClaimedJob c : host.claim(queue, worker, 3, LEASE, Duration.ofMillis(200))) {
                            claimedAt.add(c.claimedAt());
                            host.complete(queue, lease(c), new byte[0], null);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> w : workers) {
                w.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Instant> times = new ArrayList<>(claimedAt);
        Collections.sort(times);
        for (int i = 0; i < times.size(); i++) {
            int inWindow = 0;
            for (int j = i; j < times.size() && times.get(j).isBefore(times.get(i).plusMillis(700)); j++) {
                inWindow++;
            }
            assertTrue(inWindow <= 5, "window from " + times.get(i) + " holds " + inWindow + " claims: " + times);
        }
        assertTrue(times.size() >= 10, "the rate let jobs through in ~2.5 s: " + times.size());
    }

    @Test
    void aThrottleHoldsBothHostsAndEndsWithoutAWakeUp() throws Exception {
        String queue = "throttled";
        hostA.enqueue(queue, job("t1"));
        Instant until = hostA.throttle(queue, Duration.ofMillis(800));
        assertEquals(until, hostB.throttle(queue, Duration.ofMillis(1)), "a shorter throttle keeps the longer one");
        assertTrue(hostB.claim(queue, "b", 1, LEASE, Duration.ZERO).isEmpty());
        assertTrue(hostA.claim("other", "a", 1, LEASE, Duration.ZERO).isEmpty());
        List<ClaimedJob> got = hostB.claim(queue, "b", 1, LEASE, Duration.ofSeconds(20));
        assertEquals(1, got.size());
        assertFalse(got.get(0).claimedAt().isBefore(until), got.get(0).claimedAt() + " before " + until);
    }

    @Test
    void snoozeDelaysTheJobTakesTheAttemptBackAndFencesTheOldToken() throws Exception {
        String queue = "snoozy";
        hostA.enqueue(queue, job("s"));
        ClaimedJob first = hostA.claim(queue, "a", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(1, first.attempt());
        assertEquals(TransitionOutcome.APPLIED, hostA.snooze(queue, lease(first), Duration.ofMillis(500)));
        JobSnapshot snoozed = hostB.status(queue, "s").orElseThrow();
        assertEquals(JobState.DELAYED, snoozed.state());
        assertEquals(0, snoozed.attempts());
        assertEquals(TransitionOutcome.LEASE_LOST, hostA.complete(queue, lease(first), new byte[0], null));
        assertEquals(TransitionOutcome.LEASE_LOST, hostA.snooze(queue, lease(first), Duration.ZERO));
        assertEquals(List.of("s"), hostA.extend(queue, List.of(lease(first)), LEASE));
        long started = System.nanoTime();
        List<ClaimedJob> again = hostB.claim(queue, "b", 1, LEASE, Duration.ofSeconds(60));
        assertEquals(1, again.size(), "due again after the delay, without an enqueue");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(30),
                "the idle claim woke when the snoozed job was due, not at the end of its maxWait");
        assertEquals(1, again.get(0).attempt(), "the snoozed attempt was taken back");
        assertTrue(again.get(0).fencingToken() > first.fencingToken());
    }

    @Test
    void cancelOfARunningJobFencesItAndNotifiesTheOtherHostsSubscriber() throws Exception {
        String queue = "cancels";
        hostA.enqueue(queue, job("c")); // notifyOnTerminal false: a running job's cancel is announced anyway
        List<String> heard = new CopyOnWriteArrayList<>();
        Subscription sub = hostB.subscribe(queue, new TerminalListener() {
            @Override
            public void onTerminal(String jobId, JobSnapshot snapshot) {
                heard.add(jobId + ":" + (snapshot == null ? null : snapshot.state()));
            }
        });
        try {
            ClaimedJob running = hostB.claim(queue, "b", 1, Duration.ofMillis(200), Duration.ZERO).get(0);
            assertEquals(CancelResult.CANCELLED, hostA.cancel(queue, "c"));
            Eventually.await("the other host's subscriber hears the cancel", () -> heard.contains("c:CANCELLED"));
            assertEquals(JobState.CANCELLED, hostB.status(queue, "c").orElseThrow().state());
            assertEquals(TransitionOutcome.LEASE_LOST, hostB.complete(queue, lease(running), new byte[0], null));
            assertEquals(TransitionOutcome.LEASE_LOST, hostB.release(queue, lease(running)));
            assertEquals(List.of("c"), hostB.extend(queue, List.of(lease(running)), LEASE));
            Thread.sleep(300); // past the lease it had
            assertTrue(hostA.requeueExpired(queue, 10).isEmpty(), "out of the lease index");
            assertEquals(CancelResult.CANCELLED, hostA.cancel(queue, "c"));
            assertTrue(hostA.enqueue(queue, job("c")).created(), "the id is free for a new job");
        } finally {
            sub.close();
        }
    }

    private static LeaseRef lease(ClaimedJob c) {
        return new LeaseRef(c.id(), c.fencingToken());
    }

    private static NewJob job(String id) {
        return new NewJob(id, new byte[] {1}, 0, Duration.ZERO, null, 3, 3, Duration.ofHours(1), false);
    }
}
