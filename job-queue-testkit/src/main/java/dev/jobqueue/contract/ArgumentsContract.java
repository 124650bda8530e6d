package dev.jobqueue.contract;

import static dev.jobqueue.contract.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.spi.CheckedStorage;
import dev.jobqueue.spi.ClaimedJob;
import dev.jobqueue.spi.Completion;
import dev.jobqueue.spi.JobMetadata;
import dev.jobqueue.spi.JobSnapshot;
import dev.jobqueue.spi.LeaseRef;
import dev.jobqueue.spi.NewJob;
import dev.jobqueue.spi.ScheduleRecord;
import dev.jobqueue.spi.TerminalListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every SPI method rejects each bad argument with an {@link IllegalArgumentException} whose
 * message names the argument, and changes nothing: each test puts jobs in several states, takes a
 * lock and moves the clock on (so a call that got through would show), makes the bad calls, and
 * compares everything observable with what it was. A batch with one bad element is rejected whole.
 *
 * <!-- snippet: arguments-contract -->
 * <pre>{@code
 * storage.list(queue, JobState.QUEUED, 0); // IllegalArgumentException: limit must be >= 1, got 0
 * }</pre>
 */
public interface ArgumentsContract extends StorageFixture {
    /**
     * A duration no storage argument accepts.
     */
    Duration NEGATIVE = Duration.ofSeconds(-1);

    /**
     * Names that break the rules: empty, one char too long, and each kind of unpaired surrogate.
     *
     * @return the names, each of which every name argument must reject
     */
    static List<String> badNames() {
        return List.of("", "x".repeat(CheckedStorage.MAX_NAME_LENGTH + 1), "x\uD800", "\uDC00x", "a\uD800b",
                "\uDC00\uD800", "\uD83D");
    }

