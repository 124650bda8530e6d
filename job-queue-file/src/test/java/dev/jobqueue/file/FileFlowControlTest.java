package dev.jobqueue.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.CancelResult;
import dev.jobqueue.JobState;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.contract.Eventually;
import dev.jobqueue.contract.ManualClock;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.TerminalListener;
import dev.jobqueue.spi.TransitionOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * FileStorage-specific checks of snooze, cancel of running jobs, limits, throttle and schedules:
 * what survives a reopen and a compaction, and what two storages on one directory (as two
 * processes would) see of each other's limits, rate window, throttle and schedules. The storage
 * contract covers the SPI semantics themselves.
 */
class FileFlowControlTest {
    private static final String Q = "flow";
    private static final Duration LEASE = Duration.ofMinutes(5);
    private Path dir;
    private final List<FileStorage> open = new ArrayList<>();

    @BeforeEach
    void createDir() {
        dir = TempDirs.create("flow");
    }

    @AfterEach
    void deleteDir() {
        open.forEach(FileStorage::close);
        TempDirs.delete(dir);
    }

    @Test
    void limitsAndSchedulesSurviveReopenAndCompaction() {
        ManualClock clock = new ManualClock();
        Instant t0 = clock.instant();
        QueueLimits limits = QueueLimits.NONE.withMaxRunning(4).withRate(100, Duration.ofMinutes(1));
        byte[] big = new byte[ScheduleRecord.MAX_DEFINITION_BYTES];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) i;
        }
        try (FileStorage s = open(clock)) {
            s.setLimits(Q, limits);
            s.setLimits("removed", QueueLimits.NONE.withMaxRunning(1));
            s.setLimits("removed", QueueLimits.NONE);
            s.upsertSchedule(Q, "a", big, t0.plusSeconds(10));
            s.upsertSchedule(Q, "b", bytes("b1"), t0.plusSeconds(5));
            s.upsertSchedule(Q, "gone", bytes("g"), t0);
            s.removeSchedule(Q, "gone");
        }
        try (FileStorage s = open(clock)) {
            assertState(s, limits, big, t0, 1);
            assertTrue(s.advanceSchedule(Q, "b", 1, t0.plusSeconds(20)));
            s.compact();
            s.compact(); // the second snapshot is made from a state that was read from the first
        }
        try (FileStorage s = open(clock)) {
            assertState(s, limits, big, t0, 2);
            assertEquals(QueueLimits.NONE, s.limits("removed"));
            assertEquals(List.of(), ids(s.dueSchedules(Q, 10)), "the fire-time index is rebuilt: nothing due yet");
            clock.advance(Duration.ofSeconds(15));
            assertEquals(List.of("a"), ids(s.dueSchedules(Q, 10)));
        }
    }

    private static void assertState(FileStorage s, QueueLimits limits, byte[] big, Instant t0, long bVersion) {
        assertEquals(limits, s.limits(Q));
        List<ScheduleRecord> all = s.listSchedules(Q);
        assertEquals(List.of("a", "b"), all.stream().map(ScheduleRecord::id).toList());
        assertArrayEquals(big, all.get(0).definition());
        assertEquals(bVersion, all.get(1).version());
        assertEquals(bVersion == 1 ? t0.plusSeconds(5) : t0.plusSeconds(20), all.get(1).nextFireAt());
    }

    @Test
    void dueSchedulesReadTheFireTimeIndex() {
        ManualClock clock = new ManualClock();
        Instant t0 = clock.instant();
        FileStorage s = open(clock);
        s.upsertSchedule(Q, "late", bytes("l"), t0.plusSeconds(30));
        s.upsertSchedule(Q, "early", bytes("e"), t0.plusSeconds(10));
        s.upsertSchedule(Q, "now", bytes("n"), t0);
        assertEquals(List.of("now"), ids(s.dueSchedules(Q, 10)));
        clock.advance(Duration.ofSeconds(30));
        assertEquals(List.of("now", "early", "late"), ids(s.dueSchedules(Q, 10)));
        assertEquals(List.of("now", "early"), ids(s.dueSchedules(Q, 2)));
        assertTrue(s.advanceSchedule(Q, "now", 1, t0.plusSeconds(60)));
        assertEquals(List.of("early", "late"), ids(s.dueSchedules(Q, 10)));
        // a byte-equal upsert keeps the fire time and version; the returned definition is a copy
        ScheduleRecord same = s.upsertSchedule(Q, "now", bytes("n"), t0);
        assertEquals(new ScheduleRecord("now", bytes("n"), t0.plusSeconds(60), 2), same);
        same.definition()[0] = 'x';
        assertArrayEquals(bytes("n"), s.listSchedules(Q).get(2).definition(), "sorted by id: early, late, now");
        assertEquals(List.of(), s.dueSchedules("another-queue", 10));
    }

    /** Two storages on one directory act like two processes: each sees the other's records at its next call. */
    @Test
    void limitsThrottleAndSchedulesAreSharedByStoragesOnOneDirectory() throws Exception {
        FileStorage a = open(java.time.Clock.systemUTC());
        FileStorage b = open(java.time.Clock.systemUTC());
        a.setLimits(Q, QueueLimits.NONE.withMaxRunning(2));
        assertEquals(QueueLimits.NONE.withMaxRunning(2), b.limits(Q));
        a.upsertSchedule(Q, "s", bytes("d"), Instant.EPOCH);
        assertEquals(1, b.dueSchedules(Q, 10).size());
        assertTrue(b.advanceSchedule(Q, "s", 1, Instant.EPOCH.plusSeconds(1)));
        assertFalse(a.advanceSchedule(Q, "s", 1, Instant.EPOCH.plusSeconds(2)), "b advanced it first");
        for (int i = 0; i < 5; i++) {
            a.enqueue(Q, job("j" + i));
        }
        List<ClaimedJob> claimed = new ArrayList<>(a.claim(Q, "wa", 1, LEASE, Duration.ZERO));
        claimed.addAll(b.claim(Q, "wb", 5, LEASE, Duration.ZERO));
        assertEquals(2, claimed.size(), "maxRunning 2 across both storages");
        assertEquals(List.of(), a.claim(Q, "wa", 5, LEASE, Duration.ZERO));
        // a claim held by maxRunning in one storage is woken by a completion in the other
        CompletableFuture<List<ClaimedJob>> held = CompletableFuture.supplyAsync(() -> claim(a, Duration.ofSeconds(30)));
        Thread.sleep(100);
        assertFalse(held.isDone());
        ClaimedJob first = claimed.get(0);
        assertEquals(TransitionOutcome.APPLIED, b.complete(Q, new LeaseRef(first.id(), first.fencingToken()), null, null));
        assertEquals(1, held.get(20, TimeUnit.SECONDS).size(), "the held claim took the freed slot");
        // a throttle set through one storage holds back the other's claims
        a.setLimits(Q, QueueLimits.NONE);
        Instant until = b.throttle(Q, Duration.ofMillis(700));
        assertEquals(List.of(), a.claim(Q, "wa", 1, LEASE, Duration.ZERO));
        List<ClaimedJob> afterThrottle = a.claim(Q, "wa", 1, LEASE, Duration.ofSeconds(30));
        assertEquals(1, afterThrottle.size(), "claimed once the throttle ended, without any wake-up");
        assertFalse(afterThrottle.get(0).claimedAt().isBefore(until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)),
                afterThrottle.get(0).claimedAt() + " before the throttle's end " + until);
    }

    /** The rate window counts the claim records of every storage on the directory, so together they keep the rate. */
    @Test
    void theRateWindowCountsTheClaimsOfEveryStorageOnTheDirectory() throws Exception {
        FileStorage a = open(java.time.Clock.systemUTC());
        FileStorage b = open(java.time.Clock.systemUTC());
        Duration period = Duration.ofMillis(400);
        int rate = 3;
        a.setLimits(Q, QueueLimits.NONE.withRate(rate, period));
        for (int i = 0; i < 60; i++) {
            a.enqueue(Q, job("r" + i));
        }
        List<Instant> claimedAt = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_500);
        List<Thread> claimers = new ArrayList<>();
        for (FileStorage s : List.of(a, b, a, b)) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    claim(s, Duration.ofMillis(100)).forEach(c -> claimedAt.add(c.claimedAt()));
                }
            });
            t.start();
            claimers.add(t);
        }
        for (Thread t : claimers) {
            t.join();
        }
        List<Instant> sorted = new ArrayList<>(claimedAt);
        Collections.sort(sorted);
        assertTrue(sorted.size() >= rate * 2, "claims went on: " + sorted);
        for (int i = rate; i < sorted.size(); i++) {
            assertTrue(Duration.between(sorted.get(i - rate), sorted.get(i)).compareTo(period) >= 0,
                    "more than " + rate + " claims within " + period + ": " + sorted);
        }
    }

    @Test
    void cancelOfARunningJobIsDurableFencesTheWorkerAndTellsSubscribers() throws Exception {
        ManualClock clock = new ManualClock();
        FileStorage s = open(clock);
        List<JobSnapshot> heard = new CopyOnWriteArrayList<>();
        s.subscribe(Q, (TerminalListener) (id, snapshot) -> heard.add(snapshot));
        s.enqueue(Q, job("run")); // notifyOnTerminal false: heard anyway, the worker must learn of it
        ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
        LeaseRef lease = new LeaseRef(c.id(), c.fencingToken());
        assertEquals(CancelResult.CANCELLED, s.cancel(Q, "run"));
        Eventually.await("subscriber told of the cancelled running job", () -> heard.size() == 1);
        assertEquals(JobState.CANCELLED, heard.get(0).state());
        assertEquals(TransitionOutcome.LEASE_LOST, s.complete(Q, lease, null, null));
        assertEquals(TransitionOutcome.LEASE_LOST, s.snooze(Q, lease, Duration.ZERO));
        assertEquals(List.of("run"), s.extend(Q, List.of(lease), LEASE));
        clock.advance(LEASE.multipliedBy(2));
        assertEquals(List.of(), s.requeueExpired(Q, 10));
        s.close();
        open.remove(s);
        try (FileStorage reopened = open(clock)) {
            assertEquals(JobState.CANCELLED, reopened.status(Q, "run").orElseThrow().state());
            assertEquals(0, reopened.counts(Q).get(JobState.PROCESSING));
        }
    }

    /** The worker's storage hears of the cancel another storage on the directory (another process) made. */
    @Test
    void aRunningJobCancelledThroughAnotherStorageIsHeardByTheWorkersStorage() throws Exception {
        FileStorage worker = open(java.time.Clock.systemUTC());
        FileStorage operator = open(java.time.Clock.systemUTC());
        List<JobSnapshot> heard = new CopyOnWriteArrayList<>();
        worker.subscribe(Q, (TerminalListener) (id, snapshot) -> heard.add(snapshot));
        worker.enqueue(Q, job("remote"));
        ClaimedJob c = worker.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(CancelResult.CANCELLED, operator.cancel(Q, "remote"));
        Eventually.await("the worker's storage told of the cancel", () -> heard.size() == 1);
        assertEquals(JobState.CANCELLED, heard.get(0).state());
        assertEquals(TransitionOutcome.LEASE_LOST, worker.complete(Q, new LeaseRef(c.id(), c.fencingToken()), null, null));
    }

    @Test
    void aSnoozedJobIsDelayedWithItsAttemptTakenBackAcrossAReopen() throws Exception {
        ManualClock clock = new ManualClock();
        FileStorage s = open(clock);
        s.enqueue(Q, job("sn"));
        ClaimedJob c = s.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
        assertEquals(1, c.attempt());
        assertEquals(TransitionOutcome.APPLIED, s.snooze(Q, new LeaseRef(c.id(), c.fencingToken()), Duration.ofMinutes(1)));
        assertEquals(TransitionOutcome.LEASE_LOST, s.snooze(Q, new LeaseRef(c.id(), c.fencingToken()), Duration.ZERO));
        s.close();
        open.remove(s);
        try (FileStorage reopened = open(clock)) {
            JobSnapshot snap = reopened.status(Q, "sn").orElseThrow();
            assertEquals(JobState.DELAYED, snap.state());
            assertEquals(0, snap.attempts());
            assertEquals(List.of(), reopened.claim(Q, "w", 1, LEASE, Duration.ZERO), "not due before its delay");
            clock.advance(Duration.ofMinutes(1));
            ClaimedJob again = reopened.claim(Q, "w", 1, LEASE, Duration.ZERO).get(0);
            assertEquals(1, again.attempt(), "the snoozed attempt did not count");
            assertTrue(again.fencingToken() > c.fencingToken());
        }
    }

    private static List<ClaimedJob> claim(FileStorage s, Duration maxWait) {
        try {
            return s.claim(Q, "w-" + Thread.currentThread().getId(), 1, LEASE, maxWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private FileStorage open(java.time.Clock clock) {
        FileStorage s = FileStorage.open(dir, FileStorageOptions.builder().clock(clock).build());
        open.add(s);
        return s;
    }

    private static List<String> ids(List<ScheduleRecord> schedules) {
        return schedules.stream().map(ScheduleRecord::id).toList();
    }

    private static NewJob job(String id) {
        return new NewJob(id, bytes(id), 0, Duration.ZERO, null, 3, 1, Duration.ofHours(1), false);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
