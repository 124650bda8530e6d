package dev.jobqueue.spi;

import dev.jobqueue.CancelResult;
import dev.jobqueue.DeleteResult;
import dev.jobqueue.JobError;
import dev.jobqueue.JobState;
import dev.jobqueue.ListOrder;
import dev.jobqueue.PromoteResult;
import dev.jobqueue.QueueLimits;
import dev.jobqueue.RetryResult;
import dev.jobqueue.TtlUpdateResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link Storage} that checks the arguments of every call and forwards the valid ones to the
 * storage it wraps. The library talks to every storage through one, so storages may assume valid
 * arguments and all of them reject bad input alike: an {@link IllegalArgumentException} whose
 * message names the argument, thrown before the storage is touched (a batch with one bad element
 * is rejected whole).
 *
 * <!-- snippet: checked-storage -->
 * <pre>{@code
 * Storage storage = CheckedStorage.of(new MemoryStorage());
 * storage.enqueue("orders", job);                  // checked, then forwarded
 * storage.status("orders", "x" + (char) 0xD800);   // IllegalArgumentException: jobId must be well-formed UTF-16, ...
 * assert CheckedStorage.of(storage) == storage;    // wrapping twice checks once
 * }</pre>
 *
 * <p>The rules:
 * <ul>
 *   <li>Names (queue, job id, worker id, lock name, lock owner) are not null, not empty, at most
 *       {@link #MAX_NAME_LENGTH} UTF-16 chars and well-formed UTF-16: every character is allowed,
 *       including supplementary ones (a surrogate pair), but an unpaired surrogate is not.</li>
 *   <li>Object arguments are not null, except the documented optional ones: {@code resultTtl}
 *       overrides ({@code null}: the job's own) and {@link NewJob#runAt()}.</li>
 *   <li>Leases, lock TTLs and result TTLs are &gt; 0; delays, backoffs and claim waits are &gt;= 0;
 *       {@code max} and {@code limit} are &gt;= 1; {@code maxAttempts} &gt;= 1 and {@code maxStalls} &gt;= 0.</li>
 * </ul>
 *
 * <p>The checks allocate nothing when the arguments are valid; the cost is one extra call and a
 * scan of each name.
 */
public final class CheckedStorage implements Storage {
    /**
     * The longest name (queue, job id, worker id, lock, owner) in UTF-16 chars: at most 3 KiB as
     * UTF-8, so a name always fits in a Redis key, a journal record and a log line, and a job's
     * id, which every index of a storage holds once or more, cannot outweigh its payload by
     * accident (a serialized payload passed as the id). Common ids, UUIDs, hashes, composite keys
     * such as {@code tenant:order:line}, are far shorter.
     */
    public static final int MAX_NAME_LENGTH = 1024;

    /** The longest {@link #throttle}. */
    public static final Duration MAX_THROTTLE = Duration.ofDays(1);

    private final Storage storage;

    private CheckedStorage(Storage storage) {
        this.storage = storage;
    }

    /**
     * {@code storage} behind argument checks; {@code storage} itself when it is already a CheckedStorage.
     *
     * @param storage the storage to wrap; not {@code null}
     * @return the checking storage
     */
    public static Storage of(Storage storage) {
        StorageArguments.requireNonNull(storage, "storage");
        return storage instanceof CheckedStorage ? storage : new CheckedStorage(storage);
    }

    /**
     * Checks a name against the rules above, for callers that must fail before they reach a
     * storage: a queue checks a job id before it registers a waiter for it, a builder checks a
     * worker id when it is set.
     *
     * <!-- snippet: checked-storage-require-valid-name -->
     * <pre>{@code
     * CheckedStorage.requireValidName(id, "id"); // IllegalArgumentException: id must not be empty
     * }</pre>
     *
     * @param value    the name
     * @param argument what the caller calls it, for the message
     * @return {@code value}
     * @throws IllegalArgumentException naming {@code argument} when the name breaks a rule
     */
    public static String requireValidName(String value, String argument) {
        return StorageArguments.requireName(value, argument);
    }

    @Override
    public EnqueueOutcome enqueue(String queue, NewJob job) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireValidJob(job);
        return storage.enqueue(queue, job);
    }

    /** Bad arguments throw at once, as with {@link #enqueue}; the future carries only the storage's own errors. */
    @Override
    public CompletableFuture<EnqueueOutcome> enqueueAsync(String queue, NewJob job) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireValidJob(job);
        return storage.enqueueAsync(queue, job);
    }

    @Override
    public List<EnqueueOutcome> enqueueBatch(String queue, List<NewJob> jobs) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireValidJobs(jobs);
        return storage.enqueueBatch(queue, jobs);
    }

    @Override
    public List<ClaimedJob> claim(String queue, String workerId, int max, Duration lease, Duration maxWait)
            throws InterruptedException {
        StorageArguments.requireClaim(queue, workerId, max, lease, maxWait);
        return storage.claim(queue, workerId, max, lease, maxWait);
    }

    @Override
    public List<String> extend(String queue, List<LeaseRef> leases, Duration lease) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLeases(leases);
        StorageArguments.requirePositive(lease, "lease");
        return storage.extend(queue, leases, lease);
    }

    @Override
    public TransitionOutcome complete(String queue, LeaseRef lease, byte[] result, Duration resultTtl) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        StorageArguments.requireNonNull(result, "result");
        StorageArguments.requireOptionalTtl(resultTtl);
        return storage.complete(queue, lease, result, resultTtl);
    }

    @Override
    public List<TransitionOutcome> completeAll(String queue, List<Completion> completions) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireCompletions(completions);
        return storage.completeAll(queue, completions);
    }

    @Override
    public TransitionOutcome fail(String queue, LeaseRef lease, JobError error, Duration resultTtl) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        StorageArguments.requireNonNull(error, "error");
        StorageArguments.requireOptionalTtl(resultTtl);
        return storage.fail(queue, lease, error, resultTtl);
    }

    @Override
    public TransitionOutcome retry(String queue, LeaseRef lease, Duration backoff, JobError lastError) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        StorageArguments.requireNonNegative(backoff, "backoff");
        StorageArguments.requireNonNull(lastError, "lastError");
        return storage.retry(queue, lease, backoff, lastError);
    }

    @Override
    public TransitionOutcome release(String queue, LeaseRef lease) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        return storage.release(queue, lease);
    }

    @Override
    public TransitionOutcome unclaim(String queue, LeaseRef lease) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        return storage.unclaim(queue, lease);
    }

    @Override
    public List<StalledJob> requeueExpired(String queue, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.requeueExpired(queue, limit);
    }

    @Override
    public CancelResult cancel(String queue, String jobId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        return storage.cancel(queue, jobId);
    }

    @Override
    public Optional<JobSnapshot> status(String queue, String jobId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        return storage.status(queue, jobId);
    }

    @Override
    public TtlUpdateResult updateResultTtl(String queue, String jobId, Duration ttl) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        StorageArguments.requirePositive(ttl, "ttl");
        return storage.updateResultTtl(queue, jobId, ttl);
    }

    @Override
    public Map<JobState, Long> counts(String queue) {
        StorageArguments.requireQueue(queue);
        return storage.counts(queue);
    }

    @Override
    public List<String> list(String queue, JobState state, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(state, "state");
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.list(queue, state, limit);
    }

    @Override
    public SnapshotPage listJobs(String queue, JobState state, ListOrder order, String cursor, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(state, "state");
        StorageArguments.requireNonNull(order, "order");
        if (cursor != null && cursor.isEmpty()) {
            throw new IllegalArgumentException("cursor must not be empty (null starts at the first page)");
        }
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.listJobs(queue, state, order, cursor, limit);
    }

    @Override
    public RetryResult retryJob(String queue, String jobId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        return storage.retryJob(queue, jobId);
    }

    @Override
    public int retryAll(String queue, JobState state, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(state, "state");
        if (state != JobState.FAILED && state != JobState.CANCELLED) {
            throw new IllegalArgumentException("state must be FAILED or CANCELLED, got " + state);
        }
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.retryAll(queue, state, limit);
    }

    @Override
    public DeleteResult deleteJob(String queue, String jobId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        return storage.deleteJob(queue, jobId);
    }

    @Override
    public int purge(String queue, JobState state, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(state, "state");
        if (state == JobState.PROCESSING) {
            throw new IllegalArgumentException("state must not be PROCESSING: running jobs cannot be purged");
        }
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.purge(queue, state, limit);
    }

    @Override
    public PromoteResult promote(String queue, String jobId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireJobId(jobId);
        return storage.promote(queue, jobId);
    }

    @Override
    public boolean setPaused(String queue, boolean paused) {
        StorageArguments.requireQueue(queue);
        return storage.setPaused(queue, paused);
    }

    @Override
    public boolean isPaused(String queue) {
        StorageArguments.requireQueue(queue);
        return storage.isPaused(queue);
    }

    @Override
    public TransitionOutcome snooze(String queue, LeaseRef lease, Duration delay) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireLease(lease, "lease");
        StorageArguments.requireNonNegative(delay, "delay");
        return storage.snooze(queue, lease, delay);
    }

    @Override
    public void setLimits(String queue, QueueLimits limits) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(limits, "limits");
        storage.setLimits(queue, limits);
    }

    @Override
    public QueueLimits limits(String queue) {
        StorageArguments.requireQueue(queue);
        return storage.limits(queue);
    }

    @Override
    public Instant throttle(String queue, Duration duration) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requirePositive(duration, "duration");
        if (duration.compareTo(MAX_THROTTLE) > 0) {
            throw new IllegalArgumentException("duration must be at most 1 day, got " + duration);
        }
        return storage.throttle(queue, duration);
    }

    @Override
    public ScheduleRecord upsertSchedule(String queue, String scheduleId, byte[] definition, Instant nextFireAt) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireName(scheduleId, "scheduleId");
        StorageArguments.requireNonNull(definition, "definition");
        if (definition.length > ScheduleRecord.MAX_DEFINITION_BYTES) {
            throw new IllegalArgumentException("definition must be at most " + ScheduleRecord.MAX_DEFINITION_BYTES
                    + " bytes, got " + definition.length);
        }
        StorageArguments.requireNonNull(nextFireAt, "nextFireAt");
        return storage.upsertSchedule(queue, scheduleId, definition, nextFireAt);
    }

    @Override
    public boolean removeSchedule(String queue, String scheduleId) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireName(scheduleId, "scheduleId");
        return storage.removeSchedule(queue, scheduleId);
    }

    @Override
    public List<ScheduleRecord> listSchedules(String queue) {
        StorageArguments.requireQueue(queue);
        return storage.listSchedules(queue);
    }

    @Override
    public List<ScheduleRecord> dueSchedules(String queue, int limit) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireAtLeastOne(limit, "limit");
        return storage.dueSchedules(queue, limit);
    }

    @Override
    public boolean advanceSchedule(String queue, String scheduleId, long expectedVersion, Instant nextFireAt) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireName(scheduleId, "scheduleId");
        if (expectedVersion < 1) {
            throw new IllegalArgumentException("expectedVersion must be >= 1, got " + expectedVersion);
        }
        StorageArguments.requireNonNull(nextFireAt, "nextFireAt");
        return storage.advanceSchedule(queue, scheduleId, expectedVersion, nextFireAt);
    }

    @Override
    public List<String> queueNames() {
        return storage.queueNames();
    }

    @Override
    public FinishedTotals finishedTotals(String queue) {
        StorageArguments.requireQueue(queue);
        return storage.finishedTotals(queue);
    }

    @Override
    public Subscription subscribe(String queue, TerminalListener listener) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireNonNull(listener, "listener");
        return storage.subscribe(queue, listener);
    }

    @Override
    public boolean acquireLock(String queue, String lock, String owner, Duration ttl) {
        requireLock(queue, lock, owner);
        StorageArguments.requirePositive(ttl, "ttl");
        return storage.acquireLock(queue, lock, owner, ttl);
    }

    @Override
    public boolean renewLock(String queue, String lock, String owner, Duration ttl) {
        requireLock(queue, lock, owner);
        StorageArguments.requirePositive(ttl, "ttl");
        return storage.renewLock(queue, lock, owner, ttl);
    }

    @Override
    public boolean releaseLock(String queue, String lock, String owner) {
        requireLock(queue, lock, owner);
        return storage.releaseLock(queue, lock, owner);
    }

    private static void requireLock(String queue, String lock, String owner) {
        StorageArguments.requireQueue(queue);
        StorageArguments.requireName(lock, "lock");
        StorageArguments.requireName(owner, "owner");
    }

    @Override
    public void close() {
        storage.close();
    }

    /** The wrapped storage's description: logs name the storage, not the checks. */
    @Override
    public String toString() {
        return storage.toString();
    }
}