    /**
     * Each bad argument of {@code enqueue} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_enqueue() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().enqueue(q, job("p").build()));
        assertRejected(() -> storage().enqueue(queue(), null), "job");
        for (Map.Entry<String, Supplier<NewJob>> bad : badJobs()) {
            assertRejected(() -> storage().enqueue(queue(), bad.getValue().get()), bad.getKey());
        }
        assertEquals(before, everything());
    }

    /**
     * {@code enqueueAsync} throws bad arguments at once instead of failing the future.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_enqueueAsyncThrowsAtOnce() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().enqueueAsync(q, job("p").build()));
        assertRejected(() -> storage().enqueueAsync(queue(), null), "job");
        for (Map.Entry<String, Supplier<NewJob>> bad : badJobs()) {
            assertRejected(() -> storage().enqueueAsync(queue(), bad.getValue().get()), bad.getKey());
        }
        assertEquals(before, everything());
    }

    /**
     * An {@code enqueueBatch} with one bad job is rejected whole.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_enqueueBatchIsRejectedWhole() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().enqueueBatch(q, List.of(job("p").build())));
        assertRejected(() -> storage().enqueueBatch(queue(), null), "jobs");
        assertRejected(() -> storage().enqueueBatch(queue(), Arrays.asList(job("fresh").build(), null)), "jobs[1]", "job");
        for (Map.Entry<String, Supplier<NewJob>> bad : badJobs()) {
            assertRejected(() -> storage().enqueueBatch(queue(), List.of(job("fresh").build(), bad.getValue().get())),
                    bad.getKey());
        }
        assertEquals(before, everything(), "no job of a rejected batch may be created");
    }

    /**
     * Each bad argument of {@code claim} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_claim() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().claim(q, "w", 1, LEASE, Duration.ZERO));
        assertRejected(() -> storage().claim(queue(), null, 1, LEASE, Duration.ZERO), "workerId");
        for (String bad : badNames()) {
            assertRejected(() -> storage().claim(queue(), bad, 1, LEASE, Duration.ZERO), "workerId");
        }
        assertRejected(() -> storage().claim(queue(), "w", 0, LEASE, Duration.ZERO), "max");
        assertRejected(() -> storage().claim(queue(), "w", -1, LEASE, Duration.ZERO), "max");
        assertRejected(() -> storage().claim(queue(), "w", 1, null, Duration.ZERO), "lease");
        assertRejected(() -> storage().claim(queue(), "w", 1, Duration.ZERO, Duration.ZERO), "lease");
        assertRejected(() -> storage().claim(queue(), "w", 1, NEGATIVE, Duration.ZERO), "lease");
        assertRejected(() -> storage().claim(queue(), "w", 1, LEASE, null), "maxWait");
        assertRejected(() -> storage().claim(queue(), "w", 1, LEASE, NEGATIVE), "maxWait");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code extend} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_extend() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().extend(q, List.of(running), LEASE));
        assertRejected(() -> storage().extend(queue(), null, LEASE), "leases");
        assertRejected(() -> storage().extend(queue(), Arrays.asList(running, null), LEASE), "leases[1]", "lease");
        assertRejected(() -> storage().extend(queue(), List.of(running, new LeaseRef(null, 1)), LEASE), "leases[1]", "jobId");
        for (String bad : badNames()) {
            assertRejected(() -> storage().extend(queue(), List.of(running, new LeaseRef(bad, 1)), LEASE), "leases[1]", "jobId");
        }
        assertRejected(() -> storage().extend(queue(), List.of(running), null), "lease");
        assertRejected(() -> storage().extend(queue(), List.of(running), Duration.ZERO), "lease");
        assertRejected(() -> storage().extend(queue(), List.of(running), NEGATIVE), "lease");
        assertEquals(before, everything(), "no lease of a rejected extend may be extended");
    }

    /**
     * Each bad argument of {@code complete} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_complete() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().complete(q, running, bytes("r"), null));
        assertBadLeaseRejected(l -> storage().complete(queue(), l, bytes("r"), null));
        assertRejected(() -> storage().complete(queue(), running, null, null), "result");
        assertRejected(() -> storage().complete(queue(), running, bytes("r"), Duration.ZERO), "resultTtl");
        assertRejected(() -> storage().complete(queue(), running, bytes("r"), NEGATIVE), "resultTtl");
        assertEquals(before, everything());
    }

    /**
     * A {@code completeAll} batch with one bad element is rejected whole.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_completeAllIsRejectedWhole() throws Exception {
        List<ClaimedJob> claims = arrange();
        Completion good = new Completion(lease(claims.get(0)), bytes("r"), null);
        LeaseRef other = lease(claims.get(1));
        String before = everything();
        assertBadQueueRejected(q -> storage().completeAll(q, List.of(good)));
        assertRejected(() -> storage().completeAll(queue(), null), "completions");
        assertRejected(() -> storage().completeAll(queue(), Arrays.asList(good, null)), "completions[1]", "completion");
        assertRejected(() -> storage().completeAll(queue(), List.of(good, new Completion(null, bytes("r"), null))), "lease");
        assertRejected(() -> storage().completeAll(queue(), List.of(good, new Completion(other, null, null))), "result");
        assertRejected(() -> storage().completeAll(queue(),
                List.of(good, new Completion(new LeaseRef(null, 1), bytes("r"), null))), "completions[1]", "jobId");
        assertRejected(() -> storage().completeAll(queue(),
                List.of(good, new Completion(other, bytes("r"), Duration.ZERO))), "completions[1]", "resultTtl");
        assertRejected(() -> storage().completeAll(queue(),
                List.of(good, new Completion(other, bytes("r"), NEGATIVE))), "completions[1]", "resultTtl");
        assertEquals(before, everything(), "no completion of a rejected batch may be applied");
    }

    /**
     * Each bad argument of {@code fail} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_fail() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().fail(q, running, error("e"), null));
        assertBadLeaseRejected(l -> storage().fail(queue(), l, error("e"), null));
        assertRejected(() -> storage().fail(queue(), running, null, null), "error");
        assertRejected(() -> storage().fail(queue(), running, error("e"), Duration.ZERO), "resultTtl");
        assertRejected(() -> storage().fail(queue(), running, error("e"), NEGATIVE), "resultTtl");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code retry} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_retry() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().retry(q, running, Duration.ZERO, error("e")));
        assertBadLeaseRejected(l -> storage().retry(queue(), l, Duration.ZERO, error("e")));
        assertRejected(() -> storage().retry(queue(), running, null, error("e")), "backoff");
        assertRejected(() -> storage().retry(queue(), running, NEGATIVE, error("e")), "backoff");
        assertRejected(() -> storage().retry(queue(), running, Duration.ZERO, null), "lastError");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code release} and {@code unclaim} is rejected, naming the argument, and nothing changes.
      *
      * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_releaseAndUnclaim() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().release(q, running));
        assertBadLeaseRejected(l -> storage().release(queue(), l));
        assertBadQueueRejected(q -> storage().unclaim(q, running));
        assertBadLeaseRejected(l -> storage().unclaim(queue(), l));
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code requeueExpired} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_requeueExpired() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().requeueExpired(q, 10));
        assertRejected(() -> storage().requeueExpired(queue(), 0), "limit");
        assertRejected(() -> storage().requeueExpired(queue(), -1), "limit");
        assertEquals(before, everything(), "the expired lease must not be reaped by a rejected call");
    }

    /**
     * Each bad argument of {@code cancel}, {@code status} and {@code updateResultTtl} is rejected, naming the argument, and nothing changes.
      *
      * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_cancelStatusAndUpdateResultTtl() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().cancel(q, "queued"));
        assertBadQueueRejected(q -> storage().status(q, "queued"));
        assertBadQueueRejected(q -> storage().updateResultTtl(q, "done", LEASE));
        List<String> badIds = new ArrayList<>(badNames());
        badIds.add(null);
        for (String bad : badIds) {
            assertRejected(() -> storage().cancel(queue(), bad), "jobId");
            assertRejected(() -> storage().status(queue(), bad), "jobId");
            assertRejected(() -> storage().updateResultTtl(queue(), bad, LEASE), "jobId");
        }
        assertRejected(() -> storage().updateResultTtl(queue(), "done", null), "ttl");
        assertRejected(() -> storage().updateResultTtl(queue(), "done", Duration.ZERO), "ttl");
        assertRejected(() -> storage().updateResultTtl(queue(), "done", NEGATIVE), "ttl");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code counts} and {@code list} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_countsAndList() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().counts(q));
        assertBadQueueRejected(q -> storage().list(q, JobState.QUEUED, 10));
        assertRejected(() -> storage().list(queue(), null, 10), "state");
        assertRejected(() -> storage().list(queue(), JobState.QUEUED, 0), "limit");
        assertRejected(() -> storage().list(queue(), JobState.QUEUED, -1), "limit");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code subscribe} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_subscribe() throws Exception {
        arrange();
        String before = everything();
        TerminalListener listener = (jobId, snapshot) -> {
        };
        assertBadQueueRejected(q -> storage().subscribe(q, listener));
        assertRejected(() -> storage().subscribe(queue(), null), "listener");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of the lock operations is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_locks() throws Exception {
        arrange();
        String before = everything();
        Duration ttl = Duration.ofSeconds(10);
        assertBadQueueRejected(q -> storage().acquireLock(q, "free", "owner", ttl));
        assertBadQueueRejected(q -> storage().renewLock(q, "leader", "owner", ttl));
        assertBadQueueRejected(q -> storage().releaseLock(q, "leader", "owner"));
        List<String> badNames = new ArrayList<>(badNames());
        badNames.add(null);
        for (String bad : badNames) {
            assertRejected(() -> storage().acquireLock(queue(), bad, "owner", ttl), "lock");
            assertRejected(() -> storage().acquireLock(queue(), "free", bad, ttl), "owner");
            assertRejected(() -> storage().renewLock(queue(), bad, "owner", ttl), "lock");
            assertRejected(() -> storage().renewLock(queue(), "leader", bad, ttl), "owner");
            assertRejected(() -> storage().releaseLock(queue(), bad, "owner"), "lock");
            assertRejected(() -> storage().releaseLock(queue(), "leader", bad), "owner");
        }
        for (Duration bad : Arrays.asList(null, Duration.ZERO, NEGATIVE)) {
            assertRejected(() -> storage().acquireLock(queue(), "free", "owner", bad), "ttl");
            assertRejected(() -> storage().renewLock(queue(), "leader", "owner", bad), "ttl");
        }
        assertEquals(before, everything());
        assertFalse(storage().acquireLock(queue(), "leader", "intruder", ttl), "the lock must still be held");
        assertTrue(storage().renewLock(queue(), "leader", "owner", ttl), "the owner must still hold the lock");
        assertTrue(storage().acquireLock(queue(), "free", "someone", ttl), "the free lock must still be free");
    }

    /**
     * Each bad argument of {@code listJobs} is rejected, naming the argument (a malformed cursor:
     * "cursor"), and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_listJobs() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().listJobs(q, JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 10));
        assertRejected(() -> storage().listJobs(queue(), null, ListOrder.OLDEST_FIRST, null, 10), "state");
        assertRejected(() -> storage().listJobs(queue(), JobState.QUEUED, null, null, 10), "order");
        for (String bad : List.of("", "garbage", "\uD800", "x".repeat(5000))) {
            assertRejected(() -> storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, bad, 10), "cursor");
        }
        assertRejected(() -> storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, null, 0), "limit");
        assertRejected(() -> storage().listJobs(queue(), JobState.QUEUED, ListOrder.OLDEST_FIRST, null, -1), "limit");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code retryJob}, {@code retryAll}, {@code deleteJob}, {@code purge} and
     * {@code promote} is rejected, naming the argument (retryAll of a state other than FAILED or
     * CANCELLED, purge of PROCESSING: "state"), and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_repairs() throws Exception {
        arrange();
        storage().enqueue(queue(), job("failed").build());
        storage().fail(queue(), lease(claimOne()), error("e"), null);
        String before = everything();
        assertBadQueueRejected(q -> storage().retryJob(q, "failed"));
        assertBadQueueRejected(q -> storage().retryAll(q, JobState.FAILED, 10));
        assertBadQueueRejected(q -> storage().deleteJob(q, "done"));
        assertBadQueueRejected(q -> storage().purge(q, JobState.COMPLETED, 10));
        assertBadQueueRejected(q -> storage().promote(q, "delayed"));
        List<String> badIds = new ArrayList<>(badNames());
        badIds.add(null);
        for (String bad : badIds) {
            assertRejected(() -> storage().retryJob(queue(), bad), "jobId");
            assertRejected(() -> storage().deleteJob(queue(), bad), "jobId");
            assertRejected(() -> storage().promote(queue(), bad), "jobId");
        }
        assertRejected(() -> storage().retryAll(queue(), null, 10), "state");
        assertRejected(() -> storage().purge(queue(), null, 10), "state");
        for (JobState state : JobState.values()) {
            if (state != JobState.FAILED && state != JobState.CANCELLED) {
                assertRejected(() -> storage().retryAll(queue(), state, 10), "state");
            }
        }
        assertRejected(() -> storage().purge(queue(), JobState.PROCESSING, 10), "state");
        for (int bad : new int[] {0, -1}) {
            assertRejected(() -> storage().retryAll(queue(), JobState.FAILED, bad), "limit");
            assertRejected(() -> storage().purge(queue(), JobState.COMPLETED, bad), "limit");
        }
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code setPaused} and {@code isPaused} is rejected, naming the
     * argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_pause() throws Exception {
        arrange();
        String before = everything();
        assertBadQueueRejected(q -> storage().setPaused(q, true));
        assertBadQueueRejected(q -> storage().isPaused(q));
        assertEquals(before, everything());
        assertFalse(storage().isPaused(queue()), "a rejected setPaused must not pause the queue");
        assertEquals(List.of("queued"), ids(claimNow(10)), "the queue still serves claims");
    }

    /**
     * Each bad argument of {@code snooze} is rejected, naming the argument, and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_snooze() throws Exception {
        LeaseRef running = lease(arrange().get(0));
        String before = everything();
        assertBadQueueRejected(q -> storage().snooze(q, running, Duration.ZERO));
        assertBadLeaseRejected(l -> storage().snooze(queue(), l, Duration.ZERO));
        assertRejected(() -> storage().snooze(queue(), running, null), "delay");
        assertRejected(() -> storage().snooze(queue(), running, NEGATIVE), "delay");
        assertEquals(before, everything());
    }

    /**
     * Each bad argument of {@code setLimits}, {@code limits} and {@code throttle} is rejected,
     * naming the argument (a throttle longer than a day: "duration"), and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_limitsAndThrottle() throws Exception {
        arrange();
        QueueLimits limits = QueueLimits.NONE.withMaxRunning(1);
        String before = everything();
        assertBadQueueRejected(q -> storage().setLimits(q, limits));
        assertBadQueueRejected(q -> storage().limits(q));
        assertBadQueueRejected(q -> storage().throttle(q, Duration.ofSeconds(1)));
        assertRejected(() -> storage().setLimits(queue(), null), "limits");
        for (Duration bad : Arrays.asList(null, Duration.ZERO, NEGATIVE, CheckedStorage.MAX_THROTTLE.plusMillis(1))) {
            assertRejected(() -> storage().throttle(queue(), bad), "duration");
        }
        assertEquals(before, everything());
        assertEquals(QueueLimits.NONE, storage().limits(queue()), "a rejected setLimits must not set limits");
        assertEquals(List.of("queued"), ids(claimNow(10)), "a rejected throttle must not hold back claims");
    }

    /**
     * Each bad argument of the schedule operations is rejected, naming the argument (a definition
     * over {@link ScheduleRecord#MAX_DEFINITION_BYTES}: "definition"), and nothing changes.
     *
     * @throws Exception when a storage call or a wait fails unexpectedly, failing the test
     */
    @Test
    default void arguments_schedules() throws Exception {
        arrange();
        java.time.Instant fire = clock().instant();
        ScheduleRecord existing = storage().upsertSchedule(queue(), "s", bytes("d"), fire);
        String before = everything();
        byte[] definition = bytes("d2");
        assertBadQueueRejected(q -> storage().upsertSchedule(q, "s", definition, fire));
        assertBadQueueRejected(q -> storage().removeSchedule(q, "s"));
        assertBadQueueRejected(q -> storage().listSchedules(q));
        assertBadQueueRejected(q -> storage().dueSchedules(q, 10));
        assertBadQueueRejected(q -> storage().advanceSchedule(q, "s", 1, fire));
        List<String> badIds = new ArrayList<>(badNames());
        badIds.add(null);
        for (String bad : badIds) {
            assertRejected(() -> storage().upsertSchedule(queue(), bad, definition, fire), "scheduleId");
            assertRejected(() -> storage().removeSchedule(queue(), bad), "scheduleId");
            assertRejected(() -> storage().advanceSchedule(queue(), bad, 1, fire), "scheduleId");
        }
        assertRejected(() -> storage().upsertSchedule(queue(), "s", null, fire), "definition");
        assertRejected(() -> storage().upsertSchedule(queue(), "s", new byte[ScheduleRecord.MAX_DEFINITION_BYTES + 1], fire),
                "definition");
        assertRejected(() -> storage().upsertSchedule(queue(), "s", definition, null), "nextFireAt");
        for (int bad : new int[] {0, -1}) {
            assertRejected(() -> storage().dueSchedules(queue(), bad), "limit");
            assertRejected(() -> storage().advanceSchedule(queue(), "s", bad, fire), "expectedVersion");
        }
        assertRejected(() -> storage().advanceSchedule(queue(), "s", 1, null), "nextFireAt");
        assertEquals(before, everything());
        assertEquals(List.of(existing), storage().listSchedules(queue()), "rejected calls must not change schedules");
    }

    /** Bad input is rejected with an {@code IllegalArgumentException}. */
    @Test
    default void arguments_badInputIsRejectedWithIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> storage().enqueue(queue(), job("").build()));
        assertThrows(IllegalArgumentException.class,
                () -> storage().enqueue(queue(), job("a").resultTtl(Duration.ZERO).build()));
        assertThrows(IllegalArgumentException.class, () -> storage().enqueue(queue(), job("a").maxAttempts(0).build()));
        assertThrows(IllegalArgumentException.class,
                () -> storage().enqueue(queue(), job("a").delay(Duration.ofSeconds(-1)).build()));
        assertThrows(IllegalArgumentException.class, () -> storage().claim(queue(), "w", 0, LEASE, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> storage().claim(queue(), "w", 1, Duration.ZERO, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> storage().updateResultTtl(queue(), "a", Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> storage().requeueExpired(queue(), 0));
        assertTrue(storage().status(queue(), "a").isEmpty(), "rejected enqueues must not create the job");
    }

    // ---------------------------------------------------------------- helpers

    /**
     * Jobs in several states, one lock held, and the clock one second on: any call that got through
     * would show. Returns the claims of "running" (lease current) and "stalled" (lease ended, not
     * reaped yet).
     */
    private List<ClaimedJob> arrange() throws InterruptedException {
        storage().enqueue(queue(), job("running").build());
        ClaimedJob running = claimOne();
        storage().enqueue(queue(), job("stalled").build());
        ClaimedJob stalled = storage().claim(queue(), "w", 1, Duration.ofMillis(500), Duration.ZERO).get(0);
        storage().enqueue(queue(), job("done").build());
        storage().complete(queue(), lease(claimOne()), bytes("r"), null);
        storage().enqueue(queue(), job("queued").build());
        storage().enqueue(queue(), job("delayed").delay(Duration.ofMinutes(5)).build());
        assertTrue(storage().acquireLock(queue(), "leader", "owner", Duration.ofSeconds(10)));
        clock().advance(Duration.ofSeconds(1));
        return List.of(running, stalled);
    }

    /** Everything a rejected call could have changed, as text: counts, listings and every record. */
    private String everything() {
        StringBuilder all = new StringBuilder().append(storage().counts(queue())).append('\n');
        for (JobState state : JobState.values()) {
            List<String> ids = new ArrayList<>(storage().list(queue(), state, 100));
            Collections.sort(ids);
            all.append(state).append(' ').append(ids).append('\n');
            for (String id : ids) {
                storage().status(queue(), id).ifPresent(s -> all.append(describe(s)).append('\n'));
            }
        }
        return all.toString();
    }

    private static String describe(JobSnapshot s) {
        return String.join(" ", s.id(), String.valueOf(s.state()), "prio=" + s.priority(), "created=" + s.createdAt(),
                "runAt=" + s.runAt(), "attempts=" + s.attempts() + "/" + s.maxAttempts(), "stalls=" + s.stalls(),
                "result=" + Arrays.toString(s.result()), "error=" + s.error(), "expires=" + s.expiresAt(),
                "worker=" + s.workerId(), "lease=" + s.leaseDeadline(), "payload=" + Arrays.toString(s.payload()),
                "metadata=" + s.metadata(), "started=" + s.startedAt(), "finished=" + s.finishedAt());
    }

    /** Jobs each with one bad field, keyed by the field's name. */
    private List<Map.Entry<String, Supplier<NewJob>>> badJobs() {
        List<Map.Entry<String, Supplier<NewJob>>> bad = new ArrayList<>();
        bad.add(Map.entry("id", () -> new NewJob(null, bytes("p"), 0, Duration.ZERO, null, 3, 1, TTL, false)));
        for (String id : badNames()) {
            bad.add(Map.entry("id", () -> job(id).build()));
        }
        bad.add(Map.entry("payload", () -> job("p").payload((byte[]) null).build()));
        bad.add(Map.entry("delay", () -> job("p").delay(null).build()));
        bad.add(Map.entry("delay", () -> job("p").delay(NEGATIVE).build()));
        bad.add(Map.entry("maxAttempts", () -> job("p").maxAttempts(0).build()));
        bad.add(Map.entry("maxAttempts", () -> job("p").maxAttempts(-1).build()));
        bad.add(Map.entry("maxStalls", () -> job("p").maxStalls(-1).build()));
        bad.add(Map.entry("resultTtl", () -> job("p").resultTtl(null).build()));
        bad.add(Map.entry("resultTtl", () -> job("p").resultTtl(Duration.ZERO).build()));
        bad.add(Map.entry("resultTtl", () -> job("p").resultTtl(NEGATIVE).build()));
        Map<String, String> tooMany = new LinkedHashMap<>();
        for (int i = 0; i <= JobMetadata.MAX_ENTRIES; i++) {
            tooMany.put("k" + i, "v");
        }
        bad.add(Map.entry("metadata", () -> job("p").metadata(tooMany).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Map.of("k", "x".repeat(JobMetadata.MAX_BYTES))).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Map.of("\u00e9", "\u00e9".repeat(JobMetadata.MAX_BYTES / 2)))
                .build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Map.of("", "v")).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Map.of("k\uD800", "v")).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Map.of("k", "\uDC00v")).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(Collections.singletonMap("k", null)).build()));
        bad.add(Map.entry("metadata", () -> job("p").metadata(null).build()));
        return bad;
    }

    /** A call with a null or rule-breaking queue name is rejected naming "queue". */
    private void assertBadQueueRejected(ThrowingConsumer<String> call) {
        assertRejected(() -> call.accept(null), "queue");
        for (String bad : badNames()) {
            assertRejected(() -> call.accept(bad), "queue");
        }
    }

    /** A call with a null lease, or a lease whose job id is null or breaks the rules, is rejected. */
    private void assertBadLeaseRejected(ThrowingConsumer<LeaseRef> call) {
        assertRejected(() -> call.accept(null), "lease");
        assertRejected(() -> call.accept(new LeaseRef(null, 1)), "jobId");
        for (String bad : badNames()) {
            assertRejected(() -> call.accept(new LeaseRef(bad, 1)), "jobId");
        }
    }

    /** The call throws IllegalArgumentException whose message names each of {@code names}. */
    private void assertRejected(Executable call, String... names) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call,
                "a bad " + String.join("/", names) + " must be rejected");
        String message = String.valueOf(e.getMessage());
        for (String name : names) {
            assertTrue(Pattern.compile("(?<!\\w)" + Pattern.quote(name) + "(?!\\w)").matcher(message).find(),
                    "the message should name " + name + ": " + message);
        }
    }

    /** A call taking one argument that may throw. */
    @FunctionalInterface
    interface ThrowingConsumer<T> {
        /**
         * Makes the call.
         *
         * @param value the argument to pass
         * @throws Exception whatever the call throws
         */
        void accept(T value) throws Exception;
    }
}
